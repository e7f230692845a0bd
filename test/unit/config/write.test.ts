import { readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { loadKubeconfig, setContextNamespace, setCurrentContext } from '../../../src/lib/config/index.js';
import { isolatedEnvironment, tempDir, writeFiles } from './helpers.js';

const FIRST = `# team kubeconfig: keep this comment
apiVersion: v1
kind: Config
current-context: old
clusters:
- name: c1
  cluster:
    server: https://c1.example.test
    certificate-authority-data: ${'QUJD'.repeat(40)}
contexts:
- name: old
  context: {cluster: c1, user: u1}
users:
- name: u1
  user: {token: t1}
`;

const SECOND = `apiVersion: v1
kind: Config
current-context: second-file-value
contexts:
- name: dev # the dev context
  context:
    cluster: c1
    user: u1
    namespace: before
`;

async function twoFiles(): Promise<{ dir: string; first: string; second: string; missing: string }> {
  const dir = await tempDir();
  await writeFiles(dir, { 'first.yaml': FIRST, 'second.yaml': SECOND });
  return { dir, first: join(dir, 'first.yaml'), second: join(dir, 'second.yaml'), missing: join(dir, 'missing.yaml') };
}

describe('use-context', () => {
  it('writes current-context to the first existing KUBECONFIG file only, keeping comments and layout', async () => {
    const { dir, first, second, missing } = await twoFiles();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [missing, first, second].join(delimiter) });
    const written = await setCurrentContext(await loadKubeconfig({}, env), 'dev');
    expect(written).toBe(first);
    expect(await readFile(first, 'utf8')).toBe(FIRST.replace('current-context: old', 'current-context: dev'));
    expect(await readFile(second, 'utf8')).toBe(SECOND);
    expect((await loadKubeconfig({}, env)).currentContext).toBe('dev');
  });

  it('writes to the --kubeconfig file when one was given', async () => {
    const { dir, second } = await twoFiles();
    const kc = await loadKubeconfig({ kubeconfig: second }, isolatedEnvironment(dir));
    expect(await setCurrentContext(kc, 'dev')).toBe(second);
    expect(await readFile(second, 'utf8')).toContain('current-context: dev\n');
  });

  it('keeps indented sequences indented', async () => {
    const dir = await tempDir();
    const indented = 'current-context: a\ncontexts:\n  - name: a\n    context:\n      cluster: c\n  - name: b\n    context:\n      cluster: c\n';
    await writeFiles(dir, { config: indented });
    const kc = await loadKubeconfig({ kubeconfig: join(dir, 'config') }, isolatedEnvironment(dir));
    await setCurrentContext(kc, 'b');
    expect(await readFile(join(dir, 'config'), 'utf8')).toBe(indented.replace('current-context: a', 'current-context: b'));
  });

  it('creates ~/.kube/config when no file exists', async () => {
    const dir = await tempDir();
    const env = isolatedEnvironment(dir);
    const written = await setCurrentContext(await loadKubeconfig({}, env), 'fresh');
    expect(written).toBe(join(dir, 'home/.kube/config'));
    const kc = await loadKubeconfig({}, env);
    expect(kc.currentContext).toBe('fresh');
    expect(kc.config.apiVersion).toBe('v1');
  });

  it('creates the last KUBECONFIG file when none of them exists (client-go GetDefaultFilename)', async () => {
    const dir = await tempDir();
    const [a, b] = [join(dir, 'a.yaml'), join(dir, 'b.yaml')];
    const env = isolatedEnvironment(dir, { KUBECONFIG: [a, b].join(delimiter) });
    expect(await setCurrentContext(await loadKubeconfig({}, env), 'fresh')).toBe(b);
    expect((await loadKubeconfig({}, env)).currentContext).toBe('fresh');
  });

  it('refuses to write while another writer holds the lock', async () => {
    const { dir, first } = await twoFiles();
    await writeFile(`${first}.lock`, '');
    const kc = await loadKubeconfig({ kubeconfig: first }, isolatedEnvironment(dir));
    await expect(setCurrentContext(kc, 'dev')).rejects.toThrow(new ConfigError(`open ${first}.lock: file exists`));
    expect(await readFile(first, 'utf8')).toBe(FIRST);
  });
});

describe('set-context --namespace', () => {
  it('changes the context in the file that defined it', async () => {
    const { dir, first, second } = await twoFiles();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [first, second].join(delimiter) });
    const written = await setContextNamespace(await loadKubeconfig({}, env), 'dev', 'after');
    expect(written).toBe(second);
    expect(await readFile(second, 'utf8')).toBe(SECOND.replace('namespace: before', 'namespace: after'));
    expect(await readFile(first, 'utf8')).toBe(FIRST);
    expect((await loadKubeconfig({}, env)).context('dev')).toEqual({ cluster: 'c1', user: 'u1', namespace: 'after' });
  });

  it('an empty namespace removes the field; a flow-style context is edited in place', async () => {
    const { dir, first } = await twoFiles();
    const env = isolatedEnvironment(dir, { KUBECONFIG: first });
    await setContextNamespace(await loadKubeconfig({}, env), 'old', 'team');
    expect((await loadKubeconfig({}, env)).context('old')).toEqual({ cluster: 'c1', user: 'u1', namespace: 'team' });
    await setContextNamespace(await loadKubeconfig({}, env), 'old', '');
    expect((await loadKubeconfig({}, env)).context('old')).toEqual({ cluster: 'c1', user: 'u1' });
    expect(await readFile(first, 'utf8')).toContain('# team kubeconfig: keep this comment\n');
  });

  it('adds a context that does not exist yet to the default file', async () => {
    const { dir, first, second } = await twoFiles();
    const env = isolatedEnvironment(dir, { KUBECONFIG: [first, second].join(delimiter) });
    expect(await setContextNamespace(await loadKubeconfig({}, env), 'brand-new', 'ns')).toBe(first);
    const kc = await loadKubeconfig({}, env);
    expect(kc.context('brand-new')).toEqual({ cluster: '', user: '', namespace: 'ns' });
    expect(kc.originOf('context', 'brand-new')).toBe(first);
  });
});
