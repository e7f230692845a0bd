// `ktx apply` on the real cluster: a directory with a Namespace, a CRD and its custom resources, a
// Deployment and a Service (in an order that only works because ktx sorts Namespaces and CRDs
// first and waits for the CRD); re-applies; field-manager conflicts; and client-side apply taking
// turns with the reference kubectl on the same objects.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, useNamespace } from '../helpers/cluster.js';
import { LAST_APPLIED_ANNOTATION } from '../../src/lib/apply/last-applied.js';
import { api, configMap, deployment, deployments, ktx, refKubectl, service, services, tempDir, writeManifest } from './helpers.js';
import { Api } from '../../src/lib/api/api.js';
import { client } from './helpers.js';

const tag = randomBytes(3).toString('hex');
const group = `apply-${tag}.ktx.test`;
const nsName = `apply-new-${tag}`;

function crd() {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } } } } },
        },
      ],
    },
  };
}

const gadget = (name: string, size: number, tags: string[] = []) => ({ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name, namespace: nsName }, spec: { size, tags } });
const inNs = <T extends { metadata?: object }>(o: T): T => ({ ...o, metadata: { ...o.metadata, namespace: nsName } });

describe('a directory with a Namespace, a CRD, custom resources, a Deployment and a Service', () => {
  const dir = tempDir();
  beforeAll(() => {
    // Lexical file order puts the custom resources and the namespaced objects before their Namespace and CRD.
    writeManifest(join(dir, 'a-gadgets.yaml'), [gadget('small', 1, ['x']), gadget('large', 10)]);
    writeManifest(join(dir, 'b-web.yaml'), [inNs(deployment('web', { replicas: 2 })), inNs(service('web'))]);
    writeManifest(join(dir, 'y-crd.yaml'), [crd()]);
    writeManifest(join(dir, 'z-namespace.yaml'), [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName } }]);
  });
  afterAll(async () => {
    await kubectl(['delete', 'namespace', nsName, '--wait=false', '--ignore-not-found']);
    await kubectl(['delete', 'crd', `gadgets.${group}`, '--wait=false', '--ignore-not-found']);
  });

  it('applies everything server-side, Namespace and CRD first', async () => {
    const r = await ktx(['apply', '-f', dir]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      [
        `namespace/${nsName} serverside-applied`,
        `customresourcedefinition.apiextensions.k8s.io/gadgets.${group} serverside-applied`,
        `gadget.${group}/small serverside-applied`,
        `gadget.${group}/large serverside-applied`,
        'deployment.apps/web serverside-applied',
        'service/web serverside-applied',
      ].join('\n'),
    );
    const managers = (await api(deployments, nsName).get('web')).metadata?.managedFields as Array<{ manager: string; operation: string }>;
    expect(managers.some((m) => m.manager === 'ktx' && m.operation === 'Apply')).toBe(true);
    expect((await Api.namespaced(client, { group, version: 'v1', kind: 'Gadget', plural: 'gadgets', namespaced: true }, nsName).get('small')).spec).toEqual({ size: 1, tags: ['x'] });
  });

  it('re-applies (server-side apply always reports serverside-applied, as kubectl)', async () => {
    const r = await ktx(['apply', '-f', dir]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).every((l) => l.endsWith(' serverside-applied'))).toBe(true);
  });

  it('client-side: unchanged on re-apply, configured after a change', async () => {
    const first = await ktx(['apply', '--server-side=false', '-f', dir]);
    expect(first.exitCode).toBe(0);
    const again = await ktx(['apply', '--server-side=false', '-f', dir]);
    expect(again.stdout).toBe(
      [
        `namespace/${nsName} unchanged`,
        `customresourcedefinition.apiextensions.k8s.io/gadgets.${group} unchanged`,
        `gadget.${group}/small unchanged`,
        `gadget.${group}/large unchanged`,
        'deployment.apps/web unchanged',
        'service/web unchanged',
      ].join('\n'),
    );
    writeManifest(join(dir, 'a-gadgets.yaml'), [gadget('small', 2, ['x', 'y']), gadget('large', 10)]);
    writeManifest(join(dir, 'b-web.yaml'), [inNs(deployment('web', { replicas: 3 })), inNs(service('web'))]);
    const changed = await ktx(['apply', '--server-side=false', '-f', dir]);
    expect(changed.stdout).toContain(`gadget.${group}/small configured\ngadget.${group}/large unchanged\ndeployment.apps/web configured\nservice/web unchanged`);
    expect((await api(deployments, nsName).get('web')).spec).toMatchObject({ replicas: 3 });
    expect((await api(services, nsName).get('web')).spec).toMatchObject({ ports: [{ port: 80, targetPort: 8080 }] });
  });
});

