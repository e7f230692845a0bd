// Api<K> verbs and subresources against the real control plane.
import { describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import type { ApiResource, KubeObject } from '../../src/lib/api/resource.js';
import { ApiError } from '../../src/lib/errors.js';
import { kubectlOk, useNamespace } from '../helpers/cluster.js';
import { contextClient } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('api');

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
const configmaps: ApiResource<ConfigMap> = { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
const pods: ApiResource = { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true };
const nodes: ApiResource = { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false };
interface Deployment extends KubeObject {
  spec: { replicas?: number; selector: object; template: { metadata?: { labels?: object; annotations?: Record<string, string> }; spec: object } };
  status?: { replicas?: number; readyReplicas?: number; observedGeneration?: number };
}
const deployments: ApiResource<Deployment> = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true };

const client = () => contextClient('admin');
const cms = () => Api.namespaced(client(), configmaps, ns.name);

function deployment(name: string, replicas = 1): Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'registry.invalid/fake:1' }] } },
    },
  };
}

async function caught(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('Api: reads', () => {
  it('gets an object, and tells a missing one apart', async () => {
    await cms().create({ metadata: { name: 'read-me' }, data: { a: '1' } });
    const got = await cms().get('read-me');
    expect(got).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    expect(typeof got.metadata?.creationTimestamp).toBe('string');
    expect(await cms().getOpt('nope')).toBeUndefined();
    const err = await caught(cms().get('nope'));
    expect(err.isNotFound()).toBe(true);
    expect({ code: err.code, reason: err.reason, message: err.message }).toEqual({
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
    });
  });

  it('pages through more than 1,000 objects with limit and continue', async () => {
    const api = cms();
    const names = Array.from({ length: 1100 }, (_, i) => `page-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => api.create({ metadata: { name, labels: { paged: 'yes' } }, data: { i: name } })));
    }
    const first = await api.list({ labelSelector: 'paged=yes', limit: 500 });
    expect(first.items).toHaveLength(500);
    expect(first.metadata.continue).toBeTruthy();
    const sizes: number[] = [];
    for await (const page of api.pages({ labelSelector: 'paged=yes', limit: 500 })) sizes.push(page.items.length);
    expect(sizes).toEqual([500, 500, 100]);
    const seen: string[] = [];
    for await (const cm of api.listAll({ labelSelector: 'paged=yes' })) seen.push(cm.metadata!.name!);
    expect(seen).toEqual(names);
    await api.deleteCollection({ labelSelector: 'paged=yes' });
    expect((await api.list({ labelSelector: 'paged=yes' })).items).toHaveLength(0);
  });

  it('lists across all namespaces and keeps unknown fields and timestamps as sent', async () => {
    const all = await Api.all(client(), configmaps).list({ fieldSelector: `metadata.name=kube-root-ca.crt` });
    const namespaces = all.items.map((i) => i.metadata?.namespace);
    expect(namespaces).toContain(ns.name);
    expect(namespaces).toContain('kube-system');
  });
});

describe('Api: writes', () => {
  it('creates, refuses a duplicate, and replaces with optimistic concurrency', async () => {
    const api = cms();
    const created = await api.create({ metadata: { name: 'w1' }, data: { v: '1' } });
    const dup = await caught(api.create({ metadata: { name: 'w1' } }));
    expect(dup.isAlreadyExists()).toBe(true);
    expect(dup.message).toBe('configmaps "w1" already exists');
    const replaced = await api.replace('w1', { ...created, data: { v: '2' } });
    expect(replaced.data).toEqual({ v: '2' });
    const stale = await caught(api.replace('w1', { ...created, data: { v: '3' } }));
    expect(stale.isConflict()).toBe(true);
    expect(stale.reason).toBe('Conflict');
  });

  it('patches with merge, JSON and strategic patches', async () => {
    const api = cms();
    await api.create({ metadata: { name: 'p1' }, data: { a: '1', b: '2' } });
    expect((await api.patch('p1', { type: 'merge', body: { data: { b: null, c: '3' } } })).data).toEqual({ a: '1', c: '3' });
    expect((await api.patch('p1', { type: 'json', ops: [{ op: 'replace', path: '/data/a', value: 'x' }] })).data).toEqual({ a: 'x', c: '3' });
    expect((await api.patch('p1', { type: 'strategic', body: { data: { d: '4' } } })).data).toEqual({ a: 'x', c: '3', d: '4' });
  });

  it('applies server-side, reports a field conflict, and forces it', async () => {
    const api = cms();
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { owner: 'alice' } };
    await api.apply(obj, { fieldManager: 'alice' });
    const conflict = await caught(api.apply({ ...obj, data: { owner: 'bob' } }, { fieldManager: 'bob' }));
    expect(conflict.code).toBe(409);
    expect(conflict.isConflict()).toBe(true);
    expect(conflict.message).toBe('Apply failed with 1 conflict: conflict with "alice": .data.owner');
    const forced = await api.apply({ ...obj, data: { owner: 'bob' } }, { fieldManager: 'bob', force: true });
    expect(forced.data).toEqual({ owner: 'bob' });
    expect(forced.metadata?.managedFields?.map((m) => (m as { manager: string }).manager)).toContain('bob');
  });

  it('honours dry run and field validation, and surfaces server warnings', async () => {
    const warnings: string[] = [];
    const api = Api.namespaced(contextClient('admin', { onWarning: (w) => warnings.push(w) }), configmaps, ns.name);
    await api.create({ metadata: { name: 'dry' } }, { dryRun: true });
    expect(await api.getOpt('dry')).toBeUndefined();
    const strict = await caught(api.create({ metadata: { name: 'strict' }, bogus: 1 } as ConfigMap, { fieldValidation: 'Strict' }));
    expect(strict.code).toBe(400);
    expect(strict.message).toContain('unknown field "bogus"');
    await api.create({ metadata: { name: 'warned' }, bogus: 1 } as ConfigMap, { fieldValidation: 'Warn' });
    expect(warnings).toContain('unknown field "bogus"');
  });

  it('tells a deleted object from one held by a finalizer, and deletes collections', async () => {
    const api = cms();
    await api.create({ metadata: { name: 'gone' } });
    expect((await api.delete('gone')).state).toBe('deleted');
    await api.create({ metadata: { name: 'held', finalizers: ['ktx.test/hold'] } });
    const held = await api.delete('held');
    expect(held.state).toBe('pending');
    if (held.state === 'pending') expect(held.object.metadata?.deletionTimestamp).toBeTruthy();
    await api.patch('held', { type: 'merge', body: { metadata: { finalizers: null } } });
    expect(await api.getOpt('held')).toBeUndefined();
    const missing = await caught(api.delete('held'));
    expect(missing.isNotFound()).toBe(true);

    await Promise.all(['c1', 'c2', 'c3'].map((n) => api.create({ metadata: { name: n, labels: { batch: 'x' } } })));
    await api.deleteCollection({ labelSelector: 'batch=x' });
    expect((await api.list({ labelSelector: 'batch=x' })).items).toEqual([]);
  });
});

describe('Api: watch', () => {
  it('streams the initial state, a bookmark, then changes', async () => {
    const api = cms();
    await api.create({ metadata: { name: 'watched', labels: { w: 'yes' } }, data: { n: '0' } });
    const ac = new AbortController();
    const events: Array<{ type: string; name?: string; annotations?: Record<string, string> }> = [];
    const done = (async () => {
      try {
        for await (const ev of api.watch({ labelSelector: 'w=yes', sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', signal: ac.signal })) {
          const o = ev.object as ConfigMap;
          events.push({ type: ev.type, name: o.metadata?.name, annotations: o.metadata?.annotations ?? {} });
        }
      } catch (err) {
        if (!ac.signal.aborted) throw err;
      }
    })();
    await waitUntil('the initial-events-end bookmark', () => events.some((e) => e.type === 'BOOKMARK'));
    await api.patch('watched', { type: 'merge', body: { data: { n: '1' } } });
    await api.delete('watched');
    await waitUntil('the DELETED event', () => events.some((e) => e.type === 'DELETED'));
    ac.abort();
    await done;
    // The apiserver may also send its periodic progress bookmarks at any time: only the initial-events-end one is part of the contract.
    const seen = events.filter((e) => e.type !== 'BOOKMARK' || e.annotations?.['k8s.io/initial-events-end'] === 'true');
    expect(seen.map((e) => `${e.type} ${e.name ?? ''}`.trim())).toEqual(['ADDED watched', 'BOOKMARK', 'MODIFIED watched', 'DELETED watched']);
    expect(seen[1]!.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
  });

  it('reports a too-old resourceVersion as an ERROR event with 410 Expired', async () => {
    const api = cms();
    const ac = new AbortController();
    const first = await (async () => {
      for await (const ev of api.watch({ resourceVersion: '1', signal: ac.signal })) return ev;
      return undefined;
    })();
    ac.abort();
    expect(first?.type).toBe('ERROR');
    expect(first?.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });
});

describe('Api: subresources', () => {
  it('reads and patches status, scales, and restarts a deployment', async () => {
    const api = Api.namespaced(client(), deployments, ns.name);
    await api.create(deployment('sub', 1));
    await waitUntil('the deployment to report 1 ready replica', async () => (await api.getStatus('sub')).status?.readyReplicas === 1);
    const scale = await api.getScale('sub');
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 1 } });
    expect((await api.scale('sub', 3)).spec.replicas).toBe(3);
    await waitUntil('3 ready replicas', async () => (await api.get('sub')).status?.readyReplicas === 3);
    const patched = await api.patchStatus('sub', { type: 'merge', body: { status: { observedGeneration: 42 } } });
    expect(patched.status?.observedGeneration).toBe(42);

    const restarted = await api.restart('sub', {}, new Date('2026-01-02T03:04:05.678Z'));
    expect(restarted.spec.template.metadata?.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-01-02T03:04:05Z' });
  });

  it('evicts a pod and reads its logs, also following them', async () => {
    const podApi = Api.namespaced(client(), pods, ns.name);
    await Api.namespaced(client(), deployments, ns.name).create(deployment('logged', 1));
    const pod = await waitUntil('a running pod', async () =>
      (await podApi.list({ labelSelector: 'app=logged' })).items.find((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running'),
    );
    const name = pod.metadata!.name!;
    const text = await podApi.logs(name, { tailLines: 2 });
    expect(text).toMatch(/^ktx test log line \d+\nktx test log line \d+\n$/);
    expect(await podApi.logs(name, { previous: true })).toBe('ktx previous container line 1\nktx previous container line 2\nktx previous container line 3\n');
    const last = Math.max(...[...text.matchAll(/line (\d+)/g)].map((m) => Number(m[1])));
    const ac = new AbortController();
    const stream = await podApi.logStream(name, { follow: true, tailLines: 1, signal: ac.signal });
    let seen = '';
    stream.on('data', (c: Buffer) => (seen += c.toString()));
    stream.on('error', () => undefined);
    await waitUntil('a new followed line', () => [...seen.matchAll(/line (\d+)/g)].some((m) => Number(m[1]) > last), { timeoutMs: 10_000 });
    ac.abort();

    const status = await podApi.evict(name);
    expect(status).toMatchObject({ kind: 'Status', status: 'Success' });
    await waitUntil('the evicted pod to be gone', async () => (await podApi.getOpt(name)) === undefined);
  });

  it('cordons and uncordons a node', async () => {
    const api = Api.cluster(client(), nodes);
    const cordoned = (await api.cordon('kwok-node-1')) as { spec?: { unschedulable?: boolean } };
    expect(cordoned.spec?.unschedulable).toBe(true);
    expect(await kubectlOk(['get', 'node', 'kwok-node-1', '-o', 'jsonpath={.spec.unschedulable}'])).toBe('true');
    const uncordoned = (await api.uncordon('kwok-node-1')) as { spec?: { unschedulable?: boolean } };
    expect(uncordoned.spec?.unschedulable).toBeUndefined();
  });
});
