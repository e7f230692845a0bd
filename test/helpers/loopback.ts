// Servers a test starts on 127.0.0.1 (proxies, stand-ins for a slow server): each gets a free port,
// and after the test file every connection still open is ended and the server closed. Without
// ending them, close() waits for connections a client pool keeps alive (a minute for undici).
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterAll } from 'vitest';

const servers: Server[] = [];
const open = new Set<Socket>();
afterAll(async () => {
  for (const socket of open) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Listens on a free loopback port; resolves with the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => res((server.address() as AddressInfo).port)));
}
