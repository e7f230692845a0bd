// Config from real kubeconfig files against the real apiserver: each auth path, exec plugins,
// impersonation, TLS settings, proxies, and one clear error for each kind of bad input.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import { Client } from '../../src/lib/client.js';
import { Config } from '../../src/lib/config/config.js';
import { ApiError, ConfigError, TransportError } from '../../src/lib/errors.js';
import { configMaps } from '../../src/lib/types/resources.js';
import { cluster } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';

interface RawKubeconfig {
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: Record<string, unknown> }>;
  'current-context': string;
}

const dir = mkdtempSync(join(tmpdir(), 'ktx-config-'));
const base = () => JSON.parse(readFileSync(cluster().kubeconfig, 'utf8')) as RawKubeconfig;
const token = () => base().users.find((u) => u.name === 'token-user')!.user.token as string;
let n = 0;

/** Writes a kubeconfig variant and returns its path. */
function kubeconfig(edit: (kc: RawKubeconfig) => void): string {
  const kc = base();
  edit(kc);
  const file = join(dir, `kubeconfig-${++n}`);
  writeFileSync(file, JSON.stringify(kc), { mode: 0o600 });
  return file;
}

async function whoami(client: Client): Promise<{ username: string; groups?: string[]; uid?: string; extra?: object }> {
  const r = await client.json<{ status: { userInfo: { username: string } } }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
    contentType: 'application/json',
  });
  return r.status.userInfo;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

/** An exec credential plugin script that counts its runs; its output is built by `script`. */
function execPlugin(name: string, body: string): { file: string; runs: () => number } {
  const file = join(dir, `${name}.sh`);
  const counter = join(dir, `${name}.count`);
  writeFileSync(counter, '');
  writeFileSync(file, `#!/bin/sh\necho run >> ${counter}\nN=$(wc -l < ${counter})\n${body}\n`);
  chmodSync(file, 0o755);
  return { file, runs: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
}

function withExecUser(plugin: string): string {
  return kubeconfig((kc) => {
    kc.users.push({
      name: 'exec-user',
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } },
    });
    kc.contexts.push({ name: 'exec', context: { cluster: 'ktx-local', user: 'exec-user' } });
    kc['current-context'] = 'exec';
  });
}

