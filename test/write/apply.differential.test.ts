// `ktx apply` against the reference kubectl, each on its own copy of the objects (its own namespace):
// output lines, errors and exit codes must match once the namespace names are normalised.
// Client-side: `ktx apply --server-side=false` vs `kubectl apply`. Server-side: `ktx apply` vs
// `kubectl apply --server-side --field-manager=ktx`.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { configMap, deployment, expectSameAs, ktx, refKubectl, sameNamespace, service, tempDir, writeManifest } from './helpers.js';

const a = useNamespace('apply-da');
const b = useNamespace('apply-db');
const dir = tempDir();
const norm = () => ({ replace: sameNamespace(a.name, b.name) });

/** Runs `args` as ktx in namespace a and as kubectl in namespace b. */
const both = (ktxArgs: string[], kubectlArgs: string[] = ktxArgs) => expectSameAs([...ktxArgs, '-n', a.name], [...kubectlArgs, '-n', b.name], norm());

describe('client-side apply (ktx --server-side=false vs kubectl apply)', () => {
  const file = join(dir, 'csa.yaml');
  beforeAll(() => {
    writeManifest(file, [deployment('web', { replicas: 2 }), service('web'), configMap('settings', { mode: 'a' })]);
  });

  it('creates, then reports unchanged, then configured', async () => {
    await both(['apply', '--server-side=false', '-f', file], ['apply', '-f', file]);
    const again = await both(['apply', '--server-side=false', '-f', file], ['apply', '-f', file]);
    expect(again.ktx.stdout).toBe('deployment.apps/web unchanged\nservice/web unchanged\nconfigmap/settings unchanged');
    writeManifest(file, [deployment('web', { replicas: 3, image: 'registry.invalid/app:2' }), service('web'), configMap('settings', { mode: 'b', extra: 'x' })]);
    const changed = await both(['apply', '--server-side=false', '-f', file], ['apply', '-f', file]);
    expect(changed.ktx.stdout).toBe('deployment.apps/web configured\nservice/web unchanged\nconfigmap/settings configured');
  });

  it('reads manifests from stdin', async () => {
    const input = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\ndata:\n  a: "1"\n';
    const r = await expectSameAs(['apply', '--server-side=false', '-f', '-', '-n', a.name], ['apply', '-f', '-', '-n', b.name], norm(), { input });
    expect(r.ktx.stdout).toBe('configmap/from-stdin created');
  });

  it('dry runs and -o name', async () => {
    writeManifest(file, [deployment('web', { replicas: 4 }), configMap('other', { x: '1' })]);
    await both(['apply', '--server-side=false', '--dry-run=client', '-f', file], ['apply', '--dry-run=client', '-f', file]);
    await both(['apply', '--server-side=false', '--dry-run=server', '-f', file], ['apply', '--dry-run=server', '-f', file]);
    await both(['apply', '--server-side=false', '-o', 'name', '-f', file], ['apply', '-o', 'name', '-f', file]);
  });

  it('warns about a missing last-applied annotation and patches it', async () => {
    const created = join(dir, 'created.yaml');
    writeManifest(created, [configMap('made-by-create', { a: '1' })]);
    await Promise.all([refKubectl(['create', '-f', created, '-n', a.name]), refKubectl(['create', '-f', created, '-n', b.name])]);
    const r = await both(['apply', '--server-side=false', '-f', created], ['apply', '-f', created]);
    expect(r.ktx.stderr).toContain('Warning: resource configmaps/made-by-create is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by ktx apply.');
    await both(['apply', '--server-side=false', '-f', created], ['apply', '-f', created]);
  });

  it('reports bad documents like kubectl and applies the rest', async () => {
    const bad = join(dir, 'bad.yaml');
    writeManifest(bad, [
      configMap('good-1', { a: '1' }),
      { apiVersion: 'example.invalid/v1', kind: 'Nothing', metadata: { name: 'nothing' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'some-other-namespace' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } },
      configMap('good-2', { b: '2' }),
    ]);
    const r = await both(['apply', '--server-side=false', '-f', bad], ['apply', '-f', bad]);
    expect(r.ktx.exitCode).toBe(1);
    expect(r.ktx.stdout).toBe('configmap/good-1 created\nconfigmap/good-2 created');
  });

  it('prints a lone invalid object as kubectl does', async () => {
    const invalid = join(dir, 'invalid.yaml');
    writeManifest(invalid, [{ ...deployment('web'), spec: { ...(deployment('web').spec as object), replicas: -1 } }]);
    const r = await both(['apply', '--server-side=false', '-f', invalid], ['apply', '-f', invalid]);
    expect(r.ktx.stderr).toMatch(/^The Deployment "web" is invalid: spec.replicas: Invalid value: -1/);
  });

  it('fails on unknown kinds and missing files with kubectl texts', async () => {
    const unknown = join(dir, 'unknown.yaml');
    writeManifest(unknown, [
      { apiVersion: 'x.invalid/v1', kind: 'Foo', metadata: { name: 'f1' } },
      { apiVersion: 'y.invalid/v1', kind: 'Bar', metadata: { name: 'b1' } },
    ]);
    await both(['apply', '--server-side=false', '-f', unknown], ['apply', '-f', unknown]);
    await both(['apply', '--server-side=false', '-f', join(dir, 'missing.yaml')], ['apply', '-f', join(dir, 'missing.yaml')]);
    await both(['apply', '--server-side=false', '-f', join(dir, 'nothing-*.yaml')], ['apply', '-f', join(dir, 'nothing-*.yaml')]);
  });

  it('rejects contradicting flags with kubectl texts', async () => {
    const file2 = join(dir, 'flags.yaml');
    writeManifest(file2, [configMap('flags', { a: '1' })]);
    await both(['apply', '--server-side=false', '--force-conflicts', '-f', file2], ['apply', '--force-conflicts', '-f', file2]);
    await both(['apply', '--dry-run=client', '-f', file2], ['apply', '--server-side', '--dry-run=client', '-f', file2]);
    await both(['apply', '--dry-run=maybe', '-f', file2], ['apply', '--dry-run=maybe', '-f', file2]);
    await both(['apply'], ['apply']);
    await both(['apply', '--server-side=false', '--prune', '-f', file2], ['apply', '--prune', '-f', file2]);
    await both(['apply', '--prune', '--all', '-l', 'a=b', '-f', file2], ['apply', '--prune', '--all', '-l', 'a=b', '-f', file2]);
  });
});

