import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { Config, Kubeconfig, loadKubeconfig, type ConfigEnvironment, type ConfigOverrides } from '../../../src/lib/config/index.js';
import { b64, countLines, FIXTURES, isolatedEnvironment, issueCertificate, tempDir, writeFiles, writeScript } from './helpers.js';

const fixture = (name: string): string => join(FIXTURES, name);

async function fromFixture(name: string, overrides: ConfigOverrides = {}, env?: ConfigEnvironment): Promise<Config> {
  const environment = env ?? isolatedEnvironment(await tempDir());
  const kubeconfig = await loadKubeconfig({ kubeconfig: fixture(name) }, environment);
  return Config.fromKubeconfig(kubeconfig, overrides, environment);
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as Error).message;
}

describe('choosing the context', () => {
  it('an unknown --context or current-context is kubectl error', async () => {
    expect(await failure(fromFixture('merge/a.yaml', { context: 'nope' }))).toBe('context was not found for specified context: nope');
    const kc = Kubeconfig.fromYaml('current-context: gone\n', '/k/kc');
    expect(await failure(Config.fromKubeconfig(kc, {}, isolatedEnvironment(await tempDir())))).toBe('context was not found for specified context: gone');
  });

  it('no current context and no flags: http://localhost:8080, no credentials, namespace default', async () => {
    const config = await fromFixture('merge/a.yaml');
    expect(config.server).toBe('http://localhost:8080');
    expect(config.auth.type).toBe('none');
    expect(config.tls).toEqual({});
    expect(config.namespace).toBe('default');
    expect(config.contextName).toBeUndefined();
  });

  it('KUBERNETES_MASTER replaces the default server', async () => {
    const env = isolatedEnvironment(await tempDir(), { KUBERNETES_MASTER: 'http://master.example.test:8080' });
    expect((await fromFixture('empty.yaml', {}, env)).server).toBe('http://master.example.test:8080');
  });

  it('--cluster and --user replace the context parts; unknown ones fail like kubectl', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [fixture('merge/a.yaml'), fixture('merge/b.yaml')].join(':') });
    const kc = await loadKubeconfig({}, env);
    const config = await Config.fromKubeconfig(kc, { context: 'ctx-a', cluster: 'only-b', user: 'b-user' }, env);
    expect(config.server).toBe('https://only-b.example.test');
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer token-from-b' });
    expect(config).toMatchObject({ contextName: 'ctx-a', clusterName: 'only-b', userName: 'b-user', namespace: 'ns-a' });
    expect(await failure(Config.fromKubeconfig(kc, { cluster: 'nope' }, env))).toBe('no server found for cluster "nope"');
    expect(await failure(Config.fromKubeconfig(kc, { user: 'nope' }, env))).toBe('auth info "nope" does not exist');
  });

  it('a context naming a user that exists nowhere (or an empty one) means no credentials', async () => {
    for (const context of ['anon', 'absent-user', 'ghost-user']) {
      const config = await fromFixture('empty-user.yaml', { context });
      expect(config.server).toBe('https://anon.example.test');
      expect(config.auth.type).toBe('none');
      expect(await config.auth.credentials()).toEqual({});
    }
  });
});

describe('namespace', () => {
  it('-n beats the context namespace, which beats default', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [fixture('merge/a.yaml'), fixture('merge/b.yaml')].join(':') });
    const kc = await loadKubeconfig({}, env);
    expect((await Config.fromKubeconfig(kc, { context: 'ctx-a', namespace: 'flag-ns' }, env)).namespace).toBe('flag-ns');
    expect((await Config.fromKubeconfig(kc, { context: 'ctx-a' }, env)).namespace).toBe('ns-a');
    expect((await Config.fromKubeconfig(kc, {}, env)).namespace).toBe('default');
  });
});