describe('conflicts with another field manager', () => {
  const ns = useNamespace('apply-conflict');
  const dir = tempDir();

  it('fails with kubectl\'s 409 text, then --force-conflicts takes the field', async () => {
    const file = writeManifest(join(dir, 'd.yaml'), [deployment('web', { replicas: 1 })]);
    expect((await ktx(['apply', '-f', file, '-n', ns.name])).exitCode).toBe(0);
    await refKubectl(['scale', 'deployment', 'web', '--replicas=4', '-n', ns.name]);
    const conflict = await ktx(['apply', '-f', file, '-n', ns.name]);
    expect(conflict.exitCode).toBe(1);
    expect(conflict.stdout).toBe('');
    expect(conflict.stderr).toBe(
      'error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas\n' +
        'Please review the fields above--they currently have other managers. Here\n' +
        'are the ways you can resolve this warning:\n' +
        '* If you intend to manage all of these fields, please re-run the apply\n' +
        '  command with the `--force-conflicts` flag.\n' +
        '* If you do not intend to manage all of the fields, please edit your\n' +
        '  manifest to remove references to the fields that should keep their\n' +
        '  current managers.\n' +
        '* You may co-own fields by updating your manifest to match the existing\n' +
        "  value; in this case, you'll become the manager if the other manager(s)\n" +
        '  stop managing the field (remove it from their configuration).\n' +
        'See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts',
    );
    const forced = await ktx(['apply', '--force-conflicts', '-f', file, '-n', ns.name]);
    expect(forced.stdout).toBe('deployment.apps/web serverside-applied');
    expect((await api(deployments, ns.name).get('web')).spec).toMatchObject({ replicas: 1 });
  });

  it('takes over fields of an earlier client-side apply, so removing them from the manifest removes them', async () => {
    const file = writeManifest(join(dir, 'cm.yaml'), [configMap('migrated', { keep: '1', drop: '2' })]);
    expect((await refKubectl(['apply', '-f', file, '-n', ns.name])).exitCode).toBe(0);
    writeManifest(file, [configMap('migrated', { keep: '1', drop: '2' })]);
    expect((await ktx(['apply', '-f', file, '-n', ns.name])).exitCode).toBe(0);
    writeManifest(file, [configMap('migrated', { keep: '1' })]);
    expect((await ktx(['apply', '-f', file, '-n', ns.name])).exitCode).toBe(0);
    const cm = await Api.namespaced(client, { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true }, ns.name).get('migrated');
    expect(cm.data).toEqual({ keep: '1' });
  });
});

describe('client-side apply taking turns with kubectl', () => {
  const ns = useNamespace('apply-turns');
  const dir = tempDir();
  const annotationOf = async (name: string) => (await api(deployments, ns.name).get(name)).metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  /** What kubectl would store, computed locally by a client dry run. */
  const kubectlAnnotation = async (file: string) => {
    const r = await refKubectl(['apply', '--dry-run=client', '-f', file, '-n', ns.name, '-o', 'json']);
    return (JSON.parse(r.stdout) as { metadata: { annotations: Record<string, string> } }).metadata.annotations[LAST_APPLIED_ANNOTATION];
  };

  it('ktx creates, kubectl sees nothing to change, and the annotations are byte for byte kubectl\'s', async () => {
    const file = writeManifest(join(dir, 'one.yaml'), [{ ...deployment('one', { replicas: 2 }), metadata: { name: 'one', labels: { app: 'one' }, annotations: { note: 'ünïcode & <tags>' } } }]);
    expect((await ktx(['apply', '--server-side=false', '-f', file, '-n', ns.name])).stdout).toBe('deployment.apps/one created');
    expect((await refKubectl(['apply', '-f', file, '-n', ns.name])).stdout).toBe('deployment.apps/one unchanged');
    const stored = await annotationOf('one');
    expect(stored).toBe(await kubectlAnnotation(file));
    expect(stored?.endsWith('\n')).toBe(true);

    writeManifest(file, [deployment('one', { replicas: 1, image: 'registry.invalid/app:2' })]);
    expect((await ktx(['apply', '--server-side=false', '-f', file, '-n', ns.name])).stdout).toBe('deployment.apps/one configured');
    expect((await refKubectl(['apply', '-f', file, '-n', ns.name])).stdout).toBe('deployment.apps/one unchanged');
    expect(await annotationOf('one')).toBe(await kubectlAnnotation(file));
    const obj = await api(deployments, ns.name).get('one');
    expect(obj.metadata?.annotations?.note).toBeUndefined();
  });

  it('kubectl creates and changes, ktx sees nothing to change', async () => {
    const file = writeManifest(join(dir, 'two.yaml'), [deployment('two', { replicas: 1 }), configMap('two', { a: '1' })]);
    expect((await refKubectl(['apply', '-f', file, '-n', ns.name])).exitCode).toBe(0);
    expect((await ktx(['apply', '--server-side=false', '-f', file, '-n', ns.name])).stdout).toBe('deployment.apps/two unchanged\nconfigmap/two unchanged');
    const generation = (await api(deployments, ns.name).get('two')).metadata?.generation;
    const d = deployment('two', { replicas: 2 });
    (d.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template.spec.containers.push({ name: 'side', image: 'registry.invalid/side:1' });
    writeManifest(file, [d, configMap('two', { b: '2' })]);
    expect((await refKubectl(['apply', '-f', file, '-n', ns.name])).stdout).toBe('deployment.apps/two configured\nconfigmap/two configured');
    expect((await ktx(['apply', '--server-side=false', '-f', file, '-n', ns.name])).stdout).toBe('deployment.apps/two unchanged\nconfigmap/two unchanged');
    expect((await api(deployments, ns.name).get('two')).metadata?.generation).toBe((generation ?? 0) + 1);
  });
});