describe('server-side apply (ktx vs kubectl --server-side --field-manager=ktx)', () => {
  const file = join(dir, 'ssa.yaml');
  const ssa = ['apply', '--server-side', '--field-manager=ktx'];
  beforeAll(() => {
    writeManifest(file, [deployment('api', { replicas: 1 }), configMap('api-config', { level: 'info' })]);
  });

  it('applies, re-applies and dry-runs', async () => {
    await both(['apply', '-f', file], [...ssa, '-f', file]);
    await both(['apply', '-f', file], [...ssa, '-f', file]);
    await both(['apply', '--dry-run=server', '-f', file], [...ssa, '--dry-run=server', '-f', file]);
    await both(['apply', '-o', 'name', '-f', file], [...ssa, '-o', 'name', '-f', file]);
  });

  it('prints the conflict help text, then takes the fields over with --force-conflicts', async () => {
    await Promise.all([
      refKubectl(['patch', 'deployment', 'api', '-n', a.name, '--field-manager=other-tool', '--type=merge', '-p', '{"spec":{"replicas":5}}']),
      refKubectl(['patch', 'deployment', 'api', '-n', b.name, '--field-manager=other-tool', '--type=merge', '-p', '{"spec":{"replicas":5}}']),
    ]);
    const conflict = await both(['apply', '-f', file], [...ssa, '-f', file]);
    expect(conflict.ktx.exitCode).toBe(1);
    expect(conflict.ktx.stderr).toContain('error: Apply failed with 1 conflict: conflict with "other-tool" using apps/v1: .spec.replicas\nPlease review the fields above');
    await both(['apply', '--force-conflicts', '-f', file], [...ssa, '--force-conflicts', '-f', file]);
    const replicas = await ktx(['get', 'deployment', 'api', '-n', a.name, '-o', 'jsonpath={.spec.replicas}']);
    expect(replicas.stdout).toBe('1');
  });

  it('reports bad documents like kubectl', async () => {
    const bad = join(dir, 'ssa-bad.yaml');
    writeManifest(bad, [
      configMap('ssa-good', { a: '1' }),
      { apiVersion: 'example.invalid/v1', kind: 'Nothing', metadata: { name: 'nothing' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'some-other-namespace' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } },
    ]);
    const r = await both(['apply', '-f', bad], [...ssa, '-f', bad]);
    expect(r.ktx.exitCode).toBe(1);
  });

  it('prints the applied objects with -o yaml and -o json', async () => {
    const cms = join(dir, 'ssa-cms.yaml');
    writeManifest(cms, [configMap('out-1', { a: '1' }), configMap('out-2', { b: '<&>' })]);
    const single = join(dir, 'ssa-cm.yaml');
    writeManifest(single, [configMap('out-3', { c: '3' })]);
    const volatile: Array<[RegExp, string]> = [
      [/(uid|resourceVersion|creationTimestamp|time)(": |: )"?[^\n",]+"?/g, '$1$2<x>'],
      [/(generation|observedGeneration)(": |: )\d+/g, '$1$2<n>'],
    ];
    const n = { replace: [...sameNamespace(a.name, b.name), ...volatile] };
    for (const f of [cms, single]) {
      await expectSameAs(['apply', '-o', 'yaml', '-f', f, '-n', a.name], [...ssa, '-o', 'yaml', '-f', f, '-n', b.name], n);
      await expectSameAs(['apply', '-o', 'json', '-f', f, '-n', a.name], [...ssa, '-o', 'json', '-f', f, '-n', b.name], n);
    }
    await expectSameAs(['apply', '--server-side=false', '-o', 'yaml', '-f', cms, '-n', a.name], ['apply', '-o', 'yaml', '-f', cms, '-n', b.name], n);
  });
});
