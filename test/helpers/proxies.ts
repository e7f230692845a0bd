// Forward proxies for tests of proxy-url and HTTPS_PROXY: an HTTP CONNECT proxy and a SOCKS5
// proxy, both on loopback, both sending every tunnel to 127.0.0.1 (so names only "the proxy"
// can resolve work) and recording what they were asked for. Closed after the test file.
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback.js';

function splice(client: Socket, port: number, head: Buffer, ready: () => void): void {
  // Until the pipes are set up: nothing the client sends meanwhile may be dropped.
  client.pause();
  const upstream = connect(port, '127.0.0.1', () => {
    ready();
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client).pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  client.once('close', () => upstream.destroy());
}

export interface RecordingProxy {
  url: string;
  /** `host:port` of every tunnel asked for, in order. */
  targets: string[];
  /** The Proxy-Authorization header (CONNECT) or `user:password` (SOCKS5) of each tunnel. */
  credentials: string[];
}

/** An HTTP CONNECT proxy. With `refuse`, it answers every CONNECT with that status instead. */
export async function connectProxy(options: { refuse?: number } = {}): Promise<RecordingProxy> {
  const proxy: RecordingProxy = { url: '', targets: [], credentials: [] };
  const server = createHttpServer();
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    proxy.targets.push(req.url ?? '');
    proxy.credentials.push(req.headers['proxy-authorization'] ?? '');
    if (options.refuse) {
      socket.end(`HTTP/1.1 ${options.refuse} Refused by the test proxy\r\n\r\n`);
      return;
    }
    splice(socket, Number((req.url ?? '').split(':').pop()), head, () => socket.write('HTTP/1.1 200 Connection Established\r\n\r\n'));
  });
  proxy.url = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  return proxy;
}

/**
 * A SOCKS5 proxy (RFC 1928 CONNECT; RFC 1929 username/password when `password` is set, checked
 * against `user:password`).
 */
export async function socks5Proxy(options: { user?: string; password?: string } = {}): Promise<RecordingProxy> {
  const proxy: RecordingProxy = { url: '', targets: [], credentials: [] };
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (stage === 'greeting') {
          if (buffered.length < 2 || buffered.length < 2 + buffered[1]!) return;
          const methods = [...buffered.subarray(2, 2 + buffered[1]!)];
          buffered = buffered.subarray(2 + buffered[1]!);
          const want = options.password !== undefined ? 2 : 0;
          if (!methods.includes(want)) return void socket.end(Buffer.from([5, 0xff]));
          socket.write(Buffer.from([5, want]));
          stage = want === 2 ? 'auth' : 'request';
        } else if (stage === 'auth') {
          const ulen = buffered[1];
          if (ulen === undefined || buffered.length < 3 + ulen) return;
          const plen = buffered[2 + ulen]!;
          if (buffered.length < 3 + ulen + plen) return;
          const given = `${buffered.subarray(2, 2 + ulen).toString()}:${buffered.subarray(3 + ulen, 3 + ulen + plen).toString()}`;
          buffered = buffered.subarray(3 + ulen + plen);
          proxy.credentials.push(given);
          if (given !== `${options.user ?? ''}:${options.password}`) return void socket.end(Buffer.from([1, 1]));
          socket.write(Buffer.from([1, 0]));
          stage = 'request';
        } else {
          if (buffered.length < 5) return;
          const type = buffered[3];
          const addressLength = type === 1 ? 4 : type === 4 ? 16 : 1 + buffered[4]!;
          if (buffered.length < 4 + addressLength + 2) return;
          const address = buffered.subarray(4, 4 + addressLength);
          const host = type === 1 ? [...address].join('.') : type === 4 ? address.toString('hex').replace(/(.{4})(?!$)/g, '$1:') : address.subarray(1).toString();
          const port = buffered.readUInt16BE(4 + addressLength);
          const head = buffered.subarray(4 + addressLength + 2);
          proxy.targets.push(`${host}:${port}`);
          socket.off('data', onData);
          splice(socket, port, head, () => socket.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0])));
          return;
        }
      }
    };
    socket.on('data', onData);
  });
  const port = await listenOnLoopback(server);
  const auth = options.password !== undefined ? `${encodeURIComponent(options.user ?? '')}:${encodeURIComponent(options.password)}@` : '';
  proxy.url = `socks5://${auth}127.0.0.1:${port}`;
  return proxy;
}
