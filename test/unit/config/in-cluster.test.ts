import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { Config, TOKEN_FILE_REFRESH_MS } from '../../../src/lib/config/index.js';
import { FIXTURES, isolatedEnvironment, tempDir, writeFiles } from './helpers.js';

const CA = '-----BEGIN CERTIFICATE-----\naW4tY2x1c3Rlcg==\n-----END CERTIFICATE-----\n';

/** A temp dir with a pod's service-account mount (token, ca.crt, optional namespace). */
async function pod(namespaceFile?: string): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, {
    'serviceaccount/token': 'sa-token-1\n',
    'serviceaccount/ca.crt': CA,
    ...(namespaceFile === undefined ? {} : { 'serviceaccount/namespace': namespaceFile }),
  });
  return dir;
}

const SERVICE = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

describe('in-cluster configuration', () => {
  it('applies when no kubeconfig exists, with the service-account CA and token', async () => {
    const dir = await pod('team-a\n');
    const config = await Config.load({}, isolatedEnvironment(dir, SERVICE));
    expect(config.source).toBe('in-cluster');
    expect(config.server).toBe('https://10.96.0.1:443');
    expect(config.tls).toEqual({ ca: CA });
    expect(config.auth.type).toBe('token-file');
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer sa-token-1' });
    expect(config.namespace).toBe('team-a');
  });

  it('brackets an IPv6 service host', async () => {
    const dir = await pod();
    const config = await Config.inCluster({}, isolatedEnvironment(dir, { KUBERNETES_SERVICE_HOST: 'fd00:10:96::1', KUBERNETES_SERVICE_PORT: '6443' }));
    expect(config.server).toBe('https://[fd00:10:96::1]:6443');
  });

  it('namespace: -n, then POD_NAMESPACE, then the namespace file, then default', async () => {
    const withFile = await pod('from-file\n');
    expect((await Config.inCluster({ namespace: 'flag' }, isolatedEnvironment(withFile, { ...SERVICE, POD_NAMESPACE: 'from-env' }))).namespace).toBe('flag');
    expect((await Config.inCluster({}, isolatedEnvironment(withFile, { ...SERVICE, POD_NAMESPACE: 'from-env' }))).namespace).toBe('from-env');
    expect((await Config.inCluster({}, isolatedEnvironment(withFile, SERVICE))).namespace).toBe('from-file');
    expect((await Config.inCluster({}, isolatedEnvironment(await pod(), SERVICE))).namespace).toBe('default');
  });

  it('re-reads the rotated token about every minute', async () => {
    const dir = await pod();
    let now = 1_000_000;
    const config = await Config.inCluster({}, isolatedEnvironment(dir, SERVICE, { now: () => now }));
    await writeFile(join(dir, 'serviceaccount/token'), 'sa-token-2\n');
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer sa-token-1' });
    now += TOKEN_FILE_REFRESH_MS;
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer sa-token-2' });
  });

  it('--server, --token and --certificate-authority replace their parts', async () => {
    const dir = await pod();
    const config = await Config.inCluster(
      { server: 'https://api.example.test:6443/', token: 'flag-token', certificateAuthority: join(FIXTURES, 'merge/ca/a.crt') },
      isolatedEnvironment(dir, SERVICE),
    );
    expect(config.server).toBe('https://api.example.test:6443');
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer flag-token' });
    expect(config.tls.ca).toContain('Zml4dHVyZSBDQSBmb3IgdGhlIG1lcmdlIHRlc3Q=');
  });

  it('fails with client-go messages outside a pod or without a token', async () => {
    const dir = await tempDir();
    await expect(Config.inCluster({}, isolatedEnvironment(dir))).rejects.toThrow(
      new ConfigError('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined'),
    );
    const token = join(dir, 'serviceaccount/token');
    await expect(Config.inCluster({}, isolatedEnvironment(dir, SERVICE))).rejects.toThrow(`open ${token}: no such file or directory`);
  });
});

describe('Config.load', () => {
  it('prefers a kubeconfig that selects a server; a context without namespace then uses the pod namespace', async () => {
    const dir = await pod('pod-ns\n');
    const env = isolatedEnvironment(dir, { ...SERVICE, KUBECONFIG: join(FIXTURES, 'merge/b.yaml') });
    const config = await Config.load({}, env);
    expect(config.source).toBe('kubeconfig');
    expect(config.server).toBe('https://b.example.test:6443');
    expect(config.namespace).toBe('pod-ns');
    expect((await Config.load({ namespace: 'flag' }, env)).namespace).toBe('flag');
  });

  it('uses in-cluster configuration when the kubeconfig selects nothing', async () => {
    const dir = await pod();
    const config = await Config.load({}, isolatedEnvironment(dir, { ...SERVICE, KUBECONFIG: join(FIXTURES, 'merge/a.yaml') }));
    expect(config.source).toBe('in-cluster');
    expect(config.server).toBe('https://10.96.0.1:443');
  });

  it('falls back to http://localhost:8080 with no kubeconfig and no pod', async () => {
    const config = await Config.load({}, isolatedEnvironment(await tempDir()));
    expect(config.source).toBe('kubeconfig');
    expect(config.server).toBe('http://localhost:8080');
    expect(config.namespace).toBe('default');
  });

  it('--kubeconfig, --context and -n are honoured', async () => {
    const config = await Config.load(
      { kubeconfig: join(FIXTURES, 'merge/a.yaml'), context: 'ctx-a', namespace: 'n1' },
      isolatedEnvironment(await tempDir()),
    );
    expect(config).toMatchObject({ server: 'https://a.example.test:6443', namespace: 'n1', contextName: 'ctx-a', clusterName: 'shared', userName: 'u' });
    expect(config.kubeconfig?.files).toEqual([join(FIXTURES, 'merge/a.yaml')]);
  });
});