describe('server and TLS', () => {
  it('strips the trailing slash and reads the CA relative to the defining file', async () => {
    const config = await fromFixture('merge/a.yaml', { context: 'ctx-a' });
    expect(config.server).toBe('https://a.example.test:6443');
    expect(config.tls.ca).toContain('Zml4dHVyZSBDQSBmb3IgdGhlIG1lcmdlIHRlc3Q=');
  });

  it('a server without a scheme is plain http, as in kubectl', async () => {
    const kc = Kubeconfig.fromYaml(
      'current-context: c\nclusters:\n- name: c\n  cluster:\n    server: 10.0.0.1:6443\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n',
    );
    const config = await Config.fromKubeconfig(kc, {}, isolatedEnvironment(await tempDir()));
    expect(config.server).toBe('http://10.0.0.1:6443');
    expect(config.auth.type).toBe('none');
  });

  it('insecure-skip-tls-verify with a CA is refused; the CLI insecure flag clears the CA', async () => {
    expect(await failure(fromFixture('conflicts.yaml', { context: 'insecure-ca' }))).toBe(
      'specifying a root certificates file with the insecure flag is not allowed',
    );
    const flagged = await fromFixture('merge/a.yaml', { context: 'ctx-a', insecureSkipTlsVerify: true });
    expect(flagged.tls).toEqual({ insecureSkipVerify: true });
    const both = fromFixture('merge/a.yaml', { context: 'ctx-a', insecureSkipTlsVerify: true, certificateAuthority: fixture('merge/ca/a.crt') });
    expect(await failure(both)).toBe('specifying a root certificates file with the insecure flag is not allowed');
  });

  it('--certificate-authority replaces the CA and the insecure setting of the kubeconfig', async () => {
    const config = await fromFixture('merge/b.yaml', { context: 'shared', certificateAuthority: fixture('relative/ca/root.crt') });
    expect(config.tls.insecureSkipVerify).toBeUndefined();
    expect(config.tls.ca).toContain('Zml4dHVyZSBDQSBmb3IgdGhlIHJlbGF0aXZlIHBhdGggdGVzdA==');
  });

  it('--server clears tls-server-name unless --tls-server-name is given too', async () => {
    const dir = await tempDir();
    const kc = Kubeconfig.fromYaml(
      'current-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://c.example.test/\n    tls-server-name: from-kubeconfig\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n',
    );
    const env = isolatedEnvironment(dir);
    expect((await Config.fromKubeconfig(kc, {}, env)).tls.serverName).toBe('from-kubeconfig');
    const withServer = await Config.fromKubeconfig(kc, { server: 'https://other.example.test:443/' }, env);
    expect(withServer.server).toBe('https://other.example.test:443');
    expect(withServer.tls.serverName).toBeUndefined();
    expect((await Config.fromKubeconfig(kc, { server: 'https://o', tlsServerName: 'flag' }, env)).tls.serverName).toBe('flag');
    expect((await Config.fromKubeconfig(kc, { tlsServerName: 'flag-only' }, env)).tls.serverName).toBe('flag-only');
  });

  it('certificate-authority-data is decoded; both forms at once is kubectl validation error', async () => {
    const dir = await tempDir();
    const pem = '-----BEGIN CERTIFICATE-----\nZGF0YQ==\n-----END CERTIFICATE-----\n';
    await writeFiles(dir, { 'ca.crt': 'file form\n' });
    const yaml = (extra: string): string =>
      `current-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://c\n    certificate-authority-data: ${b64(pem)}\n${extra}contexts:\n- name: c\n  context: {cluster: c, user: u}\n`;
    const env = isolatedEnvironment(dir);
    expect((await Config.fromKubeconfig(Kubeconfig.fromYaml(yaml(''), join(dir, 'kc')), {}, env)).tls.ca).toBe(pem);
    const both = Kubeconfig.fromYaml(yaml('    certificate-authority: ca.crt\n'), join(dir, 'kc'));
    expect(await failure(Config.fromKubeconfig(both, {}, env))).toBe(
      'certificate-authority-data and certificate-authority are both specified for c. certificate-authority-data will override.',
    );
  });

  it('an unreadable CA file is reported like kubectl', async () => {
    const dir = await tempDir();
    const kc = Kubeconfig.fromYaml(
      'current-context: c\nclusters:\n- name: c\n  cluster:\n    server: https://c\n    certificate-authority: missing.crt\ncontexts:\n- name: c\n  context: {cluster: c}\n',
      join(dir, 'kc'),
    );
    const ca = join(dir, 'missing.crt');
    expect(await failure(Config.fromKubeconfig(kc, {}, isolatedEnvironment(dir)))).toBe(
      `unable to read certificate-authority ${ca} for c due to open ${ca}: no such file or directory`,
    );
  });

  it('proxy-url must be http, https or socks5', async () => {
    expect(await failure(fromFixture('conflicts.yaml', { context: 'ftp-proxy' }))).toBe(
      `invalid 'proxy-url' "ftp://proxy.example.test:21" for cluster "ftp-proxy": unsupported scheme "ftp", must be http, https, or socks5`,
    );
    const socks = await fromFixture('conflicts.yaml', { context: 'socks-proxy' });
    expect(socks.proxyUrl).toBe('socks5://127.0.0.1:1080');
    expect(socks.namespace).toBe('proxied');
  });
});

