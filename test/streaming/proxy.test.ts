// exec and port-forward through the cluster's proxy (a kubeconfig's proxy-url), as every other
// request goes: an HTTP CONNECT proxy and a SOCKS5 one with a password, both on loopback, in front
// of the real apiserver. kubectl, given the same kubeconfig, goes through the same proxy.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/lib/errors.js';
import { exec } from '../../src/lib/streaming/exec.js';
import { PortForwarder } from '../../src/lib/streaming/port-forwarder.js';
import { resolvePodTarget } from '../../src/lib/targets/resolve.js';
import { contextClient } from '../helpers/client.js';
import { cluster, useNamespace } from '../helpers/cluster.js';
import { ktx, refKubectl } from '../helpers/differential.js';
import { connectProxy, socks5Proxy } from '../helpers/proxies.js';
import { apply, deployment, echoRoundTrip, readyPods } from './helpers.js';

const ns = useNamespace('proxy');
let pod = '';
const apiserver = () => new URL(cluster().server).host;

beforeAll(async () => {
  await apply(deployment(ns.name, 'web'));
  [pod = ''] = await readyPods(ns.name, 'web');
});

/** A copy of the cluster's kubeconfig whose cluster entry names `proxy` as its proxy-url. */
function kubeconfigWithProxy(proxy: string): string {
  const config = JSON.parse(readFileSync(cluster().kubeconfig, 'utf8')) as { clusters: Array<{ cluster: Record<string, unknown> }> };
  for (const c of config.clusters) c.cluster['proxy-url'] = proxy;
  const file = join(mkdtempSync(join(tmpdir(), 'ktx-proxy-')), 'config');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

async function execOutput(proxyUrl: string, command: string[]): Promise<{ exitCode: number; stdout: string }> {
  const client = contextClient('admin', {}, { proxyUrl });
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const r = await exec(client, { namespace: ns.name, pod, command, stdout });
  return { exitCode: r.exitCode, stdout: Buffer.concat(chunks).toString() };
}

describe('exec and port-forward through proxy-url', () => {
  it('ktx exec goes through an HTTP CONNECT proxy, with the same output and exit code as kubectl through it', async () => {
    const proxy = await connectProxy();
    const env = { KUBECONFIG: kubeconfigWithProxy(proxy.url) };
    const args = ['exec', pod, '-n', ns.name, '--', 'sh', '-c', 'echo through the proxy; exit 4'];
    const mine = await ktx(args, { env });
    const tunnels = proxy.targets.length;
    const theirs = await refKubectl(args, { env });
    expect(mine).toEqual(theirs);
    expect(mine).toMatchObject({ exitCode: 4, stdout: 'through the proxy' });
    // Discovery may be cached; the upgrade itself always needs a tunnel. kubectl went the same way.
    expect(tunnels).toBeGreaterThanOrEqual(1);
    expect(proxy.targets.length).toBeGreaterThan(tunnels);
    expect(new Set(proxy.targets)).toEqual(new Set([apiserver()]));
  });

  it('the library exec goes through a SOCKS5 proxy with a username and password', async () => {
    const proxy = await socks5Proxy({ user: 'ktx', password: 's3cret:/@' });
    expect(await execOutput(proxy.url, ['echo', 'socks'])).toEqual({ exitCode: 0, stdout: 'socks\n' });
    expect(proxy.targets).toEqual([apiserver()]);
    expect(proxy.credentials).toEqual(['ktx:s3cret:/@']);
  });

  it('port-forwards through both kinds, one tunnel per pod session', async () => {
    for (const proxy of [await connectProxy(), await socks5Proxy()]) {
      const client = contextClient('admin', {}, { proxyUrl: proxy.url });
      const f = new PortForwarder(client, { target: await resolvePodTarget(client, ns.name, pod), ports: [':8080'], addresses: ['127.0.0.1'] });
      await f.start();
      const port = f.listeners[0]!.local;
      const payload = Buffer.from(`hello via ${proxy.url}`);
      expect((await echoRoundTrip(port, payload)).toString()).toBe(payload.toString());
      expect((await echoRoundTrip(port, Buffer.from('again'))).toString()).toBe('again');
      await f.stop();
      expect(proxy.targets.filter((t) => t === apiserver()).length).toBeGreaterThanOrEqual(1);
      expect(new Set(proxy.targets)).toEqual(new Set([apiserver()]));
    }
  });

  it('reports a proxy that refuses, or a wrong SOCKS5 password, as a proxy error naming the proxy', async () => {
    const refusing = await connectProxy({ refuse: 407 });
    const refused = await execOutput(refusing.url, ['true']).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(TransportError);
    expect(refused).toMatchObject({ kind: 'proxy' });
    expect((refused as Error).message).toBe(
      `Unable to connect to the server ${cluster().server} through the proxy ${refusing.url}: the proxy refused CONNECT ${apiserver()}: 407 Refused by the test proxy`,
    );

    const socks = await socks5Proxy({ user: 'ktx', password: 'right' });
    const wrong = socks.url.replace(':right@', ':wrong@');
    const denied = await execOutput(wrong, ['true']).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((denied as Error).message).toBe(`Unable to connect to the server ${cluster().server} through the proxy ${wrong}: the SOCKS5 proxy refused the username and password`);

    // The CLI says so once, and fails.
    const cli = await ktx(['exec', pod, '-n', ns.name, '--', 'true'], { env: { KUBECONFIG: kubeconfigWithProxy(refusing.url) } });
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toMatch(/through the proxy http:\/\/127\.0\.0\.1:\d+: (the proxy refused CONNECT|.*407)/);
  });
});
