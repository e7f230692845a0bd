// openChannelSocket's TLS and framing choices, seen from a local WebSocket server that reads the
// raw frames: zero mask keys and resumed TLS sessions over wss://, random mask keys over ws://.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { openChannelSocket } from '../../src/lib/streaming/socket.js';
import { repoRoot } from '../cluster/harness.js';
import { contextClient } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';

interface Seen {
  /** The mask key of the first frame of each connection. */
  masks: string[];
  resumed: boolean[];
}

/** A channel-protocol server on loopback; the first data each connection sends after the upgrade is its first frame. */
async function wsServer(server: Server): Promise<{ port: number; seen: Seen }> {
  const seen: Seen = { masks: [], resumed: [] };
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => 'v4.channel.k8s.io' });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const tls = socket as Partial<TLSSocket>;
    seen.resumed.push(tls.isSessionReused?.() ?? false);
    socket.once('data', (frame: Buffer) => {
      // [FIN|opcode][MASK|len<126][key×4]: only short frames are sent here.
      expect(frame[1]! & 0x80).toBe(0x80);
      seen.masks.push(frame.subarray(2, 6).toString('hex'));
    });
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', () => undefined));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

async function sendOnce(server: string): Promise<void> {
  const client = contextClient('admin', {}, { server });
  const ws = await openChannelSocket(client, '/api/v1/namespaces/default/pods/p/portforward', { ports: '8080' }, { protocols: ['v4.channel.k8s.io'] });
  ws.send(Buffer.from([0, 1, 2, 3]));
  ws.close();
  await new Promise((r) => ws.once('close', r));
}

describe('openChannelSocket', () => {
  it('masks with a zero key over TLS and resumes the TLS session of the previous connection', async () => {
    const pki = join(repoRoot, '.cluster/pki');
    const { port, seen } = await wsServer(createHttpsServer({ cert: readFileSync(join(pki, 'apiserver.crt')), key: readFileSync(join(pki, 'apiserver.key')) }));
    const client = contextClient('admin', {}, { server: `https://127.0.0.1:${port}` });
    for (let i = 0; i < 2; i++) {
      const ws = await openChannelSocket(client, '/api/v1/namespaces/default/pods/p/portforward', { ports: '8080' }, { protocols: ['v4.channel.k8s.io'] });
      ws.send(Buffer.from([0, 1, 2, 3]));
      await waitUntil('the frame', () => seen.masks.length === i + 1);
      ws.close();
      await new Promise((r) => ws.once('close', r));
    }
    expect(seen.masks).toEqual(['00000000', '00000000']);
    expect(seen.resumed).toEqual([false, true]);
  });

  it('masks with random keys over plain ws://', async () => {
    const { port, seen } = await wsServer(createHttpServer());
    await sendOnce(`http://127.0.0.1:${port}`);
    await sendOnce(`http://127.0.0.1:${port}`);
    await waitUntil('two frames', () => seen.masks.length === 2);
    expect(seen.masks).not.toContain('00000000');
    expect(seen.masks[0]).not.toBe(seen.masks[1]);
  });
});