describe('client certificates', () => {
  it.each(['ec', 'rsa'] as const)('files (%s key) and data land in tls.cert/key', async (keyType) => {
    const dir = await tempDir();
    const pair = await issueCertificate(dir, 'client', keyType);
    const fileForm = Kubeconfig.fromYaml(
      `current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c"}\nusers:\n- name: u\n  user:\n    client-certificate: client.crt\n    client-key: client.key\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
      join(dir, 'kc'),
    );
    const fromFiles = await Config.fromKubeconfig(fileForm, {}, isolatedEnvironment(dir));
    expect(fromFiles.tls).toEqual({ cert: pair.cert, key: pair.key });
    expect(fromFiles.auth.type).toBe('client-certificate');
    expect(await fromFiles.auth.credentials()).toEqual({});

    const dataForm = Kubeconfig.fromYaml(
      `current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c"}\nusers:\n- name: u\n  user:\n    client-certificate-data: ${b64(pair.cert)}\n    client-key-data: ${b64(pair.key)}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
    );
    expect((await Config.fromKubeconfig(dataForm, {}, isolatedEnvironment(dir))).tls).toEqual({ cert: pair.cert, key: pair.key });
  });

  it('a certificate without a key is refused', async () => {
    const kc = Kubeconfig.fromYaml(
      `current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c"}\nusers:\n- name: u\n  user:\n    client-certificate-data: ${b64('x')}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
    );
    expect(await failure(Config.fromKubeconfig(kc, {}, isolatedEnvironment(await tempDir())))).toBe(
      'client-key-data or client-key must be specified for u to use the clientCert authentication method.',
    );
  });
});

describe('credentials', () => {
  it('token together with username/password is refused with kubectl message', async () => {
    expect(await failure(fromFixture('conflicts.yaml', { context: 'token-basic' }))).toBe(
      'more than one authentication method found for token-and-basic; found [token basicAuth], only one is allowed',
    );
  });

  it('--token together with a basic-auth user is refused the same way', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: fixture('merge/b.yaml') });
    const kc = await loadKubeconfig({}, env);
    expect(await failure(Config.fromKubeconfig(kc, { token: 'flag' }, env))).toBe(
      'more than one authentication method found for u; found [token basicAuth], only one is allowed',
    );
  });

  it('basic auth and static tokens become Authorization headers', async () => {
    const basic = await fromFixture('merge/b.yaml', { context: 'shared' });
    expect(basic.auth.type).toBe('basic');
    expect(await basic.auth.credentials()).toEqual({ authorization: `Basic ${b64('admin:from-b')}` });
    expect(basic.auth.invalidate()).toBe(false);
    const token = await fromFixture('merge/a.yaml', { context: 'ctx-a' });
    expect(await token.auth.credentials()).toEqual({ authorization: 'Bearer token-from-a' });
  });

  it('an http:// server gets no credentials at all and never runs the exec plugin', async () => {
    const dir = await tempDir();
    const marker = join(dir, 'ran');
    await writeScript(join(dir, 'plugin.sh'), `echo run >> "${marker}"\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}'`);
    const kc = Kubeconfig.fromYaml(
      `current-context: t\nclusters:\n- name: plain\n  cluster: {server: "http://plain.example.test:8080/"}\nusers:\n- name: token\n  user: {token: secret, client-certificate-data: ${b64('c')}, client-key-data: ${b64('k')}}\n- name: exec\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, command: ./plugin.sh}\ncontexts:\n- name: t\n  context: {cluster: plain, user: token}\n- name: e\n  context: {cluster: plain, user: exec}\n`,
      join(dir, 'kc'),
    );
    const env = isolatedEnvironment(dir);
    for (const context of ['t', 'e']) {
      const config = await Config.fromKubeconfig(kc, { context }, env);
      expect(config.server).toBe('http://plain.example.test:8080');
      expect(config.auth.type).toBe('none');
      expect(await config.auth.credentials()).toEqual({});
      expect(config.tls).toEqual({});
    }
    expect(await countLines(marker)).toBe(0);
  });

  it('the removed gcp and azure providers fail with the hint; unknown providers too', async () => {
    const yaml = (name: string): Kubeconfig =>
      Kubeconfig.fromYaml(
        `current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c"}\nusers:\n- name: u\n  user:\n    auth-provider: {name: ${name}, config: {}}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
      );
    const env = isolatedEnvironment(await tempDir());
    expect(await failure(Config.fromKubeconfig(yaml('gcp'), {}, env))).toContain('gke-gcloud-auth-plugin');
    expect(await failure(Config.fromKubeconfig(yaml('azure'), {}, env))).toContain('https://github.com/Azure/kubelogin');
    expect(await failure(Config.fromKubeconfig(yaml('magic'), {}, env))).toBe('no Auth Provider found for name "magic"');
  });
});

describe('impersonation, timeouts and compression', () => {
  it('come from the user entry and the flags', async () => {
    const kc = Kubeconfig.fromYaml(
      `current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c", disable-compression: true}\nusers:\n- name: u\n  user:\n    token: t\n    as: alice\n    as-groups: [devs]\n    as-user-extra: {scopes: [read]}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
    );
    const env = isolatedEnvironment(await tempDir());
    const fromFile = await Config.fromKubeconfig(kc, {}, env);
    expect(fromFile.impersonate).toEqual({ user: 'alice', groups: ['devs'], extra: { scopes: ['read'] } });
    expect(fromFile.disableCompression).toBe(true);
    expect(fromFile.requestTimeoutMs).toBeUndefined();
    const flagged = await Config.fromKubeconfig(kc, { as: 'bob', asGroups: ['ops', 'sre'], asUid: '42', requestTimeout: '1m' }, env);
    expect(flagged.impersonate).toEqual({ user: 'bob', groups: ['ops', 'sre'], uid: '42', extra: { scopes: ['read'] } });
    expect(flagged.requestTimeoutMs).toBe(60_000);
  });

  it('groups without a user to impersonate are refused', async () => {
    const kc = Kubeconfig.fromYaml(`current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`);
    expect(await failure(Config.fromKubeconfig(kc, { asGroups: ['g'] }, isolatedEnvironment(await tempDir())))).toBe(
      'requesting uid, groups or user-extra for u without impersonating a user',
    );
  });
});
