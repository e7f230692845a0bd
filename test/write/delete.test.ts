// `ktx delete`: output, errors and exit codes against the reference kubectl (each on its own copy of
// the objects), waiting for finalizers, and the three cascade modes seen through ReplicaSets and Pods.
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { cluster, useNamespace } from '../helpers/cluster.js';
import { repoRoot } from '../cluster/harness.js';
import { waitUntil } from '../helpers/wait.js';
import { api, configMap, configMaps, deployment, deployments, expectSameAs, ktx, pods, refKubectl, replicaSets, sameNamespace, tempDir, writeManifest } from './helpers.js';

const a = useNamespace('delete-da');
const b = useNamespace('delete-db');
const dir = tempDir();
const norm = () => ({ replace: sameNamespace(a.name, b.name) });
const both = (args: string[], n = norm()) => expectSameAs([...args, '-n', a.name], [...args, '-n', b.name], n);

/** The same set of ConfigMaps in both namespaces. */
async function seed(...names: string[]): Promise<void> {
  const file = writeManifest(join(dir, 'seed.yaml'), names.map((n) => ({ ...configMap(n, { v: n }), metadata: { name: n, labels: { group: n.startsWith('x') ? 'x' : 'y' } } })));
  await Promise.all([refKubectl(['apply', '-f', file, '-n', a.name]), refKubectl(['apply', '-f', file, '-n', b.name])]);
}

describe('delete like kubectl', () => {
  it('by TYPE NAME…, with a missing one', async () => {
    await seed('c1', 'c2');
    const r = await both(['delete', 'configmap', 'c1', 'nope', 'c2']);
    expect(r.ktx.exitCode).toBe(1);
    expect(r.ktx.stdout).toBe(`configmap "c1" deleted from ${a.name} namespace\nconfigmap "c2" deleted from ${a.name} namespace`);
  });

  it('by TYPE/NAME, -o name, --ignore-not-found and dry runs', async () => {
    await seed('d1', 'd2');
    await both(['delete', 'cm/d1', '--dry-run=server']);
    await both(['delete', 'cm/d1', '--dry-run=client']);
    await both(['delete', 'cm/d1', 'cm/missing', '--ignore-not-found']);
    await both(['delete', 'configmaps/d2', '-o', 'name']);
  });

  it('by label selector, field selector and --all', async () => {
    await seed('x1', 'x2', 'y1');
    await both(['delete', 'cm', '-l', 'group=x']);
    await both(['delete', 'cm', '-l', 'group=none']);
    await both(['delete', 'cm', '--field-selector', 'metadata.name=y1']);
    await seed('y2');
    await both(['delete', 'cm', '-l', 'group=y', '--dry-run=server', '-o', 'name']);
  });

  it('from a file', async () => {
    await seed('f1', 'f2');
    const file = writeManifest(join(dir, 'del.yaml'), [configMap('f1', {}), configMap('f2', {}), configMap('f3', {})]);
    const r = await both(['delete', '-f', file]);
    expect(r.ktx.exitCode).toBe(1);
  });

  it('with --force (and its warning), --now, --grace-period', async () => {
    await seed('g1', 'g2', 'g3');
    await both(['delete', 'cm', 'g1', '--force']);
    await both(['delete', 'cm', 'g2', '--now']);
    await both(['delete', 'cm', 'g3', '--grace-period=0']);
  });

  it('refuses bad combinations with kubectl texts', async () => {
    await both(['delete']);
    await both(['delete', 'cm']);
    await both(['delete', 'cm', 'x', '--all']);
    await both(['delete', 'cm', '--all', '-l', 'a=b']);
    await both(['delete', 'cm', 'x', '-A']);
    await both(['delete', 'cm', 'x', '--cascade=sideways']);
    await both(['delete', 'cm', 'x', '--force', '--grace-period=5']);
    await both(['delete', 'cm', 'x', '--now', '--grace-period=5']);
    await both(['delete', 'nosuchtype', 'x']);
    await both(['delete', 'cm', 'x', '--dry-run=sometimes']);
    await both(['delete', 'cm', 'x', '-f', join(dir, 'del.yaml')]);
  });

  it('warns when deleting cluster-scoped objects with an explicit namespace', async () => {
    const name = `${a.name}-scoped`;
    await refKubectl(['create', 'namespace', name]);
    const r = await expectSameAs(['delete', 'namespace', name, '-n', a.name, '--dry-run=server'], ['delete', 'namespace', name, '-n', b.name, '--dry-run=server'], norm());
    expect(r.ktx.stderr).toBe('Warning: deleting cluster-scoped resources, not scoped to the provided namespace');
    expect((await ktx(['delete', 'namespace', name, '--wait=false'])).stdout).toBe(`namespace "${name}" deleted`);
  });

  it('asks with -i: stops on no, deletes on y', async () => {
    await seed('i1');
    const no = await expectSameAs(['delete', 'cm', 'i1', '-i', '-n', a.name], ['delete', 'cm', 'i1', '-i', '-n', b.name], norm(), { input: 'n\n' });
    expect(no.ktx.stdout).toBe('You are about to delete the following 1 resource(s):\nconfigmap/i1\nDo you want to continue? (y/N): deletion is cancelled');
    await expectSameAs(['delete', 'cm', 'i1', '-i', '-n', a.name], ['delete', 'cm', 'i1', '-i', '-n', b.name], norm(), { input: 'y\n' });
  });
});

