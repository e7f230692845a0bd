// `ktx get` against the reference kubectl: the same invocations on the same objects must print the
// same stdout and stderr and exit with the same code. Only AGE-like cells and the program name
// (`ktx` in usage hints where kubectl says `kubectl`) are normalised.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { expectSameAsKubectl, ktx } from '../helpers/differential.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('get');
const tag = randomBytes(3).toString('hex');
const group = `diff-${tag}.ktx.test`;
const app = `web-${tag}`;
const dir = mkdtempSync(join(tmpdir(), 'ktx-get-'));

function deployment(name: string, appLabel: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns.name, labels: { app: appLabel } },
    spec: {
      replicas,
      selector: { matchLabels: { app: appLabel } },
      template: {
        metadata: { labels: { app: appLabel, tier: 'front' } },
        spec: { containers: [{ name: 'main', image: 'registry.invalid/fake:1', ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
}

beforeAll(async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: [`wdg${tag}`] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } } } } },
          additionalPrinterColumns: [
            { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
            { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
      ],
    },
  };
  const objects = [
    deployment('web', app, 2),
    deployment('api', `api-${tag}`, 1),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns.name }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-a', namespace: ns.name, labels: { env: 'prod', unique: tag } }, data: { greeting: 'hello', multi: 'line one\nline two\n' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-b', namespace: ns.name, labels: { env: 'dev' } }, data: { n: '1' } },
  ];
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [crd, ...objects] }) });
  await kubectlOk(['wait', '--for=condition=established', `crd/widgets.${group}`, '--timeout=30s']);
  await waitUntil('the widget API to be served', async () => (await kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'small', namespace: ns.name }, spec: { size: 1, color: 'red' } },
      { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'large', namespace: ns.name }, spec: { size: 10 } },
    ] }),
  })).exitCode === 0);
  await kubectlOk(['rollout', 'status', 'deployment/web', 'deployment/api', '-n', ns.name, '--timeout=60s']);
  await waitUntil('3 running pods', async () => (await kubectlOk(['get', 'pods', '-n', ns.name, '--field-selector=status.phase=Running', '-o', 'name'])).trim().split('\n').length === 3);
  writeFileSync(join(dir, 'columns.txt'), 'NAME ENV\n.metadata.name .metadata.labels.env\n');
  return async () => {
    await kubectl(['delete', 'crd', `widgets.${group}`, '--wait=false']);
  };
}, 120_000);

const n = () => ['-n', ns.name];
const ages = { ages: true };

