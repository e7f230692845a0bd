// The patches ktx's client-side apply computes, byte for byte against the ones the reference kubectl
// sends (read from its -v=9 request log during a server dry run) for the same live object and manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { Api } from '../../src/lib/api/api.js';
import type { ApiResource, KubeObject } from '../../src/lib/api/resource.js';
import { goJson } from '../../src/lib/apply/go-json.js';
import { createThreeWayJsonMergePatch } from '../../src/lib/apply/json-merge-patch.js';
import { originalConfiguration, withLastApplied } from '../../src/lib/apply/last-applied.js';
import { OpenApiV3 } from '../../src/lib/apply/openapi.js';
import { createThreeWayMergePatch } from '../../src/lib/apply/strategic-merge-patch.js';
import { client, configMap, deployment, refKubectl, service, tempDir, writeManifest } from './helpers.js';

const ns = useNamespace('patch-diff');
const dir = tempDir();
const openapi = new OpenApiV3(client);

/** The body of the PATCH kubectl sends for `file` (`{}` when it sends none). */
async function kubectlPatch(file: string): Promise<string> {
  const r = await refKubectl(['apply', '-f', file, '-n', ns.name, '--dry-run=server', '-v=9']);
  const lines = r.stderr.split('\n');
  let body = '{}';
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes('verb="PATCH"')) continue;
    const requestBody = lines.slice(0, i).reverse().find((l) => l.includes('"Request Body"'))!;
    body = JSON.parse(requestBody.slice(requestBody.indexOf('body=') + 5)) as string;
  }
  return body;
}

async function ktxPatch(file: string, resource: ApiResource): Promise<string> {
  const obj = parse(readFileSync(file, 'utf8')) as KubeObject;
  obj.metadata = { ...obj.metadata, namespace: ns.name };
  const live = await Api.namespaced(client, resource, ns.name).get(obj.metadata.name!);
  const modified = withLastApplied(obj) as Record<string, unknown>;
  const strategy = await openapi.patchStrategy({ group: resource.group, version: resource.version, kind: resource.kind });
  const patch =
    strategy.type === 'strategic'
      ? createThreeWayMergePatch(originalConfiguration(live), modified, live as Record<string, unknown>, strategy.schema)
      : createThreeWayJsonMergePatch(originalConfiguration(live), modified, live as Record<string, unknown>);
  return goJson(patch);
}

const deployments: ApiResource = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true };
const configmaps: ApiResource = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
const servicesR: ApiResource = { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true };

async function expectSamePatch(file: string, resource: ApiResource): Promise<string> {
  const [mine, theirs] = await Promise.all([ktxPatch(file, resource), kubectlPatch(file)]);
  expect(mine).toBe(theirs);
  return mine;
}