describe('waiting for deletion', () => {
  const ns = useNamespace('delete-wait');
  const held = async (name: string) => {
    await refKubectl(['create', 'configmap', name, '-n', ns.name]);
    await refKubectl(['patch', 'configmap', name, '-n', ns.name, '--type=merge', '-p', '{"metadata":{"finalizers":["ktx.test/hold"]}}']);
  };
  const release = (name: string) => refKubectl(['patch', 'configmap', name, '-n', ns.name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);

  it('waits until the finalizer the test removes is gone', async () => {
    await held('held');
    const run = execa(process.execPath, [join(repoRoot, 'bin/ktx.js'), 'delete', 'configmap', 'held', '-n', ns.name], { env: { KUBECONFIG: cluster().kubeconfig }, reject: false });
    let exited = false;
    void run.then(() => (exited = true));
    const pending = await waitUntil('the deletion to be pending', async () => (await api(configMaps, ns.name).getOpt('held'))?.metadata?.deletionTimestamp);
    expect(pending).toBeTruthy();
    expect(exited).toBe(false);
    await release('held');
    const r = await run;
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toBe(`configmap "held" deleted from ${ns.name} namespace`);
    expect(await api(configMaps, ns.name).getOpt('held')).toBeUndefined();
  });

  it('times out like kubectl while the finalizer stays', async () => {
    await held('stuck');
    const r = await ktx(['delete', 'configmap', 'stuck', '-n', ns.name, '--timeout=1s']);
    expect(r).toMatchObject({ exitCode: 1, stdout: `configmap "stuck" deleted from ${ns.name} namespace`, stderr: 'error: timed out waiting for the condition on configmaps/stuck' });
    expect((await ktx(['delete', 'configmap', 'stuck', '-n', ns.name, '--wait=false'])).exitCode).toBe(0);
    await release('stuck');
  });
});

describe('cascade modes', () => {
  const ns = useNamespace('delete-cascade');
  const file = join(dir, 'cascade.yaml');
  const replicaSetsOf = async (app: string) => (await api(replicaSets, ns.name).list({ labelSelector: `app=${app}` })).items;
  const podsOf = async (app: string) => (await api(pods, ns.name).list({ labelSelector: `app=${app}` })).items;

  beforeAll(async () => {
    writeManifest(file, [deployment('bg', { replicas: 2 }), deployment('fg', { replicas: 2 }), deployment('orphan', { replicas: 2 })]);
    await refKubectl(['apply', '-f', file, '-n', ns.name]);
    await refKubectl(['rollout', 'status', 'deployment/bg', 'deployment/fg', 'deployment/orphan', '-n', ns.name, '--timeout=60s']);
  });

  it('background: the Deployment goes at once, the garbage collector removes its ReplicaSet and Pods', async () => {
    const r = await ktx(['delete', 'deployment', 'bg', '-n', ns.name, '--cascade=background']);
    expect(r.stdout).toBe(`deployment.apps "bg" deleted from ${ns.name} namespace`);
    expect(await api(deployments, ns.name).getOpt('bg')).toBeUndefined();
    await waitUntil('the ReplicaSet and Pods to be collected', async () => (await replicaSetsOf('bg')).length === 0 && (await podsOf('bg')).length === 0);
  });

  it('foreground: ktx returns only when the ReplicaSet and Pods are gone', async () => {
    const r = await ktx(['delete', 'deployment', 'fg', '-n', ns.name, '--cascade=foreground']);
    expect(r.exitCode).toBe(0);
    expect(await api(deployments, ns.name).getOpt('fg')).toBeUndefined();
    expect(await replicaSetsOf('fg')).toEqual([]);
  });

  it('orphan: the ReplicaSet and Pods stay, without an owner', async () => {
    const r = await ktx(['delete', 'deployment', 'orphan', '-n', ns.name, '--cascade=orphan']);
    expect(r.exitCode).toBe(0);
    expect(await api(deployments, ns.name).getOpt('orphan')).toBeUndefined();
    const rs = await replicaSetsOf('orphan');
    expect(rs).toHaveLength(1);
    expect(rs[0]!.metadata?.ownerReferences ?? []).toEqual([]);
    expect((await podsOf('orphan')).length).toBe(2);
    await ktx(['delete', 'replicaset', '-l', 'app=orphan', '-n', ns.name]);
  });
});