describe('ktx get matches kubectl', () => {
  const tables: string[][] = [
    ['get', 'pods'],
    ['get', 'pods', '-o', 'wide'],
    ['get', 'pods', '--show-labels'],
    ['get', 'pods', '-L', 'app'],
    ['get', 'pods', '-L', 'app,tier'],
    ['get', 'pods', '-L', 'app', '-L', 'tier', '--show-labels'],
    ['get', 'pods', '--no-headers'],
    ['get', 'pods', '--show-kind'],
    ['get', 'pods', '-l', `app=${app}`],
    ['get', 'pods', '-l', 'app=nope'],
    ['get', 'pods', '--field-selector', 'status.phase=Running'],
    ['get', 'pods', '--sort-by=.metadata.name'],
    ['get', 'deployments'],
    ['get', 'deploy', '-o', 'wide'],
    ['get', 'deploy', 'web'],
    ['get', 'deploy/web'],
    ['get', 'deploy', 'web', 'api'],
    ['get', 'deploy/web', 'deploy/api'],
    ['get', 'deploy,svc'],
    ['get', 'deploy/web', 'svc/web'],
    ['get', 'all'],
    ['get', 'svc'],
    ['get', 'svc', '-o', 'wide'],
    ['get', 'cm'],
    ['get', 'configmaps', '-l', 'env=prod'],
    ['get', 'ConfigMap'],
    ['get', 'configmap.v1.'],
    ['get', 'deployments.apps'],
    ['get', 'deployments.v1.apps'],
    ['get', 'Deployment.apps'],
    ['get', 'cm', '--chunk-size=1'],
    ['get', 'cm', '--sort-by=.metadata.name'],
    ['get', 'deploy', '--sort-by=.spec.replicas'],
    ['get', 'pods,deploy', '-l', `app=${app}`],
    ['get', 'all', '-l', `app=${app}`],
    ['get', 'widgets'],
    ['get', 'widget'],
    ['get', `wdg${tag}`],
    ['get', 'widgets', '-o', 'wide'],
    ['get', `widgets.${group}`],
    ['get', `widgets.v1.${group}`],
    ['get', 'Widget'],
    ['get', 'widgets', '--sort-by=.spec.size'],
  ];
  it.each(tables.map((t) => [t.join(' '), t]))('%s', async (_, args) => {
    await expectSameAsKubectl([...(args as string[]), ...n()], ages);
  });

  const generic: string[][] = [
    ['get', 'cm', 'cm-a', '-o', 'json'],
    ['get', 'cm', 'cm-a', '-o', 'yaml'],
    ['get', 'cm/cm-a', '-o', 'yaml'],
    ['get', 'cm', '-o', 'json'],
    ['get', 'cm', '-o', 'yaml', '-l', 'env'],
    ['get', 'cm', 'cm-a', 'cm-b', '-o', 'json'],
    ['get', 'cm', '-o', 'name'],
    ['get', 'cm,svc', '-o', 'name'],
    ['get', 'deploy', '-o', 'name'],
    ['get', 'cm', 'cm-a', '-o', 'jsonpath={.data}'],
    ['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}'],
    ['get', 'cm', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.metadata.labels.env}{"\\n"}{end}'],
    ['get', 'cm', '-o', 'jsonpath-as-json={.items[*].metadata.name}'],
    ['get', 'cm', '-o', 'custom-columns=NAME:.metadata.name,ENV:.metadata.labels.env'],
    ['get', 'cm', '-o', `custom-columns-file=${join(dir, 'columns.txt')}`],
    ['get', 'cm', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name'],
    ['get', 'pods', '-o', 'jsonpath={.items[?(@.status.phase=="Running")].metadata.labels.tier}'],
    ['get', 'deploy', '-o', 'jsonpath={.items[*].spec.replicas}'],
    ['get', 'deploy', 'web', '-o', 'jsonpath={..image}'],
    ['get', 'cm', '--sort-by=.metadata.name', '-o', 'name'],
    ['get', 'cm', 'nope', '-o', 'json'],
    ['get', 'cm', 'nope', '--ignore-not-found', '-o', 'yaml'],
    ['get', 'widgets', '-o', 'yaml'],
    ['get', 'widget', 'small', '-o', 'jsonpath={.spec.color}'],
    ['get', 'pods', '-o', 'json', '-l', 'app=nope'],
    ['get', 'pods', '-o', 'name', '-l', 'app=nope'],
  ];
  it.each(generic.map((t) => [t.join(' '), t]))('%s', async (_, args) => {
    await expectSameAsKubectl([...(args as string[]), ...n()]);
  });

  it.each([
    ['get', 'cm', 'nope'],
    ['get', 'cm', 'cm-a', 'nope'],
    ['get', 'cm,svc', 'nope'],
    ['get', 'cm', 'nope', '--ignore-not-found'],
    ['get', 'foos'],
    ['get'],
    ['get', 'pods/a/b'],
    ['get', 'pods/a', 'svc'],
    ['get', 'cm', '-o', 'bogus'],
    ['get', 'cm', '--show-labels', '-o', 'json'],
    ['get', 'PODS'],
    ['get', 'PO'],
    ['get', 'cm', 'cm-a', '-o', 'jsonpath={.nope.deeper}', '--allow-missing-template-keys=false'],
    ['get', 'cm', '-o', 'jsonpath={.items[0}'],
    ['get', 'pods', '--bogus'],
    ['zzzqqq'],
  ].map((t) => [t.join(' '), t]))('error: %s', async (_, args) => {
    await expectSameAsKubectl([...(args as string[]), ...n()], ages);
  });

  it.each([
    ['get', 'nodes'],
    ['get', 'nodes', '-o', 'wide'],
    ['get', 'ns', 'default'],
    ['get', 'ns', '-l', 'kubernetes.io/metadata.name=default'],
    ['get', 'ns', 'default', 'kube-system', '-o', 'name'],
    ['get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,KWOK:.metadata.annotations.kwok\\.x-k8s\\.io/node'],
    ['get', 'cm', '-A', '-l', `unique=${tag}`],
    ['get', 'pods', '-A', '-l', `app=${app}`, '-o', 'wide'],
    ['get', 'cm', '-A', '-l', `unique=${tag}`, '-o', 'name'],
    ['get', 'nodes', '-l', 'nope=nope'],
    ['--context', 'limited', 'get', 'pods', '-n', 'default'],
    ['--context', 'limited', 'get', 'cm', 'kube-root-ca.crt', '-n', 'kube-system'],
    ['--context', 'limited', 'get', 'cm', '-n', 'demo'],
    ['--context', 'limited', 'get', 'nodes'],
  ].map((t) => [t.join(' '), t]))('cluster-wide: %s', async (_, args) => {
    await expectSameAsKubectl(args as string[], ages);
  });

  it('refuses Go templates with a clear message (a deliberate difference from kubectl)', async () => {
    for (const o of ['go-template={{.kind}}', 'go-template-file=x.tmpl', 'template={{.kind}}']) {
      const r = await ktx(['get', 'cm', '-n', ns.name, '-o', o]);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`error: ktx does not support Go templates (-o ${o.split('=')[0]}); use -o jsonpath=… or -o custom-columns=… instead`);
    }
  });

  it('--raw', async () => {
    await expectSameAsKubectl(['get', '--raw', `/api/v1/namespaces/${ns.name}/configmaps/cm-b`]);
  });
});
