// Golden comparisons: the printers against the reference kubectl on live objects with tricky values.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  executeJsonPath,
  jsonPathAsJson,
  jsonPathExecErrorMessage,
  parseCustomColumns,
  parseCustomColumnsFile,
  parseJsonPath,
  renderCustomColumns,
  renderTable,
  resourceName,
  sortTableRows,
  stripManagedFields,
  toJson,
  toYaml,
  type ServerTable,
  type TableOptions,
} from '../../src/ui/print/index.js';
import type { Options } from 'execa';
import { kubectl, kubectlOk, useNamespace } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { getJson, startProxy, TABLE_ACCEPT, type Proxy } from './apiserver.js';

const ns = useNamespace('print');
const marker = () => `print-golden=${ns.name}`;

const trickyData: Record<string, string> = {
  true: 'true',
  zero: '0123',
  exp: '1e3',
  empty: '',
  lead: ' lead',
  trail: 'trail ',
  colon: 'a: b',
  hash: '#x',
  multi: 'multi\nline',
  trailing: 'trailing\n',
  keep: 'a\n\n',
  leadNl: '\nx',
  spaceNl: 'a \nb',
  uni: 'héllo wörld 中文 😀',
  tilde: '~',
  null: 'null',
  neg: '-1',
  float: '1.0',
  inf: '.inf',
  date: '2024-01-01',
  stamp: '2024-01-01T00:00:00Z',
  yes: 'y',
  no: 'no',
  on: 'on',
  base60: '1:20',
  dash: '-',
  quote: "'q'",
  tab: 'a\tb',
  esc: 'a\x1bb',
  bom: '\ufeffx',
  long: 'x'.repeat(200),
  words: Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '),
  json: '{"a":[1,2]}',
  a9: 'nine',
  a10: 'ten',
  'a_b.c-d': 'keys',
};

