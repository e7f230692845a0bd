import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { Config, ExecAuthenticator, Kubeconfig, loadKubeconfig, type ExecConfig } from '../../../src/lib/config/index.js';
import { b64, countLines, FIXTURES, isolatedEnvironment, issueCertificate, tempDir, writeScript } from './helpers.js';

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

/**
 * A plugin that appends its KUBERNETES_EXEC_INFO to `calls` (one line per run) and prints an
 * ExecCredential whose token names the run: tok-1, tok-2, …
 */
async function countingPlugin(dir: string, status: (run: string) => string, apiVersion = V1): Promise<{ command: string; calls: string }> {
  const calls = join(dir, 'calls');
  const command = await writeScript(
    join(dir, 'plugin.sh'),
    [
      `printf '%s\\n' "$KUBERNETES_EXEC_INFO" >> "${calls}"`,
      `run=$(wc -l < "${calls}" | tr -d ' ')`,
      'cat <<JSON',
      `{"apiVersion":"${apiVersion}","kind":"ExecCredential","status":${status('$run')}}`,
      'JSON',
    ].join('\n'),
  );
  return { command, calls };
}

async function execInfos(calls: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(calls, 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function kubeconfigWithExec(dir: string, exec: ExecConfig, cluster = 'server: https://exec.example.test'): Kubeconfig {
  return Kubeconfig.fromYaml(
    `current-context: c\nclusters:\n- name: c\n  cluster:\n    ${cluster}\nusers:\n- name: u\n  user:\n    exec: ${JSON.stringify(exec)}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
    join(dir, 'kubeconfig'),
  );
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as Error).message;
}

describe('exec credential plugins: caching', () => {
  it('runs once until expirationTimestamp, then again', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, (run) => `{"token":"tok-${run}","expirationTimestamp":"2030-01-01T00:00:00Z"}`);
    let now = Date.parse('2029-12-31T23:00:00Z');
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' }, { now: () => now, env: { PATH: process.env.PATH } });
    for (let i = 0; i < 5; i++) expect(await auth.credentials()).toEqual({ authorization: 'Bearer tok-1' });
    expect(await countLines(calls)).toBe(1);
    now = Date.parse('2030-01-01T00:00:01Z');
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer tok-2' });
    expect(await countLines(calls)).toBe(2);
  });

  it('without an expirationTimestamp the result is kept until invalidate()', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, (run) => `{"token":"tok-${run}"}`);
    let now = 0;
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' }, { now: () => now });
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer tok-1' });
    now = Date.parse('2100-01-01T00:00:00Z');
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer tok-1' });
    expect(await countLines(calls)).toBe(1);
    expect(auth.invalidate()).toBe(true);
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer tok-2' });
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer tok-2' });
    expect(await countLines(calls)).toBe(2);
  });

  it('concurrent callers share one run', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, (run) => `{"token":"tok-${run}"}`);
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' });
    const results = await Promise.all(Array.from({ length: 5 }, () => auth.credentials()));
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ authorization: 'Bearer tok-1' })));
    expect(await countLines(calls)).toBe(1);
  });

  it('is shared per exec config and cluster across clients', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, (run) => `{"token":"tok-${run}"}`);
    const kc = kubeconfigWithExec(dir, { apiVersion: V1, command, interactiveMode: 'Never' });
    const env = isolatedEnvironment(dir);
    const first = await Config.fromKubeconfig(kc, {}, env);
    const second = await Config.fromKubeconfig(kc, { namespace: 'other' }, env);
    expect(second.auth).toBe(first.auth);
    expect(await first.auth.credentials()).toEqual({ authorization: 'Bearer tok-1' });
    expect(await second.auth.credentials()).toEqual({ authorization: 'Bearer tok-1' });
    expect(await countLines(calls)).toBe(1);
    expect(second.auth.invalidate()).toBe(true);
    expect(await first.auth.credentials()).toEqual({ authorization: 'Bearer tok-2' });
  });

  it('a --token skips the plugin entirely', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, (run) => `{"token":"tok-${run}"}`);
    const kc = kubeconfigWithExec(dir, { apiVersion: V1, command, interactiveMode: 'Never' });
    const config = await Config.fromKubeconfig(kc, { token: 'flag' }, isolatedEnvironment(dir));
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer flag' });
    expect(await countLines(calls)).toBe(0);
  });
});

describe('exec credential plugins: input', () => {
  it('gets env on top of the parent environment and KUBERNETES_EXEC_INFO with the cluster', async () => {
    const dir = await tempDir();
    const seen = join(dir, 'seen');
    const command = await writeScript(
      join(dir, 'env-plugin.sh'),
      `printf '%s|%s|%s\\n' "$FROM_PARENT" "$LOGIN_MODE" "$KUBERNETES_EXEC_INFO" > "${seen}"\nprintf '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"t"}}'`,
    );
    const ca = '-----BEGIN CERTIFICATE-----\nZXhlYw==\n-----END CERTIFICATE-----\n';
    const kc = kubeconfigWithExec(
      dir,
      { apiVersion: V1, command, interactiveMode: 'IfAvailable', provideClusterInfo: true, env: [{ name: 'LOGIN_MODE', value: 'device' }] },
      `server: https://exec.example.test:6443/\n    certificate-authority-data: ${b64(ca)}\n    tls-server-name: api.internal\n    proxy-url: http://proxy.example.test:3128\n    extensions:\n    - name: client.authentication.k8s.io/exec\n      extension: {audience: ktx-tests}\n    - name: other\n      extension: {ignored: true}`,
    );
    const config = await Config.fromKubeconfig(kc, {}, isolatedEnvironment(dir, { FROM_PARENT: 'parent', LOGIN_MODE: 'overridden' }));
    await config.auth.credentials();
    const [parent, mode, info] = (await readFile(seen, 'utf8')).trim().split('|');
    expect(parent).toBe('parent');
    expect(mode).toBe('device');
    expect(JSON.parse(info ?? '')).toEqual({
      kind: 'ExecCredential',
      apiVersion: V1,
      spec: {
        interactive: false,
        cluster: {
          server: 'https://exec.example.test:6443',
          'tls-server-name': 'api.internal',
          'certificate-authority-data': b64(ca),
          'proxy-url': 'http://proxy.example.test:3128',
          config: { audience: 'ktx-tests' },
        },
      },
    });
  });

  it('without provideClusterInfo the spec has no cluster; IfAvailable is interactive on a terminal', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, () => '{"token":"t"}');
    await new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'IfAvailable' }, { isTerminal: () => true }).credentials();
    await new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' }, { isTerminal: () => true }).credentials();
    expect((await execInfos(calls)).map((i) => i.spec)).toEqual([{ interactive: true }, { interactive: false }]);
  });

  it('v1beta1 defaults to IfAvailable and speaks v1beta1', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, () => '{"token":"beta"}', V1BETA1);
    const auth = new ExecAuthenticator({ apiVersion: V1BETA1, command }, { isTerminal: () => false });
    expect(await auth.credentials()).toEqual({ authorization: 'Bearer beta' });
    expect(await execInfos(calls)).toEqual([{ kind: 'ExecCredential', apiVersion: V1BETA1, spec: { interactive: false } }]);
  });

  it('Always fails without a terminal', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, () => '{"token":"t"}');
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Always' }, { isTerminal: () => false });
    expect(await failure(auth.credentials())).toBe('getting credentials: exec plugin cannot support interactive mode: standard input is not a terminal');
    expect(await countLines(calls)).toBe(0);
  });

  it('runs a command relative to the kubeconfig that names it', async () => {
    const dir = await tempDir();
    await writeScript(join(dir, 'bin/plugin.sh'), `printf '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"relative"}}'`);
    const kc = Kubeconfig.fromYaml(
      `current-context: c\nclusters:\n- name: c\n  cluster: {server: "https://c"}\nusers:\n- name: u\n  user:\n    exec: {apiVersion: ${V1}, interactiveMode: Never, command: ../bin/plugin.sh}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n`,
      join(dir, 'conf/kubeconfig'),
    );
    const config = await Config.fromKubeconfig(kc, {}, isolatedEnvironment(dir));
    expect(await config.auth.credentials()).toEqual({ authorization: 'Bearer relative' });
  });
});