const servers: Array<{ close: (cb: () => void) => void }> = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('Config.load against the cluster', () => {
  it('authenticates every context of the kubeconfig, and the limited user meets RBAC', async () => {
    const file = cluster().kubeconfig;
    expect(await whoami(new Client(await Config.load({ kubeconfig: file })))).toMatchObject({ username: 'admin' });
    expect(await whoami(new Client(await Config.load({ kubeconfig: file, context: 'token-user' })))).toMatchObject({ username: 'token-user' });
    const limited = new Client(await Config.load({ kubeconfig: file, context: 'limited' }));
    expect(await whoami(limited)).toMatchObject({ username: 'limited' });
    const err = await failure(Api.namespaced(limited, configMaps, 'kube-system').list());
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).isForbidden()).toBe(true);
    expect((err as ApiError).message).toBe(
      'configmaps is forbidden: User "limited" cannot list resource "configmaps" in API group "" in the namespace "kube-system"',
    );
  });

  it('impersonates with --as, --as-group and --as-uid', async () => {
    const config = await Config.load({ kubeconfig: cluster().kubeconfig, as: 'jane', asGroups: ['devs', 'ops'], asUid: 'u-1' });
    expect(await whoami(new Client(config))).toMatchObject({ username: 'jane', uid: 'u-1', groups: ['devs', 'ops', 'system:authenticated'] });
  });

  it('runs an exec credential plugin once until its credential expires, then again', async () => {
    const expiry = 'date -u -d "+2 seconds" +%Y-%m-%dT%H:%M:%SZ';
    const plugin = execPlugin('expiring', `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token()}","expirationTimestamp":"%s"}}' "$(${expiry})"`);
    const client = new Client(await Config.load({ kubeconfig: withExecUser(plugin.file) }));
    for (let i = 0; i < 5; i++) expect(await whoami(client)).toMatchObject({ username: 'token-user' });
    expect(plugin.runs()).toBe(1);
    await waitUntil('the plugin to run again after expiry', async () => (await whoami(client), plugin.runs() === 2), { timeoutMs: 10_000, intervalMs: 250 });
  });

  it('runs the exec plugin again after a 401 and retries the request once', async () => {
    const plugin = execPlugin('rejected', `if [ "$N" = 1 ]; then T=wrong-token; else T=${token()}; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$T"`);
    const client = new Client(await Config.load({ kubeconfig: withExecUser(plugin.file) }));
    expect(await whoami(client)).toMatchObject({ username: 'token-user' });
    expect(plugin.runs()).toBe(2);
    await whoami(client);
    expect(plugin.runs()).toBe(2);
  });

  it('verifies the server against tls-server-name, or not at all when insecure', async () => {
    const named = kubeconfig((kc) => (kc.clusters[0]!.cluster['tls-server-name'] = 'kubernetes.default'));
    expect(await whoami(new Client(await Config.load({ kubeconfig: named })))).toMatchObject({ username: 'admin' });
    const wrong = kubeconfig((kc) => (kc.clusters[0]!.cluster['tls-server-name'] = 'wrong.example'));
    const err = await failure(whoami(new Client(await Config.load({ kubeconfig: wrong }))));
    expect((err as TransportError).kind).toBe('tls');
    const insecure = kubeconfig((kc) => {
      delete kc.clusters[0]!.cluster['certificate-authority-data'];
      kc.clusters[0]!.cluster['insecure-skip-tls-verify'] = true;
    });
    expect(await whoami(new Client(await Config.load({ kubeconfig: insecure })))).toMatchObject({ username: 'admin' });
    const noCa = kubeconfig((kc) => delete kc.clusters[0]!.cluster['certificate-authority-data']);
    const untrusted = await failure(whoami(new Client(await Config.load({ kubeconfig: noCa }))));
    expect((untrusted as TransportError).kind).toBe('tls');
    expect((untrusted as TransportError).message).toContain(cluster().server);
  });

  it('goes through the proxy-url of the cluster entry', async () => {
    const targets: string[] = [];
    const proxy = createHttpServer();
    proxy.on('connect', (req: IncomingMessage, socket: Socket) => {
      targets.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const up = connect(Number(port), host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.pipe(socket).pipe(up);
      });
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as AddressInfo).port;
    const viaProxy = kubeconfig((kc) => (kc.clusters[0]!.cluster['proxy-url'] = `http://127.0.0.1:${port}`));
    expect(await whoami(new Client(await Config.load({ kubeconfig: viaProxy })))).toMatchObject({ username: 'admin' });
    expect(targets).toEqual([new URL(cluster().server).host]);
  });
});

describe('Config: bad input gives one clear error', () => {
  it('a malformed kubeconfig names the file', async () => {
    const file = join(dir, 'broken');
    writeFileSync(file, 'clusters:\n  - name: x\n    cluster: [unclosed\n');
    const err = await failure(Config.load({ kubeconfig: file }));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(file);
  });

  it('a missing context and a missing file are named', async () => {
    const err = await failure(Config.load({ kubeconfig: cluster().kubeconfig, context: 'nope' }));
    expect((err as ConfigError).message).toBe('context was not found for specified context: nope');
    const missing = await failure(Config.load({ kubeconfig: join(dir, 'absent') }));
    expect((missing as ConfigError).message).toBe(`stat ${join(dir, 'absent')}: no such file or directory`);
  });

  it('an unreachable server is refused with kubectl’s message', async () => {
    const closed = kubeconfig((kc) => (kc.clusters[0]!.cluster.server = 'https://127.0.0.1:1'));
    const err = await failure(whoami(new Client(await Config.load({ kubeconfig: closed }))));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toBe('The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?');
  });
});
