// `ktx diff` against the reference kubectl, each on its own copy of the objects: the unified diff,
// Secret masking, external diff programs and the exit codes (0 same, 1 different, >1 error).
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { configMap, deployment, expectSameAs, ktx, refKubectl, sameNamespace, tempDir, writeManifest } from './helpers.js';

const a = useNamespace('diff-da');
const b = useNamespace('diff-db');
const dir = tempDir();

const volatile: Array<[RegExp, string]> = [
  [/(\/[^\s]*\/)?(LIVE|MERGED)-[A-Za-z0-9]+/g, '$2'],
  [/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4}/g, '\t<time>'],
  [/(uid|resourceVersion|creationTimestamp|lastUpdateTime|lastTransitionTime): .*/g, '$1: <x>'],
];
const norm = () => ({ replace: [...volatile, ...sameNamespace(a.name, b.name)] });
const both = (ktxArgs: string[], kubectlArgs: string[], env: Record<string, string> = {}) =>
  expectSameAs([...ktxArgs, '-n', a.name], [...kubectlArgs, '-n', b.name], norm(), { env });

const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, type: 'Opaque', data });
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  const base = writeManifest(join(dir, 'base.yaml'), [configMap('settings', { mode: 'a', keep: 'k' }), secret({ user: b64('admin'), pass: b64('one') }), deployment('web', { replicas: 1 })]);
  for (const ns of [a.name, b.name]) await refKubectl(['apply', '-f', base, '-n', ns]);
  await refKubectl(['rollout', 'status', 'deployment/web', '-n', a.name, '--timeout=60s']);
  await refKubectl(['rollout', 'status', 'deployment/web', '-n', b.name, '--timeout=60s']);
});

describe('client-side (ktx --server-side=false vs kubectl diff)', () => {
  it('finds nothing for the applied manifest (exit 0)', async () => {
    const r = await both(['diff', '--server-side=false', '-f', join(dir, 'base.yaml')], ['diff', '-f', join(dir, 'base.yaml')]);
    expect(r.ktx).toMatchObject({ exitCode: 0, stdout: '' });
  });

  it('shows changes, new objects and masked Secret data (exit 1)', async () => {
    const file = writeManifest(join(dir, 'changed.yaml'), [
      configMap('settings', { mode: 'b', keep: 'k' }),
      secret({ user: b64('admin'), pass: b64('two'), token: b64('new') }),
      deployment('web', { replicas: 3 }),
      configMap('brand-new', { x: '1' }),
      { ...secret({ key: b64('fresh') }), metadata: { name: 'fresh' } },
    ]);
    const r = await both(['diff', '--server-side=false', '-f', file], ['diff', '-f', file]);
    expect(r.ktx.exitCode).toBe(1);
    expect(r.ktx.stdout).toContain("-  pass: '*** (before)'\n+  pass: '*** (after)'");
    expect(r.ktx.stdout).not.toContain(b64('two'));
    expect(r.ktx.stdout).toContain('v1.ConfigMap.');
    expect(r.ktx.stdout).toContain('@@ -0,0 +1,');
    expect(r.ktx.stdout).toContain('-null\n');
    expect(r.ktx.stdout).not.toContain(b64('fresh'));
  });

  it('reports errors with exit code 2 and shows no diff', async () => {
    const file = writeManifest(join(dir, 'broken.yaml'), [configMap('settings', { mode: 'c' }), { apiVersion: 'x.invalid/v1', kind: 'Nope', metadata: { name: 'n' } }]);
    const r = await both(['diff', '--server-side=false', '-f', file], ['diff', '-f', file]);
    expect(r.ktx).toMatchObject({ exitCode: 2, stdout: '' });
    await both(['diff', '--server-side=false', '-f', join(dir, 'absent.yaml')], ['diff', '-f', join(dir, 'absent.yaml')]);
    await both(['diff'], ['diff']);
    await both(['diff', '--server-side=false', '--force-conflicts', '-f', file], ['diff', '--force-conflicts', '-f', file]);
    const invalid = writeManifest(join(dir, 'invalid.yaml'), [{ ...configMap('settings', {}), metadata: { name: 'settings', labels: { 'bad!': 'x' } } }]);
    await both(['diff', '--server-side=false', '-f', invalid], ['diff', '-f', invalid]);
  });
});

describe('server-side (ktx diff vs kubectl diff --server-side --field-manager=ktx)', () => {
  it('shows the same changes', async () => {
    const file = writeManifest(join(dir, 'ssa.yaml'), [configMap('settings', { mode: 'ssa', keep: 'k' }), deployment('web', { replicas: 2 })]);
    const r = await both(['diff', '--force-conflicts', '-f', file], ['diff', '--server-side', '--force-conflicts', '--field-manager=ktx', '-f', file]);
    expect(r.ktx.exitCode).toBe(1);
    expect(r.ktx.stdout).not.toContain('managedFields');
  });
});

describe('external diff programs', () => {
  const script = join(dir, 'show-args.sh');
  beforeAll(() => {
    writeManifest(script, '#!/bin/sh\necho "$(basename "$1") $(basename "$2") $3 $4"\nls "$2"\nexit 3\n');
    chmodSync(script, 0o755);
  });

  it('runs $KUBECTL_EXTERNAL_DIFF with the two directories; an exit status above 1 is an error', async () => {
    const file = join(dir, 'changed.yaml');
    const env = { KUBECTL_EXTERNAL_DIFF: `${script} --flag=1 bad;arg` };
    const r = await both(['diff', '--server-side=false', '-f', file], ['diff', '-f', file], env);
    expect(r.ktx.exitCode).toBe(2);
    expect(r.ktx.stderr).toBe(`error: failed to run "${script}": exit status 3`);
    expect(r.ktx.stdout).toMatch(/^LIVE-\w+ MERGED-\w+ --flag=1 \n/);
  });

  it('prefers $KTX_EXTERNAL_DIFF', async () => {
    const r = await ktx(['diff', '--server-side=false', '-f', join(dir, 'changed.yaml'), '-n', a.name], { env: { KTX_EXTERNAL_DIFF: 'true', KUBECTL_EXTERNAL_DIFF: 'false' } });
    expect(r.exitCode).toBe(0);
  });
});