describe('exec credential plugins: configuration errors', () => {
  it('v1 requires interactiveMode; v1beta1 does not', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir);
    const kc = await loadKubeconfig({ kubeconfig: join(FIXTURES, 'exec.yaml') }, env);
    expect(await failure(Config.fromKubeconfig(kc, { context: 'v1-no-mode' }, env))).toBe(
      'interactiveMode must be specified for v1-no-mode to use exec authentication plugin',
    );
    expect((await Config.fromKubeconfig(kc, { context: 'v1beta1-no-mode' }, env)).auth.type).toBe('exec');
    expect(() => new ExecAuthenticator({ apiVersion: V1, command: 'x' }, { userName: 'direct' })).toThrow(
      'interactiveMode must be specified for direct to use exec authentication plugin',
    );
  });

  it('an unknown apiVersion or a missing command is refused', () => {
    expect(() => new ExecAuthenticator({ apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x', interactiveMode: 'Never' })).toThrow(
      'exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"',
    );
    expect(() => new ExecAuthenticator({ apiVersion: V1, interactiveMode: 'Never' }, { userName: 'u' })).toThrow(
      'command must be specified for u to use exec authentication plugin',
    );
  });
});

describe('exec credential plugins: output', () => {
  it('must use the configured apiVersion', async () => {
    const dir = await tempDir();
    const { command } = await countingPlugin(dir, () => '{"token":"t"}', V1BETA1);
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' });
    expect(await failure(auth.credentials())).toBe(`getting credentials: exec plugin is configured to use API version ${V1}, plugin returned version ${V1BETA1}`);
  });

  it('may return a client certificate and key instead of a token', async () => {
    const dir = await tempDir();
    const pair = await issueCertificate(dir, 'exec-client');
    const status = JSON.stringify({ clientCertificateData: pair.cert, clientKeyData: pair.key });
    const { command } = await countingPlugin(dir, () => status);
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' });
    expect(await auth.credentials()).toEqual({ cert: pair.cert, key: pair.key });
  });

  it('must return a token or a whole cert/key pair', async () => {
    const dir = await tempDir();
    const cases: Array<[string, string]> = [
      ['{}', `exec plugin didn't return a token or cert/key pair`],
      ['{"clientCertificateData":"-----BEGIN CERTIFICATE-----"}', 'exec plugin returned only certificate or key, not both'],
    ];
    for (const [status, message] of cases) {
      const { command } = await countingPlugin(await tempDir(), () => status);
      expect(await failure(new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' }).credentials())).toBe(`getting credentials: ${message}`);
    }
    const noStatus = await writeScript(join(dir, 'no-status.sh'), `printf '{"apiVersion":"${V1}","kind":"ExecCredential"}'`);
    expect(await failure(new ExecAuthenticator({ apiVersion: V1, command: noStatus, interactiveMode: 'Never' }).credentials())).toBe(
      `getting credentials: exec plugin didn't return a status field`,
    );
  });

  it('a missing command shows the installHint', async () => {
    const dir = await tempDir();
    const command = join(dir, 'kubectl-login');
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never', installHint: 'Install kubectl-login: \u001b[1mbrew install kubectl-login\u001b[0m' });
    const message = await failure(auth.credentials());
    expect(message).toBe(
      `getting credentials: exec: executable ${command} not found\n\nIt looks like you are trying to use a client-go credential plugin that is not installed.\n\nTo learn more about this feature, consult the documentation available at:\n      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins\n\nInstall kubectl-login: brew install kubectl-login`,
    );
  });

  it('a failing plugin reports its exit code and its stderr reaches the user', async () => {
    const dir = await tempDir();
    const command = await writeScript(join(dir, 'fail.sh'), `echo 'please log in first' >&2\nexit 3`);
    const stderr = new PassThrough();
    const chunks: Buffer[] = [];
    stderr.on('data', (c: Buffer) => chunks.push(c));
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' }, { stderr });
    expect(await failure(auth.credentials())).toBe(`getting credentials: exec: executable ${command} failed with exit code 3`);
    expect(Buffer.concat(chunks).toString()).toBe('please log in first\n');
  });

  it('an aborted caller stops waiting but the shared run still completes for others', async () => {
    const dir = await tempDir();
    const { command, calls } = await countingPlugin(dir, (run) => `{"token":"tok-${run}"}`);
    const auth = new ExecAuthenticator({ apiVersion: V1, command, interactiveMode: 'Never' });
    const controller = new AbortController();
    const aborted = auth.credentials(controller.signal);
    const waiting = auth.credentials();
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    expect(await waiting).toEqual({ authorization: 'Bearer tok-1' });
    expect(await countLines(calls)).toBe(1);
  });
});