describe('three-way strategic merge patches', () => {
  it('for a Deployment: containers, env, ports, args, volumes, strategy with $retainKeys', async () => {
    const file = join(dir, 'deploy.yaml');
    writeManifest(file, [deployment('web', { replicas: 2 })]);
    await refKubectl(['apply', '-f', file, '-n', ns.name]);
    expect(await expectSamePatch(file, deployments)).toBe('{}');
    const d = deployment('web', { replicas: 3, image: 'registry.invalid/app:2', labels: { tier: 'front' } }) as { spec: Record<string, unknown> } & KubeObject;
    const tpl = (d.spec.template as { spec: Record<string, unknown> }).spec;
    tpl.containers = [
      { name: 'side', image: 'registry.invalid/side:1', args: ['b', 'a'] },
      { name: 'main', image: 'registry.invalid/app:2', ports: [{ containerPort: 9090 }], env: [{ name: 'NEW', value: '1' }, { name: 'MODE', value: 'x' }] },
    ];
    tpl.volumes = [{ name: 'scratch', emptyDir: {} }];
    d.spec.strategy = { type: 'Recreate' };
    writeManifest(file, [d]);
    const patch = await expectSamePatch(file, deployments);
    expect(patch).toContain('$setElementOrder/containers');
    expect(patch).toContain('"strategy":{"$retainKeys":["type"]');
    await refKubectl(['apply', '-f', file, '-n', ns.name]);
    expect(await expectSamePatch(file, deployments)).toBe('{}');
  });

  it('for changes others made to the live object', async () => {
    const file = join(dir, 'deploy.yaml');
    await refKubectl(['label', 'deployment', 'web', 'extra=1', '-n', ns.name]);
    await refKubectl(['scale', 'deployment', 'web', '--replicas=7', '-n', ns.name]);
    await refKubectl(['set', 'env', 'deployment/web', '-c', 'main', 'OTHER=2', '-n', ns.name]);
    await expectSamePatch(file, deployments);
    writeManifest(file, [deployment('web', { replicas: 1 })]);
    await expectSamePatch(file, deployments);
  });

  it('for an unsorted scalar merge list (finalizers), which kubectl re-orders on every apply', async () => {
    const file = join(dir, 'fin.yaml');
    writeManifest(file, [{ ...configMap('fin', { a: '1' }), metadata: { name: 'fin', finalizers: ['z.ktx.test/b', 'a.ktx.test/a'], labels: { drop: 'me', keep: 'me' } } }]);
    await refKubectl(['apply', '-f', file, '-n', ns.name]);
    expect(await expectSamePatch(file, configmaps)).toContain('$setElementOrder/finalizers');
    writeManifest(file, [{ ...configMap('fin', { a: '1' }), metadata: { name: 'fin', finalizers: ['a.ktx.test/a'], labels: { keep: 'me' } } }]);
    expect(await expectSamePatch(file, configmaps)).toContain('$deleteFromPrimitiveList/finalizers');
    await refKubectl(['patch', 'configmap', 'fin', '-n', ns.name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  });

  it('for a Service: ports merged by port, selector and explicit nulls', async () => {
    const file = join(dir, 'svc.yaml');
    writeManifest(file, [service('svc')]);
    await refKubectl(['apply', '-f', file, '-n', ns.name]);
    const s = service('svc') as { spec: Record<string, unknown> } & KubeObject;
    s.spec.ports = [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'admin', port: 9000 }];
    s.spec.sessionAffinity = null;
    writeManifest(file, [s]);
    await expectSamePatch(file, servicesR);
  });
});

describe('three-way JSON merge patches for custom resources', () => {
  it('replaces lists whole and deletes removed keys', async () => {
    const group = `patch-${ns.name}.ktx.test`;
    const crdFile = writeManifest(join(dir, 'crd.yaml'), [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `things.${group}` },
        spec: {
          group,
          names: { plural: 'things', singular: 'thing', kind: 'Thing' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
        },
      },
    ]);
    try {
      await refKubectl(['apply', '-f', crdFile]);
      await refKubectl(['wait', '--for=condition=established', `crd/things.${group}`, '--timeout=60s']);
      const resource: ApiResource = { group, version: 'v1', kind: 'Thing', plural: 'things', namespaced: true };
      const file = join(dir, 'thing.yaml');
      writeManifest(file, [{ apiVersion: `${group}/v1`, kind: 'Thing', metadata: { name: 't' }, spec: { list: [1, 2, 3], nested: { a: 1, b: 2 }, gone: true } }]);
      await waitUntil('the Thing API to be served', async () => (await refKubectl(['apply', '-f', file, '-n', ns.name])).exitCode === 0);
      writeManifest(file, [{ apiVersion: `${group}/v1`, kind: 'Thing', metadata: { name: 't' }, spec: { list: [3, 1], nested: { a: 1 } } }]);
      expect(await expectSamePatch(file, resource)).toContain('"gone":null');
    } finally {
      await refKubectl(['delete', '-f', crdFile, '--wait=false']);
    }
  });
});