function objects(): object[] {
  const labels = { 'print-golden': ns.name };
  const pod = (name: string, extraLabels: Record<string, string>, containers: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { ...labels, ...extraLabels } },
    spec: { containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: `registry.invalid/fake:${i + 1}` })) },
  });
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tricky', labels, annotations: { html: '<b>&amp;</b>', note: 'multi\nline note' } }, data: trickyData },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain', labels }, data: { k: 'v' } },
    pod('web-1', { app: 'web', 'app.kubernetes.io/name': 'frontend' }, 1),
    pod('a-much-longer-pod-name-2', { app: 'db' }, 2),
    pod('p3', {}, 1),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { run: 'web' } },
        template: { metadata: { labels: { ...labels, run: 'web' } }, spec: { containers: [{ name: 'main', image: 'registry.invalid/fake:1' }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', labels }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
  ];
}

/** kubectl's stdout exactly as printed (kubectlOk strips the final newline); throws on failure. */
async function reference(args: string[], opts: Options = {}): Promise<string> {
  const r = await kubectl(args, { ...opts, stripFinalNewline: false });
  if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.exitCode}: ${String(r.stderr)}`);
  return String(r.stdout);
}

const get = (args: string[]) => reference(['get', '-n', ns.name, ...args]);
const parsed = async (args: string[]) => JSON.parse(await get([...args, '-o', 'json'])) as Record<string, unknown>;

beforeAll(async () => {
  await kubectlOk(['apply', '-n', ns.name, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects() }) });
  // Tables are compared across two requests: wait until nothing is still changing.
  await waitUntil(
    'the pods running and the deployment available',
    async () => {
      const phases = await get(['pods', '-o', 'jsonpath={.items[*].status.phase}']);
      const deploy = await get(['deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}/{.status.updatedReplicas}/{.status.replicas}']);
      return phases.split(' ').length === 4 && phases.split(' ').every((p) => p === 'Running') && deploy === '1/1/1';
    },
    { timeoutMs: 60_000 },
  );
});

describe('-o json and -o yaml', () => {
  it.each([['configmap', 'tricky'], ['pod', 'web-1'], ['deployment', 'web'], ['service', 'svc'], ['configmaps'], ['pods'], ['deployments']])('kubectl get %s', async (...args) => {
    const json = await get([...args, '-o', 'json']);
    const yaml = await get([...args, '-o', 'yaml']);
    const obj = JSON.parse(json) as unknown;
    expect(toJson(obj)).toBe(json);
    expect(toYaml(obj)).toBe(yaml);
  });

  it('strips managedFields unless --show-managed-fields', async () => {
    const raw = await getJson<Record<string, unknown>>(`/api/v1/namespaces/${ns.name}/configmaps/tricky`);
    expect((raw.metadata as { managedFields?: unknown[] }).managedFields?.length).toBeGreaterThan(0);
    expect(toJson(stripManagedFields(raw))).toBe(await get(['configmap', 'tricky', '-o', 'json']));
    expect(toYaml(stripManagedFields(raw))).toBe(await get(['configmap', 'tricky', '-o', 'yaml']));
    expect(toJson(raw)).toBe(await get(['configmap', 'tricky', '-o', 'json', '--show-managed-fields']));
    expect(toYaml(raw)).toBe(await get(['configmap', 'tricky', '-o', 'yaml', '--show-managed-fields']));
  });

  it('wraps several named objects in a List', async () => {
    const list = JSON.parse(await get(['configmap', 'tricky', 'plain', '-o', 'json'])) as { items: unknown[] };
    expect(toYaml(asList(list.items))).toBe(await get(['configmap', 'tricky', 'plain', '-o', 'yaml']));
    expect(toJson(asList(list.items))).toBe(await get(['configmap', 'tricky', 'plain', '-o', 'json']));
  });

  it('-o name', async () => {
    const pods = (await parsed(['pods'])).items as Array<{ metadata: { name: string } }>;
    expect(pods.map((p) => `${resourceName('Pod', '', p.metadata.name)}\n`).join('')).toBe(await get(['pods', '-o', 'name']));
    expect(`${resourceName('Deployment', 'apps', 'web')}\n`).toBe(await get(['deployment', 'web', '-o', 'name']));
  });
});

describe('-o jsonpath', () => {
  it.each([
    '{.items[*].metadata.name}',
    '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
    '{.items[?(@.metadata.labels.app=="web")].metadata.name}',
    "{.items[?(@.metadata.labels.app=='db')].spec.containers[*].image}",
    '{.items[*].spec.containers[-1:].name}',
    '{.items[0].spec.containers[0]}',
    '{.items[0].metadata.labels.app\\.kubernetes\\.io/name}',
    '{..image}',
    '{.items[0,1].metadata.name} {.kind}',
    '{.items[*].status.conditions[?(@.type=="Ready")].status}',
    '{.items[?(@.spec.containers[1])].metadata.name}',
    '{.items[*].metadata.missing}',
    '{.items[0].spec.terminationGracePeriodSeconds}',
    '{.items[0].status.containerStatuses[0].ready}',
    '{range .items[*]}[{.metadata.name}]{range .spec.containers[*]}({.name}){end}{end}',
  ])('pods %s', async (template) => {
    const data = await parsed(['pods']);
    expect(executeJsonPath(parseJsonPath(template), data, { allowMissingKeys: true })).toBe(await get(['pods', '-o', `jsonpath=${template}`]));
  });

  it.each(['{.data}', '{.data.multi}', '{.metadata.annotations.html}', '{.data.a10}{"|"}{.data.long}', '{.data.esc}'])('configmap %s', async (template) => {
    const data = await parsed(['configmap', 'tricky']);
    expect(executeJsonPath(parseJsonPath(template), data, { allowMissingKeys: true })).toBe(await get(['configmap', 'tricky', '-o', `jsonpath=${template}`]));
  });

  it('-o jsonpath-as-json', async () => {
    const data = await parsed(['pods']);
    for (const template of ['{.items[*].metadata.name}', '{.items[0].metadata.labels}{.kind}']) {
      expect(jsonPathAsJson(parseJsonPath(template), data)).toBe(await get(['pods', '-o', `jsonpath-as-json=${template}`]));
    }
  });

  it('reports a failing template like kubectl', async () => {
    // The jsonpath printer gets the object as fetched: managedFields are not stripped for it.
    const raw = await getJson<Record<string, unknown>>(`/api/v1/namespaces/${ns.name}/configmaps/plain`);
    const obj = { ...raw, apiVersion: 'v1', kind: 'ConfigMap' };
    let err: unknown;
    try {
      executeJsonPath(parseJsonPath('{.data[0]}'), obj, { allowMissingKeys: true });
    } catch (e) {
      err = e;
    }
    const r = await kubectl(['get', '-n', ns.name, 'configmap', 'plain', '-o', 'jsonpath={.data[0]}'], { stripFinalNewline: false });
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toBe(`error: ${jsonPathExecErrorMessage('{.data[0]}', err, obj)}`);
  });
});

describe('-o custom-columns', () => {
  it.each([
    'NAME:.metadata.name,RSRC:.metadata.resourceVersion',
    'Name:metadata.name,Images:{.spec.containers[*].image},App:{.metadata.labels.app},Missing:.spec.nothing',
    'N:.metadata.name,PORTS:.spec.containers[0].ports,LABELS:.metadata.labels',
  ])('pods %s', async (spec) => {
    const items = (await parsed(['pods'])).items as unknown[];
    expect(renderCustomColumns(parseCustomColumns(spec), items)).toBe(await get(['pods', '-o', `custom-columns=${spec}`]));
    expect(renderCustomColumns(parseCustomColumns(spec), items, { noHeaders: true })).toBe(await get(['pods', '-o', `custom-columns=${spec}`, '--no-headers']));
  });

  it('multi-line and escaped values in configmap cells', async () => {
    const spec = 'NAME:.metadata.name,NOTE:.metadata.annotations.note,ESC:.data.esc,MULTI:.data.multi';
    const items = (await parsed(['configmaps'])).items as unknown[];
    expect(renderCustomColumns(parseCustomColumns(spec), items)).toBe(await get(['configmaps', '-o', `custom-columns=${spec}`]));
  });

  it('-o custom-columns-file', async () => {
    const text = 'NAME      IMAGES\n.metadata.name   {.spec.containers[*].image}\n';
    const file = join(tmpdir(), `ktx-print-columns-${ns.name}.txt`);
    writeFileSync(file, text);
    try {
      const items = (await parsed(['pods'])).items as unknown[];
      expect(renderCustomColumns(parseCustomColumnsFile(text), items)).toBe(await get(['pods', '-o', `custom-columns-file=${file}`]));
    } finally {
      rmSync(file, { force: true });
    }
  });
});

/**
 * Puts kubectl's AGE cells into the server Table, so that two requests made a moment apart can be
 * compared byte for byte: AGE is computed by the server per request.
 */
function withKubectlAges(table: ServerTable, output: string): ServerTable {
  const [header = '', ...lines] = output.trimEnd().split('\n');
  const start = header.search(/(?<=^|\s)AGE(?=\s|$)/);
  const next = header.slice(start + 3).search(/\S/);
  const end = next < 0 ? undefined : start + 3 + next;
  const ageColumn = table.columnDefinitions.findIndex((c) => c.name === 'Age');
  expect(start).toBeGreaterThanOrEqual(0);
  expect(lines).toHaveLength(table.rows.length);
  return {
    ...table,
    rows: table.rows.map((row, i) => {
      const cells = [...row.cells];
      cells[ageColumn] = lines[i]!.slice(start, end).trimEnd();
      return { ...row, cells };
    }),
  };
}

describe('tables from the server', () => {
  const podsPath = () => `/api/v1/namespaces/${ns.name}/pods?limit=500`;
  const cases: Array<[string, string[], TableOptions, () => string]> = [
    ['get pods', [], {}, podsPath],
    ['get pods -o wide', ['-o', 'wide'], { wide: true }, podsPath],
    ['get pods -L app -L app.kubernetes.io/name', ['-L', 'app', '-L', 'app.kubernetes.io/name'], { labelColumns: ['app', 'app.kubernetes.io/name'] }, podsPath],
    ['get pods --show-labels', ['--show-labels'], { showLabels: true }, podsPath],
    ['get pods -L app,missing --show-labels -o wide', ['-L', 'app,missing', '--show-labels', '-o', 'wide'], { labelColumns: ['app', 'missing'], showLabels: true, wide: true }, podsPath],
    ['get pods --show-kind', ['--show-kind'], { kindPrefix: 'pod' }, podsPath],
    ['get deployments -o wide --show-kind', ['deployments', '-o', 'wide', '--show-kind'], { wide: true, kindPrefix: 'deployment.apps' }, () => `/apis/apps/v1/namespaces/${ns.name}/deployments?limit=500`],
    ['get services -o wide', ['services', '-o', 'wide'], { wide: true }, () => `/api/v1/namespaces/${ns.name}/services?limit=500`],
    ['get configmaps', ['configmaps'], {}, () => `/api/v1/namespaces/${ns.name}/configmaps?limit=500`],
  ];

  it.each(cases)('%s', async (_name, args, opts, path) => {
    const table = await getJson<ServerTable>(path(), TABLE_ACCEPT);
    const kubectlArgs = args[0] && !args[0].startsWith('-') ? args : ['pods', ...args];
    const output = await get(kubectlArgs);
    expect(renderTable(withKubectlAges(table, output), opts)).toBe(output);
  });

  it('get pods -A (namespace column)', async () => {
    const table = await getJson<ServerTable>(`/api/v1/pods?labelSelector=${encodeURIComponent(marker())}&limit=500`, TABLE_ACCEPT);
    const output = await reference(['get', 'pods', '-A', '-l', marker()]);
    expect(renderTable(withKubectlAges(table, output), { namespaceColumn: true })).toBe(output);
  });

  it.each([['.metadata.name'], ['{.spec.containers[0].image}'], ['.metadata.creationTimestamp'], ['.metadata.labels.app']])('get pods --sort-by=%s', async (sortBy) => {
    const table = await getJson<ServerTable>(`/api/v1/namespaces/${ns.name}/pods?includeObject=Object`, TABLE_ACCEPT);
    const output = await get(['pods', `--sort-by=${sortBy}`]);
    expect(renderTable(withKubectlAges(sortTableRows(table, sortBy), output), {})).toBe(output);
  });
});

describe('tables served to kubectl (frozen and synthetic)', () => {
  let proxy: Proxy;
  let served: { list?: ServerTable; full?: ServerTable } = {};

  beforeAll(async () => {
    proxy = await startProxy((req) => {
      const accept = String(req.headers.accept ?? '');
      const url = req.url ?? '';
      if (!accept.includes('as=Table') || !/^\/api\/v1\/(namespaces\/[^/]+\/)?pods\?/.test(url)) return undefined;
      return url.includes('includeObject=Object') ? served.full : served.list;
    });
  });
  afterAll(async () => {
    await proxy.close();
  });

  const viaProxy = (args: string[]) => reference(['get', 'pods', '-n', ns.name, '--cache-dir', proxy.cacheDir, ...args], { env: { KUBECONFIG: proxy.kubeconfig } });

  it.each<[string[], TableOptions]>([
    [[], {}],
    [['--no-headers'], { noHeaders: true }],
    [['-o', 'wide', '--no-headers'], { wide: true, noHeaders: true }],
    [['--show-labels', '--no-headers', '-L', 'app'], { showLabels: true, noHeaders: true, labelColumns: ['app'] }],
  ])('frozen pods table: %j', async (args, opts) => {
    served = { list: await getJson<ServerTable>(`/api/v1/namespaces/${ns.name}/pods?limit=500`, TABLE_ACCEPT) };
    expect(renderTable(served.list!, opts)).toBe(await viaProxy(args));
  });

  it('frozen pods table with --sort-by and --no-headers', async () => {
    served = { full: await getJson<ServerTable>(`/api/v1/namespaces/${ns.name}/pods?includeObject=Object`, TABLE_ACCEPT) };
    expect(renderTable(sortTableRows(served.full!, '.metadata.name'), { noHeaders: true })).toBe(await viaProxy(['--sort-by=.metadata.name', '--no-headers']));
  });

  const synthetic = (): ServerTable => ({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '1' },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
      { name: 'Multi Line', type: 'string', format: '', description: '', priority: 0 },
      { name: 'Count', type: 'integer', format: '', description: '', priority: 0 },
      { name: 'Ratio', type: 'number', format: '', description: '', priority: 0 },
      { name: 'Flag', type: 'boolean', format: '', description: '', priority: 0 },
      { name: 'Wide Only', type: 'string', format: '', description: '', priority: 1 },
      { name: 'Ünïcode', type: 'string', format: '', description: '', priority: 0 },
      { name: 'Obj', type: 'string', format: '', description: '', priority: 0 },
    ],
    rows: [
      {
        cells: ['first', 'Active\nmore', 3, 1.5, true, 'w1', 'é中😀', { b: [1, 'x'], a: null }],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'first', namespace: 'ns-a', labels: { app: 'x', 'a-b': '1' } } },
      },
      {
        cells: ['second-is-longer', 'tab\there', 1000000.5, 1e-7, false, null, '\x1b[31mred\rcr', 'plain'],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'second-is-longer', namespace: 'ns-bb' } },
      },
      { cells: ['no-object', null, 0, 0.25, null, 'w3', '', 'x', 'surplus'] },
      { cells: ['short', 'cr\rcut'] },
    ],
  });

  it.each<[string[], TableOptions]>([
    [[], {}],
    [['-o', 'wide'], { wide: true }],
    [['--no-headers'], { noHeaders: true }],
    [['--show-kind'], { kindPrefix: 'pod' }],
    [['-A', '-o', 'wide'], { namespaceColumn: true, wide: true }],
    [['-L', 'app', '-L', 'x/a-b', '--show-labels'], { labelColumns: ['app', 'x/a-b'], showLabels: true }],
    [['-A', '-L', 'app', '--show-labels', '--no-headers'], { namespaceColumn: true, labelColumns: ['app'], showLabels: true, noHeaders: true }],
  ])('synthetic cells: %j', async (args, opts) => {
    served = { list: synthetic() };
    expect(renderTable(synthetic(), opts)).toBe(await viaProxy(args));
  });

  it('an empty table prints nothing (kubectl reports "No resources found" on stderr)', async () => {
    served = { list: { ...synthetic(), rows: [] } };
    expect(renderTable(served.list!, {})).toBe(await viaProxy([]));
  });
});
