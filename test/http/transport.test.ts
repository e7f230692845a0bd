// The transport against the real apiserver: connection reuse, auth paths, impersonation, TLS
// checks, proxies, errors, retries and request logs that never show credentials.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import type { ApiResource } from '../../src/lib/api/resource.js';
import { Client } from '../../src/lib/client.js';
import { ApiError, TransportError } from '../../src/lib/errors.js';
import { verboseRequestLogger } from '../../src/lib/http/request-log.js';
import { cluster } from '../helpers/cluster.js';
import { contextClient, contextConfig } from '../helpers/client.js';
import { listenOnLoopback } from '../helpers/loopback.js';
import { connectProxy } from '../helpers/proxies.js';

const configmaps: ApiResource = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
const apiserverPort = () => Number(new URL(cluster().server).port);

/** A TCP forwarder to the apiserver that counts the connections it accepts. */
async function countingForwarder(): Promise<{ port: number; connections: () => number }> {
  let n = 0;
  const server = createServer((inbound) => {
    n++;
    const outbound = connect(apiserverPort(), '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  return { port: await listenOnLoopback(server), connections: () => n };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('transport', () => {
  it('reuses one keep-alive connection for many requests', async () => {
    const fwd = await countingForwarder();
    const client = contextClient('admin', {}, { server: `https://127.0.0.1:${fwd.port}` });
    for (let i = 0; i < 20; i++) await client.json({ path: '/api/v1/namespaces/default' });
    // A second Client with the same cluster and identity shares the pool.
    const again = contextClient('admin', {}, { server: `https://127.0.0.1:${fwd.port}` });
    await again.json({ path: '/version' });
    expect(fwd.connections()).toBe(1);
  });

  it('authenticates with a client certificate, a bearer token, and enforces RBAC for the limited user', async () => {
    const whoami = async (c: Client) =>
      (
        await c.json<{ status: { userInfo: { username: string; groups: string[] } } }>({
          method: 'POST',
          path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
          body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
          contentType: 'application/json',
        })
      ).status.userInfo;
    expect(await whoami(contextClient('admin'))).toMatchObject({ username: 'admin', groups: expect.arrayContaining(['system:masters']) });
    expect(await whoami(contextClient('token-user'))).toMatchObject({ username: 'token-user' });
    expect(await whoami(contextClient('limited'))).toMatchObject({ username: 'limited' });

    const denied = await failure(Api.namespaced(contextClient('limited'), configmaps, 'default').list());
    expect(denied).toBeInstanceOf(ApiError);
    const e = denied as ApiError;
    expect({ code: e.code, reason: e.reason, forbidden: e.isForbidden() }).toEqual({ code: 403, reason: 'Forbidden', forbidden: true });
    expect(e.message).toBe('configmaps is forbidden: User "limited" cannot list resource "configmaps" in API group "" in the namespace "default"');
    expect((await Api.namespaced(contextClient('limited'), configmaps, 'demo').list()).items.length).toBeGreaterThan(0);
  });

  it('impersonates a user with several groups, a uid and extra fields', async () => {
    const client = contextClient('admin', {}, {
      impersonate: { user: 'jane', groups: ['devs', 'ops'], uid: 'jane-uid', extra: { scopes: ['read', 'write'] } },
    });
    const review = await client.json<{ status: { userInfo: object } }>({
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
      contentType: 'application/json',
    });
    expect(review.status.userInfo).toEqual({
      username: 'jane',
      uid: 'jane-uid',
      groups: ['devs', 'ops', 'system:authenticated'],
      extra: { scopes: ['read', 'write'] },
    });
  });

  it('fetches fresh credentials once after a 401 and retries', async () => {
    const tokenUser = contextConfig('token-user');
    const good = (await tokenUser.auth.credentials()).authorization!;
    let calls = 0;
    let cached: string | undefined;
    const client = new Client({
      ...tokenUser,
      auth: {
        type: 'exec',
        credentials: async () => ({ authorization: (cached ??= ++calls === 1 ? 'Bearer wrong' : good) }),
        invalidate: () => ((cached = undefined), true),
      },
    });
    expect(await client.json<{ kind: string }>({ path: '/api/v1/namespaces/default' })).toMatchObject({ kind: 'Namespace' });
    expect(calls).toBe(2);
  });

  it('never sends credentials to a plain-http server', async () => {
    const seen: Array<string | undefined> = [];
    const port = await listenOnLoopback(createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(req.headers.authorization);
      res.setHeader('content-type', 'application/json').end('{"kind":"Namespace"}');
    }));
    await contextClient('token-user', {}, { server: `http://127.0.0.1:${port}` }).json({ path: '/api/v1/namespaces/default' });
    expect(seen).toEqual([undefined]);
  });
});

describe('transport: TLS', () => {
  it('rejects a server whose certificate is not signed by the configured CA, naming the server', async () => {
    const { tls } = contextConfig('admin');
    const other = (await import('node:tls')).rootCertificates[0]!;
    const err = await failure(contextClient('admin', {}, { tls: { ...tls, ca: other } }).json({ path: '/version' }));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('tls');
    expect((err as TransportError).message).toContain(`Unable to connect to the server ${cluster().server}: TLS verification failed: certificate signed by unknown authority`);
  });

  it('checks the certificate against tls-server-name, and skips checks when insecure', async () => {
    const { tls } = contextConfig('admin');
    const viaName = contextClient('admin', {}, { server: `https://127.0.0.1:${apiserverPort()}`, tls: { ...tls, serverName: 'kubernetes.default.svc' } });
    expect(await viaName.json({ path: '/version' })).toMatchObject({ gitVersion: 'v1.34.4' });
    const wrongName = contextClient('admin', {}, { tls: { ...tls, serverName: 'not-in-the-cert.example' } });
    const err = await failure(wrongName.json({ path: '/version' }));
    expect((err as TransportError).kind).toBe('tls');
    expect((err as TransportError).message).toContain('not-in-the-cert.example');
    const insecure = contextClient('admin', {}, { tls: { cert: tls.cert!, key: tls.key!, insecureSkipVerify: true } });
    expect(await insecure.json({ path: '/version' })).toMatchObject({ gitVersion: 'v1.34.4' });
  });
});

