import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { Kubeconfig, loadKubeconfig, parseKubeconfig } from '../../../src/lib/config/index.js';
import { FIXTURES, isolatedEnvironment, tempDir, writeFiles } from './helpers.js';

const fixture = (name: string): string => join(FIXTURES, name);

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('choosing the files', () => {
  it('--kubeconfig reads only that file, even with KUBECONFIG set', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: fixture('merge/b.yaml') });
    const kc = await loadKubeconfig({ kubeconfig: fixture('merge/a.yaml') }, env);
    expect(kc.files).toEqual([fixture('merge/a.yaml')]);
    expect(kc.cluster('only-b')).toBeUndefined();
    expect(kc.rules).toEqual({ explicitPath: fixture('merge/a.yaml'), precedence: [] });
  });

  it('--kubeconfig must exist, with kubectl message', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'nope.yaml');
    const err = await rejection(loadKubeconfig({ kubeconfig: missing }, isolatedEnvironment(dir)));
    expect(err.message).toBe(`stat ${missing}: no such file or directory`);
  });

  it('KUBECONFIG drops empty entries and duplicates and skips missing files silently', async () => {
    const dir = await tempDir();
    const missing = join(dir, 'missing.yaml');
    const list = ['', fixture('merge/a.yaml'), missing, '', fixture('merge/a.yaml'), fixture('merge/b.yaml'), ''].join(delimiter);
    const kc = await loadKubeconfig({}, isolatedEnvironment(dir, { KUBECONFIG: list }));
    expect(kc.rules.precedence).toEqual([fixture('merge/a.yaml'), missing, fixture('merge/b.yaml')]);
    expect(kc.files).toEqual([fixture('merge/a.yaml'), fixture('merge/b.yaml')]);
    expect(kc.missing).toEqual([missing]);
  });

  it('without KUBECONFIG reads ~/.kube/config from the (injected) home directory', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'home/.kube/config': await readFile(fixture('merge/b.yaml'), 'utf8') });
    const kc = await loadKubeconfig({}, isolatedEnvironment(dir));
    expect(kc.files).toEqual([join(dir, 'home/.kube/config')]);
    expect(kc.currentContext).toBe('shared');
  });

  it('no file at all is an empty kubeconfig', async () => {
    const dir = await tempDir();
    const kc = await loadKubeconfig({}, isolatedEnvironment(dir));
    expect(kc.files).toEqual([]);
    expect(kc.missing).toEqual([join(dir, 'home/.kube/config')]);
    expect(kc.config).toMatchObject({ clusters: [], users: [], contexts: [] });
    expect(kc.currentContext).toBe('');
  });
});

describe('merging', () => {
  it('the first file that defines a name supplies the whole entry', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [fixture('merge/a.yaml'), fixture('merge/b.yaml')].join(delimiter) });
    const kc = await loadKubeconfig({}, env);
    // user u: only a.yaml's token; b.yaml's username/password are not merged in.
    expect(kc.user('u')).toEqual({ token: 'token-from-a' });
    expect(kc.cluster('shared')).toEqual({ server: 'https://a.example.test:6443/', 'certificate-authority': fixture('merge/ca/a.crt') });
    expect(kc.context('ctx-a')).toEqual({ cluster: 'shared', user: 'u', namespace: 'ns-a' });
    // Names only b.yaml defines are still there.
    expect(kc.cluster('only-b')).toEqual({ server: 'https://only-b.example.test' });
    expect(kc.user('b-user')).toEqual({ token: 'token-from-b' });
    expect(kc.config.clusters.map((c) => c.name)).toEqual(['shared', 'only-b']);
  });

  it('current-context comes from the first file with a non-empty value', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [fixture('merge/a.yaml'), fixture('merge/b.yaml')].join(delimiter) });
    expect((await loadKubeconfig({}, env)).currentContext).toBe('shared');
  });

  it('remembers which file defined each entry', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [fixture('merge/a.yaml'), fixture('merge/b.yaml')].join(delimiter) });
    const kc = await loadKubeconfig({}, env);
    expect(kc.originOf('cluster', 'shared')).toBe(fixture('merge/a.yaml'));
    expect(kc.originOf('cluster', 'only-b')).toBe(fixture('merge/b.yaml'));
    expect(kc.originOf('user', 'u')).toBe(fixture('merge/a.yaml'));
    expect(kc.originOf('context', 'shared')).toBe(fixture('merge/b.yaml'));
    expect(kc.originOf('context', 'nope')).toBeUndefined();
  });
});

