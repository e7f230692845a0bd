// Raw access to the local apiserver for golden tests: GETs with kubectl's Table Accept header,
// and a plain-HTTP proxy that can answer chosen requests itself (frozen or synthetic Tables),
// so the reference kubectl prints exactly the Table a test renders.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cluster } from '../helpers/cluster.js';

/** The Accept header kubectl sends for human-readable output. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

interface Credentials {
  server: URL;
  ca: string;
  cert: string;
  key: string;
}

interface RawKubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string } }>;
}

function credentials(): Credentials {
  const kc = JSON.parse(readFileSync(cluster().kubeconfig, 'utf8')) as RawKubeconfig;
  const admin = kc.users.find((u) => u.name === 'admin')!.user;
  const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
  return { server: new URL(kc.clusters[0]!.cluster.server), ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']), cert: b64(admin['client-certificate-data']), key: b64(admin['client-key-data']) };
}

/** GETs an API path as the admin user and parses the JSON body. */
export async function getJson<T>(path: string, accept = 'application/json'): Promise<T> {
  const c = credentials();
  return new Promise((resolve, reject) => {
    const req = request({ host: c.server.hostname, port: c.server.port, path, method: 'GET', ca: c.ca, cert: c.cert, key: c.key, headers: { accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`GET ${path}: ${res.statusCode} ${body}`));
        else resolve(JSON.parse(body) as T);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** What the proxy answers itself; anything it does not answer goes to the real apiserver. */
export type Intercept = (req: IncomingMessage) => object | undefined;

export interface Proxy {
  /** A kubeconfig pointing kubectl at the proxy (no credentials needed: the proxy adds them). */
  kubeconfig: string;
  /** A discovery cache directory of its own. */
  cacheDir: string;
  close(): Promise<void>;
}

export async function startProxy(intercept: Intercept): Promise<Proxy> {
  const c = credentials();
  const server = createServer((req, res) => {
    const answer = intercept(req);
    if (answer) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
      return;
    }
    const headers = { ...req.headers };
    delete headers.host;
    const upstream = request({ host: c.server.hostname, port: c.server.port, path: req.url, method: req.method, headers, ca: c.ca, cert: c.cert, key: c.key }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'ktx-print-proxy-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'proxy', cluster: { server: `http://127.0.0.1:${port}` } }],
      users: [{ name: 'anonymous', user: {} }],
      contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'anonymous' } }],
      'current-context': 'proxy',
    }),
  );
  return {
    kubeconfig,
    cacheDir: join(dir, 'cache'),
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
