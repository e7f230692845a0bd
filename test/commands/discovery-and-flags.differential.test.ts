// api-resources, api-versions and the global flags, against the reference kubectl; plus the
// speed contract of `ktx get`: no discovery request on a warm cache, one connection.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cluster } from '../helpers/cluster.js';
import { expectSameAsKubectl, ktx, refKubectl } from '../helpers/differential.js';

const token = () =>
  (JSON.parse(readFileSync(cluster().kubeconfig, 'utf8')) as { users: Array<{ name: string; user: { token?: string } }> }).users.find(
    (u) => u.name === 'token-user',
  )!.user.token!;

describe('api-resources and api-versions match kubectl', () => {
  it.each([
    ['api-resources'],
    ['api-resources', '-o', 'wide'],
    ['api-resources', '-o', 'name'],
    ['api-resources', '-o', 'json', '--api-group=apps'],
    ['api-resources', '-o', 'yaml', '--api-group=batch'],
    ['api-resources', '--namespaced=false'],
    ['api-resources', '--namespaced=true', '--no-headers'],
    ['api-resources', '--api-group=apps'],
    ['api-resources', '--api-group='],
    ['api-resources', '--verbs=list,watch', '--api-group=rbac.authorization.k8s.io'],
    ['api-resources', '--categories=all'],
    ['api-resources', '--sort-by=kind'],
    ['api-resources', '--sort-by=name', '--cached'],
    ['api-resources', '-o', 'bogus'],
    ['api-versions'],
  ].map((a) => [a.join(' '), a]))('%s', async (_, args) => {
    // CRDs created by concurrently running tests can come and go between the two runs; compare
    // only built-in groups, which never change.
    await expectSameAsKubectl(args as string[], { replace: [[/^.*\.ktx\.(test|dev).*\n/gm, ''], [/^\s*(- )?[\w.-]*\.ktx\.(test|dev).*\n/gm, '']] });
  });
});

describe('global flags match kubectl', () => {
  it.each([
    ['--context', 'nope', 'get', 'ns'],
    ['--cluster', 'nope', 'get', 'ns', 'default'],
    ['--user', 'nope', 'get', 'ns', 'default'],
    ['--kubeconfig', '/nonexistent', 'get', 'ns'],
    ['--as', 'jane', 'get', 'pods', '-n', 'default'],
    ['--as', 'jane', '--as-group', 'system:masters', 'get', 'ns', 'default', '-o', 'name'],
    ['--as', 'jane', '--as-group', 'devs', '--as-group', 'ops', 'get', 'ns', 'default'],
    ['--namespace', 'kube-system', 'get', 'cm', 'kube-root-ca.crt', '-o', 'name'],
    ['-n', 'kube-system', 'get', 'cm', 'kube-root-ca.crt', '-o', 'jsonpath={.metadata.namespace}'],
  ].map((a) => [a.join(' '), a]))('%s', async (_, args) => {
    await expectSameAsKubectl(args as string[], { ages: true });
  });

  it.each([
    ['config', 'set-credentials', 'x', '--bogus=1'],
    ['config', 'view', '--bogus'],
    ['get', 'pods', '--bogus'],
  ].map((a) => [a.join(' '), a]))('an unknown flag names the command in its hint: %s', async (_, args) => {
    const { stderr } = await expectSameAsKubectl(args as string[]);
    expect(stderr).toMatch(/^error: unknown flag: --bogus\nSee 'ktx [\w -]+ --help' for usage\.$/);
  });

  // pflag takes whatever follows a value flag as its value, so only a last one has none.
  it.each([
    ['get', 'pods', '-o'],
    ['get', 'pods', '--output'],
    ['get', 'pods', '-l'],
    ['-n'],
    ['logs', '-c'],
    ['config', 'view', '-o'],
    ['api-resources', '--api-group'],
  ].map((a) => [a.join(' '), a]))('a value flag given last: %s', async (_, args) => {
    const { stderr } = await expectSameAsKubectl(args as string[]);
    expect(stderr).toMatch(/^error: flag needs an argument: /);
  });

  // Cobra suggests commands within a Levenshtein distance of 2, or starting with the typed name.
  it.each([['lgos'], ['confg', 'view'], ['config', 'vew'], ['versoin'], ['nosuchthing']].map((a) => [a.join(' '), a]))(
    'an unknown command, with suggestions: %s',
    async (_, args) => {
      const { stderr, exitCode } = await expectSameAsKubectl(args as string[]);
      expect(exitCode).toBe(1);
      expect(stderr).toContain('unknown command');
    },
  );

  it('an unreachable --server: kubectl’s final line, without its klog noise', async () => {
    const mine = await ktx(['-s', 'https://127.0.0.1:1', 'get', 'ns']);
    const theirs = await refKubectl(['-s', 'https://127.0.0.1:1', 'get', 'ns']);
    const refused = 'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?';
    expect(theirs.stderr.endsWith(refused)).toBe(true);
    expect(mine).toEqual({ exitCode: theirs.exitCode, stdout: '', stderr: refused });
  });

  it('--token, --server and --insecure-skip-tls-verify', async () => {
    await expectSameAsKubectl(['--token', token(), 'get', 'ns', 'default', '-o', 'name']);
    await expectSameAsKubectl(['--server', cluster().server, '--insecure-skip-tls-verify', '--token', token(), 'get', 'ns', 'default', '-o', 'name']);
    await expectSameAsKubectl(['--token', 'not-a-valid-token', 'get', 'ns', 'default'], { ages: true });
  });
});

describe('ktx get: speed contract and request logging', () => {
  it('makes no discovery request on a warm cache, and logs requests at -v 6 without credentials', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'ktx-cache-'));
    const cold = await ktx(['get', 'ns', 'default', '--cache-dir', cacheDir, '-v', '6', '--token', token()]);
    expect(cold.exitCode).toBe(0);
    expect(cold.stderr).toMatch(/GET https:\/\/\S+\/apis\?timeout=32s 200 OK/);
    const warm = await ktx(['get', 'ns', 'default', '--cache-dir', cacheDir, '-v', '6', '--token', token()]);
    expect(warm.exitCode).toBe(0);
    const requests = warm.stderr.split('\n').filter((l) => / ktx\] (GET|POST|PUT|PATCH|DELETE) /.test(l));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/GET https:\/\/\S+\/api\/v1\/namespaces\/default 200 OK in \d+ milliseconds$/);
    const headers = await ktx(['get', 'ns', 'default', '--cache-dir', cacheDir, '-v', '8', '--token', token()]);
    expect(headers.stderr).toContain('authorization: Bearer <masked>');
    expect(headers.stderr).not.toContain(token());
  });
});