describe('relative paths', () => {
  it('are resolved against the directory of the file that defined them', async () => {
    const kc = await loadKubeconfig({ kubeconfig: fixture('relative/nested/kubeconfig') }, isolatedEnvironment(await tempDir()));
    expect(kc.cluster('rel')?.['certificate-authority']).toBe(fixture('relative/ca/root.crt'));
    expect(kc.user('files')).toEqual({
      'client-certificate': fixture('relative/nested/certs/client.crt'),
      'client-key': fixture('relative/nested/certs/client.key'),
      tokenFile: fixture('relative/nested/token'),
    });
    expect(kc.user('plugin')?.exec?.command).toBe(fixture('relative/bin/plugin.sh'));
    // A bare command name is left for PATH lookup; absolute paths stay as they are.
    expect(kc.user('on-path')?.exec?.command).toBe('kubectl-login');
    expect(kc.user('absolute')?.tokenFile).toBe('/etc/ktx-test/token');
  });

  it('use the defining file of each entry when files are merged', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'one/config': 'users:\n- name: first\n  user:\n    tokenFile: tok\n',
      'two/config': 'users:\n- name: second\n  user:\n    tokenFile: tok\n- name: first\n  user:\n    tokenFile: other\n',
    });
    const env = isolatedEnvironment(dir, { KUBECONFIG: [join(dir, 'one/config'), join(dir, 'two/config')].join(delimiter) });
    const kc = await loadKubeconfig({}, env);
    expect(kc.user('first')?.tokenFile).toBe(join(dir, 'one/tok'));
    expect(kc.user('second')?.tokenFile).toBe(join(dir, 'two/tok'));
  });
});

describe('tolerated shapes', () => {
  it('a UTF-8 BOM and users: null', async () => {
    const kc = await loadKubeconfig({ kubeconfig: fixture('bom.yaml') }, isolatedEnvironment(await tempDir()));
    expect(kc.currentContext).toBe('bom');
    expect(kc.config.users).toEqual([]);
    expect(kc.cluster('bom')?.server).toBe('https://bom.example.test');
  });

  it.each([
    ['UTF-16 LE', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
    ['UTF-16 BE', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()])],
  ])('%s with its byte order mark (as PowerShell writes files)', async (_, encode) => {
    const dir = await tempDir();
    const text = (await readFile(fixture('bom.yaml'), 'utf8')).replace(/^\uFEFF/, '');
    await writeFile(join(dir, 'config'), encode(text));
    const kc = await loadKubeconfig({ kubeconfig: join(dir, 'config') }, isolatedEnvironment(dir));
    expect(kc.currentContext).toBe('bom');
    expect(kc.cluster('bom')?.server).toBe('https://bom.example.test');
  });

  it('an empty file', async () => {
    const kc = await loadKubeconfig({ kubeconfig: fixture('empty.yaml') }, isolatedEnvironment(await tempDir()));
    expect(kc.files).toEqual([fixture('empty.yaml')]);
    expect(kc.config.contexts).toEqual([]);
  });

  it('a user entry with {} or with no user object at all', async () => {
    const kc = await loadKubeconfig({ kubeconfig: fixture('empty-user.yaml') }, isolatedEnvironment(await tempDir()));
    expect(kc.user('empty')).toEqual({});
    expect(kc.user('absent')).toEqual({});
  });

  it('unknown fields survive at every level', async () => {
    const kc = await loadKubeconfig({ kubeconfig: fixture('unknown-fields.yaml') }, isolatedEnvironment(await tempDir()));
    expect(kc.cluster('x')?.['vendor-setting']).toBe('keep-me');
    expect(kc.config.clusters[0]?.['vendor-entry-field']).toBe(7);
    expect(kc.user('x')?.['future-auth-field']).toEqual([1, 2]);
    expect(kc.config['vendor-top-level']).toEqual({ kept: true });
    expect(kc.config.preferences).toEqual({ colors: true });
    expect(kc.config.extensions).toEqual([{ name: 'vendor.example/ext', extension: { answer: 42 } }]);
  });

  it('exec plugins declared in YAML', async () => {
    const kc = await loadKubeconfig({ kubeconfig: fixture('exec.yaml') }, isolatedEnvironment(await tempDir()));
    expect(kc.user('v1-user')?.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubectl-login',
      args: ['get-token', '--verbose'],
      env: [{ name: 'LOGIN_MODE', value: 'device' }],
      interactiveMode: 'IfAvailable',
      provideClusterInfo: true,
      installHint: 'install kubectl-login from your package manager',
    });
  });
});