describe('transport: proxies', () => {
  it('tunnels through proxy-url', async () => {
    const proxy = await connectProxy();
    const client = contextClient('admin', {}, { proxyUrl: proxy.url });
    expect(await client.json({ path: '/version' })).toMatchObject({ gitVersion: 'v1.34.4' });
    expect(proxy.targets).toEqual([`127.0.0.1:${apiserverPort()}`]);
  });

  it('uses HTTPS_PROXY from the environment and bypasses it for NO_PROXY hosts', async () => {
    const proxy = await connectProxy();
    // A name only the proxy can resolve (it maps every host to 127.0.0.1); it is in the serving certificate.
    const server = `https://kubernetes.default.svc:${apiserverPort()}`;
    const viaProxy = new Client(contextConfig('admin', { server }), {});
    Object.assign(process.env, { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com' });
    try {
      const client = new Client(contextConfig('admin', { server }));
      expect(await client.json({ path: '/version' })).toMatchObject({ gitVersion: 'v1.34.4' });
      expect(proxy.targets).toEqual([`kubernetes.default.svc:${apiserverPort()}`]);
      process.env.NO_PROXY = '.svc';
      const bypass = new Client(contextConfig('admin', { server }));
      const err = await failure(bypass.json({ path: '/version' }));
      expect((err as TransportError).kind).toBe('dns');
      expect(proxy.targets).toHaveLength(1);
    } finally {
      delete process.env.HTTPS_PROXY;
      delete process.env.NO_PROXY;
    }
    // A client made before the variables were set does not use them.
    expect((await failure(viaProxy.json({ path: '/version' })) as TransportError).kind).toBe('dns');
  });
});

describe('transport: failures, retries and logs', () => {
  it('says clearly when the server refuses connections', async () => {
    const closed = createServer();
    const port = await listenOnLoopback(closed);
    await new Promise((r) => closed.close(r));
    const err = await failure(contextClient('admin', {}, { server: `https://127.0.0.1:${port}` }).json({ path: '/version' }));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('refused');
    expect((err as TransportError).message).toBe(`The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`);
  });

  it('retries idempotent requests on 503 and 429, honouring Retry-After, but not writes', async () => {
    let hits = 0;
    const port = await listenOnLoopback(createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      hits++;
      if (req.method === 'GET' && hits <= 2) {
        res.writeHead(hits === 1 ? 503 : 429, { 'retry-after': '0', 'content-type': 'text/plain' }).end('busy');
        return;
      }
      if (req.method === 'POST') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
        return;
      }
      res.setHeader('content-type', 'application/json').end('{"ok":true}');
    }));
    const client = contextClient('admin', {}, { server: `http://127.0.0.1:${port}` });
    expect(await client.json({ path: '/x' })).toEqual({ ok: true });
    expect(hits).toBe(3);
    hits = 10;
    const err = await failure(client.json({ method: 'POST', path: '/x', body: '{}' }));
    expect((err as ApiError).code).toBe(503);
    expect((err as ApiError).message).toBe('the server is currently unable to handle the request');
    expect(hits).toBe(11);
  });

  it('times out slow requests and honours an AbortSignal', async () => {
    const port = await listenOnLoopback(createHttpServer(() => undefined));
    const client = contextClient('admin', {}, { server: `http://127.0.0.1:${port}`, requestTimeoutMs: 200 });
    const timedOut = await failure(client.json({ path: '/slow' }));
    expect((timedOut as TransportError).kind).toBe('timeout');
    const ac = new AbortController();
    const pending = failure(contextClient('admin', {}, { server: `http://127.0.0.1:${port}` }).json({ path: '/slow', signal: ac.signal }));
    ac.abort();
    expect(((await pending) as TransportError).kind).toBe('aborted');
  });

  it('asks for gzip and decodes it; logs requests at -v 8 without credentials', async () => {
    const lines: string[] = [];
    const client = contextClient('token-user', { logger: verboseRequestLogger(8, (l) => lines.push(l)) });
    const list = await client.json<{ items: unknown[] }>({ path: '/api/v1/namespaces', query: { limit: 1 } });
    expect(list.items).toHaveLength(1);
    const log = lines.join('\n');
    expect(log).toContain(`GET ${cluster().server}/api/v1/namespaces?limit=1 200 OK in `);
    expect(log).toContain('authorization: Bearer <masked>');
    expect(log).toContain('accept-encoding: gzip');
    const token = (await contextConfig('token-user').auth.credentials()).authorization!.split(' ')[1]!;
    expect(log).not.toContain(token);
    // The apiserver compresses large responses when asked; the client decodes them transparently.
    const big = await client.json<{ paths: string[] }>({ path: '/openapi/v2', accept: 'application/json' });
    expect(Object.keys(big).length).toBeGreaterThan(0);
    expect(lines.some((l) => /content-encoding: gzip/i.test(l))).toBe(true);
  });
});
