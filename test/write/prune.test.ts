// `ktx apply --prune` with ApplySets (KEP-3659): the parent Secret records the set, members carry
// the part-of label, objects dropped from the manifests are deleted, nothing outside the set is.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useNamespace } from '../helpers/cluster.js';
import { api, configMap, configMaps, deployment, deployments, ktx, refKubectl, secrets, tempDir, writeManifest } from './helpers.js';

const ns = useNamespace('prune');
const dir = tempDir();
const file = join(dir, 'set.yaml');
const idOf = (name: string, namespace: string) => `applyset-${createHash('sha256').update(`${name}.${namespace}.Secret.`).digest('base64url')}-v1`;

describe('apply --prune --applyset', () => {
  it('records the set on its parent Secret and labels the members', async () => {
    writeManifest(file, [configMap('keep', { a: '1' }), configMap('drop', { b: '2' }), deployment('worker')]);
    const r = await ktx(['apply', '--prune', '--applyset=app-set', '-f', file, '-n', ns.name]);
    expect(r).toMatchObject({ exitCode: 0, stderr: '', stdout: 'configmap/keep serverside-applied\nconfigmap/drop serverside-applied\ndeployment.apps/worker serverside-applied' });
    const parent = await api(secrets, ns.name).get('app-set');
    const id = idOf('app-set', ns.name);
    expect(parent.metadata?.labels).toEqual({ 'applyset.kubernetes.io/id': id });
    expect(parent.metadata?.annotations).toMatchObject({
      'applyset.kubernetes.io/tooling': expect.stringMatching(/^ktx\/v/) as unknown as string,
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Deployment.apps',
    });
    expect((await api(configMaps, ns.name).get('drop')).metadata?.labels?.['applyset.kubernetes.io/part-of']).toBe(id);
  });

  it('deletes members that left the manifests, and only those', async () => {
    await refKubectl(['create', 'configmap', 'bystander', '-n', ns.name]);
    writeManifest(file, [configMap('keep', { a: '1' })]);
    const dry = await ktx(['apply', '--prune', '--applyset=app-set', '--dry-run=server', '-f', file, '-n', ns.name]);
    expect(dry.stdout).toBe('configmap/keep serverside-applied (server dry run)\nconfigmap/drop pruned (server dry run)\ndeployment.apps/worker pruned (server dry run)');
    expect(await api(configMaps, ns.name).getOpt('drop')).toBeDefined();
    const r = await ktx(['apply', '--prune', '--applyset=app-set', '-f', file, '-n', ns.name]);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'configmap/keep serverside-applied\nconfigmap/drop pruned\ndeployment.apps/worker pruned' });
    expect(await api(configMaps, ns.name).getOpt('drop')).toBeUndefined();
    expect(await api(deployments, ns.name).getOpt('worker')).toBeUndefined();
    expect(await api(configMaps, ns.name).getOpt('bystander')).toBeDefined();
    expect((await api(secrets, ns.name).get('app-set')).metadata?.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap');
  });

  it('works with client-side apply too', async () => {
    writeManifest(file, [configMap('keep', { a: '1' }), configMap('csa-extra', { c: '3' })]);
    expect((await ktx(['apply', '--server-side=false', '--prune', '--applyset=app-set', '-f', file, '-n', ns.name])).exitCode).toBe(0);
    writeManifest(file, [configMap('keep', { a: '1' })]);
    const r = await ktx(['apply', '--server-side=false', '--prune', '--applyset=app-set', '-f', file, '-n', ns.name]);
    expect(r.stdout).toBe('configmap/keep unchanged\nconfigmap/csa-extra pruned');
  });

  it('prunes by label selector with a set named after it (--prune -l)', async () => {
    const labelled = (name: string) => ({ ...configMap(name, {}), metadata: { name, labels: { team: 'blue' } } });
    writeManifest(file, [labelled('blue-1'), labelled('blue-2'), configMap('unlabelled', {})]);
    const first = await ktx(['apply', '--prune', '-l', 'team=blue', '-f', file, '-n', ns.name]);
    expect(first.stdout).toBe('configmap/blue-1 serverside-applied\nconfigmap/blue-2 serverside-applied');
    writeManifest(file, [labelled('blue-1')]);
    const second = await ktx(['apply', '--prune', '-l', 'team=blue', '-f', file, '-n', ns.name]);
    expect(second.stdout).toBe('configmap/blue-1 serverside-applied\nconfigmap/blue-2 pruned');
  });

  it('needs a set or a selector', async () => {
    const r = await ktx(['apply', '--prune', '-f', file, '-n', ns.name]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: all resources selected for prune without explicitly passing --all.');
  });
});