describe('broken files', () => {
  it('malformed YAML names the file and the line', async () => {
    const err = await rejection(loadKubeconfig({ kubeconfig: fixture('malformed.yaml') }, isolatedEnvironment(await tempDir())));
    expect(err.message).toMatch(new RegExp(`^error loading config file "${fixture('malformed.yaml')}": yaml: line \\d+: `));
  });

  it('a malformed file in KUBECONFIG is an error, not skipped', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [fixture('merge/a.yaml'), fixture('malformed.yaml')].join(delimiter) });
    const err = await rejection(loadKubeconfig({}, env));
    expect(err.message).toContain(`error loading config file "${fixture('malformed.yaml')}"`);
  });

  it('wrong shapes, duplicate names and bad base64', () => {
    expect(() => parseKubeconfig('just a string', '/k/scalar')).toThrow(
      /^error loading config file "\/k\/scalar": couldn't get version\/kind; json parse error: json: cannot unmarshal string into Go value/,
    );
    expect(() => parseKubeconfig('clusters: nope', '/k/list')).toThrow(
      'error loading config file "/k/list": json: cannot unmarshal string into Go struct field Config.clusters of type []v1.NamedCluster',
    );
    expect(() => parseKubeconfig('users:\n- name: a\n- name: a\n', '/k/dup')).toThrow(/duplicate name "a" in list/);
    expect(() => parseKubeconfig('clusters:\n- name: a\n  cluster:\n    certificate-authority-data: "not*base64"\n', '/k/b64')).toThrow(
      'error loading config file "/k/b64": illegal base64 data at input byte 3',
    );
  });

  it('an unreadable path in KUBECONFIG is an error with Go wording', async () => {
    const dir = await tempDir();
    const err = await rejection(loadKubeconfig({}, isolatedEnvironment(dir, { KUBECONFIG: dir })));
    expect(err.message).toBe(`error loading config file "${dir}": read ${dir}: is a directory`);
  });
});

describe('Kubeconfig.fromYaml', () => {
  it('parses one document with paths relative to the named file', async () => {
    const dir = await tempDir();
    await copyFile(fixture('merge/ca/a.crt'), join(dir, 'ca.crt'));
    const kc = Kubeconfig.fromYaml('clusters:\n- name: c\n  cluster:\n    server: https://c\n    certificate-authority: ca.crt\n', join(dir, 'kc'));
    expect(kc.cluster('c')?.['certificate-authority']).toBe(join(dir, 'ca.crt'));
    expect(kc.originOf('cluster', 'c')).toBe(join(dir, 'kc'));
  });
});
