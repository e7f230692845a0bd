// port-forward over the apiserver's SPDY-over-WebSocket tunnel (kubectl's transport since 1.31), on
// the real cluster: kwok forwards container port 8080 to the harness's TCP echo server.
import { createServer as createHttpServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PortForwarder } from '../../src/lib/streaming/port-forwarder.js';
import { resolvePodTarget } from '../../src/lib/targets/resolve.js';
import { contextClient, contextConfig } from '../helpers/client.js';
import { useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { apply, deployment, echoRoundTrip, forwardedPort, payload, readyPods, sha256, startKtx, startKubectl, type Running } from './helpers.js';

const ns = useNamespace('pft');
let pod = '';

beforeAll(async () => {
  await apply(deployment(ns.name, 'web'));
  [pod = ''] = await readyPods(ns.name, 'web');
});

/** Writes `data`, shuts down the write side at once, and reads the whole echo back; then closes. */
function halfClosedEcho(port: number, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.end(data));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      received += d.length;
      if (received >= data.length) {
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${received} of ${data.length} bytes`)));
  });
}

/**
 * Writes `data`, reads the echo back, then closes. Not echoRoundTrip: it half-closes and waits
 * for the close, which kubectl never delivers through kwok (kwok does not end the pod side after
 * a FIN).
 */
function echo(port: number, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(data));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      received += d.length;
      if (received >= data.length) {
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${received} of ${data.length} bytes`)));
  });
}

/**
 * A plain-HTTP proxy in front of the apiserver (authenticating as admin) that refuses the SPDY
 * tunnel's upgrade as an apiserver without it, or a proxy that does not know it, would: 400.
 * Everything else goes through, upgrades included.
 */
async function tunnelRefusingProxy() {
  const admin = contextConfig('admin');
  const upstream = new URL(admin.server);
  const tls = { host: upstream.hostname, port: Number(upstream.port), ca: admin.tls.ca, cert: admin.tls.cert, key: admin.tls.key };
  const counts = { refused: 0, upgrades: 0 };
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    const up = httpsRequest({ ...tls, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (String(req.headers['sec-websocket-protocol']).includes('SPDY/')) {
      counts.refused++;
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'unable to upgrade: no tunneling spdy protocols provided', reason: 'BadRequest', code: 400 });
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    counts.upgrades++;
    const up = tlsConnect(tls, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i]!.toLowerCase() === 'host' ? upstream.host : req.rawHeaders[i + 1]}`);
      }
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    sockets.add(up);
    up.on('error', () => socket.destroy());
    socket.on('close', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    counts,
    close: () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The klog line of a forwarding error, without its time, pid and local port. */
function forwardingError(stderr: string, port: number): string | undefined {
  const line = stderr.split('\n').find((l) => l.includes('an error occurred forwarding'));
  return line?.replace(/^E\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ /, 'E TIME PID ').replaceAll(String(port), 'PORT');
}

describe('port-forward over the SPDY tunnel', () => {
  const client = contextClient('admin');

  afterEach(() => {
    delete process.env.KTX_PORT_FORWARD_TUNNEL;
  });

  it('carries 40 concurrent connections over one WebSocket, byte for byte', async () => {
    const target = await resolvePodTarget(client, ns.name, `pod/${pod}`);
    const f = new PortForwarder(client, { target, ports: [':8080'] });
    await f.start();
    const port = f.listeners[0]!.local;
    // All 40 are open at once: each has its echo back before any closes.
    const datas = Array.from({ length: 40 }, (_, i) => payload((256 << 10) + i));
    const sockets = datas.map((data) => {
      const chunks: Buffer[] = [];
      const s = connect({ port, host: '127.0.0.1' }, () => s.write(data));
      s.on('data', (d: Buffer) => chunks.push(d));
      s.on('error', () => undefined);
      return { s, data, chunks };
    });
    await waitUntil('every echo', () => sockets.every(({ data, chunks }) => chunks.reduce((n, c) => n + c.length, 0) >= data.length), { timeoutMs: 50_000 });
    expect(f.activeConnections).toBe(40);
    for (const { data, chunks } of sockets) expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
    expect(f.stats).toEqual({ tunnels: 1, tunnelled: 40, websocket: 0 });
    for (const { s } of sockets) s.destroy();
    await f.stop();
  }, 60_000);

  it('carries a half-close: the client shuts down its write side and still receives the echo, as with kubectl', async () => {
    const data = payload(1 << 20);
    for (const start of [startKtx, startKubectl]) {
      const r = start(['port-forward', `pod/${pod}`, ':8080', '-n', ns.name]);
      const port = await forwardedPort(r);
      expect(sha256(await halfClosedEcho(port, data))).toBe(sha256(data));
      // Then it goes on forwarding.
      expect((await echo(port, Buffer.from('next'))).toString()).toBe('next');
      expect((await r.stop('SIGINT')).exitCode).toBe(0);
    }
  }, 60_000);

  it('shows the tunnel upgrade at -v 8 as kubectl does; KTX_PORT_FORWARD_TUNNEL=false goes back to a v4 WebSocket per connection', async () => {
    const args = ['port-forward', `pod/${pod}`, ':8080', '-n', ns.name, '-v=8'];
    const runs: Array<[string, Running]> = [
      ['ktx', startKtx(args)],
      ['kubectl', startKubectl(args)],
      ['ktx v4', startKtx(args, { KTX_PORT_FORWARD_TUNNEL: 'false' })],
    ];
    const logs: Record<string, string> = {};
    for (const [name, r] of runs) {
      const port = await forwardedPort(r);
      await Promise.all(
        [1, 2, 3].map(async (n) => {
          const data = payload(n << 16);
          expect(sha256(await echo(port, data)), name).toBe(sha256(data));
        }),
      );
      const end = await r.stop('SIGINT');
      expect(end.exitCode).toBe(0);
      logs[name] = end.stderr;
    }
    // The tunnel's upgrade names no port: each SPDY stream does.
    const upgrade = new RegExp(`https://[^ "]+/api/v1/namespaces/${ns.name}/pods/${pod}/portforward(?![?\\w])`);
    for (const name of ['ktx', 'kubectl']) {
      expect(logs[name], name).toMatch(upgrade);
      // Offered and chosen: the request's and the 101 response's Sec-WebSocket-Protocol.
      expect(logs[name]!.match(/sec-websocket-protocol: SPDY\/3\.1\+portforward\.k8s\.io/gi), name).toHaveLength(2);
    }
    // One tunnel for the three concurrent connections; v4 opens a WebSocket for each.
    expect(logs.ktx!.match(/portforward 101 /g)).toHaveLength(1);
    expect(logs['ktx v4']!.match(/portforward\?ports=8080 101 /g)).toHaveLength(3);
    expect(logs['ktx v4']).toMatch(/sec-websocket-protocol: v4\.channel\.k8s\.io/i);
    expect(logs['ktx v4']).not.toMatch(/SPDY/);
  }, 90_000);

  it('takes KTX_PORT_FORWARD_TUNNEL=false from the environment in the library too', async () => {
    process.env.KTX_PORT_FORWARD_TUNNEL = 'false';
    const target = await resolvePodTarget(client, ns.name, `pod/${pod}`);
    const f = new PortForwarder(client, { target, ports: [':8080'] });
    await f.start();
    const port = f.listeners[0]!.local;
    for (const word of ['one', 'two']) expect((await echoRoundTrip(port, Buffer.from(word))).toString()).toBe(word);
    expect(f.stats).toEqual({ tunnels: 0, tunnelled: 0, websocket: 2 });
    await f.stop();
  });

  it('falls back to a v4 WebSocket per connection when the server refuses the tunnel, and stays there', async () => {
    const proxy = await tunnelRefusingProxy();
    try {
      const viaProxy = contextClient('admin', {}, { server: proxy.url, tls: {} });
      const target = await resolvePodTarget(client, ns.name, `pod/${pod}`);
      const f = new PortForwarder(viaProxy, { target, ports: [':8080'] });
      await f.start();
      const port = f.listeners[0]!.local;
      // Three at once wait for the one tunnel attempt, then two more after it.
      const first = await Promise.all(['one', 'two', 'three'].map(async (word) => (await echoRoundTrip(port, Buffer.from(word))).toString()));
      expect(first).toEqual(['one', 'two', 'three']);
      for (const word of ['four', 'five']) expect((await echoRoundTrip(port, Buffer.from(word))).toString()).toBe(word);
      expect(f.stats).toEqual({ tunnels: 0, tunnelled: 0, websocket: 5 });
      expect(proxy.counts).toEqual({ refused: 1, upgrades: 5 });
      await f.stop();
    } finally {
      await proxy.close();
    }
  });

  it('reports the kubelet’s error stream (nothing forwarded on the port) in kubectl’s words, and keeps forwarding', async () => {
    const args = ['port-forward', `pod/${pod}`, ':9999', ':8080', '-n', ns.name];
    const lines: string[] = [];
    for (const start of [startKtx, startKubectl]) {
      const r = start(args);
      const port = await forwardedPort(r);
      await new Promise<void>((resolve) => {
        const s = connect({ port, host: '127.0.0.1' }, () => s.write('x'));
        s.on('error', () => undefined);
        s.on('close', () => resolve());
      });
      await r.waitFor(/an error occurred forwarding/, 'stderr');
      lines.push(forwardingError(r.stderr, port) ?? '');
      if (start === startKtx) {
        // kubectl 1.34 ends the whole session after such an error (`lost connection to pod`); ktx goes on.
        const good = Number((await r.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/))[1]);
        expect((await echoRoundTrip(good, Buffer.from('still'))).toString()).toBe('still');
      }
      await r.stop('SIGINT');
    }
    expect(lines[0]).toBe(lines[1]);
    expect(lines[0]).toMatch(
      new RegExp(`^E TIME PID portforward\\.go:424\\] "Unhandled Error" err="an error occurred forwarding PORT -> 9999: error forwarding port 9999 to pod ${pod}/${ns.name}, uid : no forward found for port 9999`),
    );
  }, 60_000);
});
