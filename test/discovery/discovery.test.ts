// Discovery against the real cluster: aggregated and legacy discovery, kubectl's disk cache shared
// both ways with the reference kubectl, and the one re-discovery on an unknown type.
import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResource } from '../../src/lib/api/resource.js';
import { AGGREGATED_DISCOVERY_ACCEPT, Discovery, ResourceNotFoundError } from '../../src/lib/discovery/index.js';
import { closeAllConnections } from '../../src/lib/http/transport.js';
import { cluster, kubectl, kubectlOk } from '../helpers/cluster.js';
import { adminClient, recordRequests } from './admin-client.js';

const DISCOVERY_REQUESTS = ['GET /api?timeout=32s', 'GET /apis?timeout=32s'];

/** Groups that ship with Kubernetes; other test files may add CRD groups while these tests run. */
const isBuiltIn = (group: string) => group === '' || !group.includes('.') || group.endsWith('.k8s.io');
const builtIns = (list: ApiResource[]) => list.filter((r) => isBuiltIn(r.group));
const find = (list: ApiResource[], group: string, plural: string) => list.find((r) => r.group === group && r.plural === plural);

/** Files under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** The URLs kubectl `-v=6` logged responses for. */
function kubectlRequests(stderr: string): string[] {
  return [...stderr.matchAll(/"Response" verb="GET" url="([^"]+)"/g)].map((m) => new URL(m[1]!).pathname);
}

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ktx-discovery-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
  await closeAllConnections();
});

describe('aggregated discovery with a cold cache', () => {
  const rec = recordRequests();
  let cacheDir: string;
  let discovery: Discovery;
  let resources: ApiResource[];

  beforeAll(async () => {
    cacheDir = await tempDir();
    discovery = Discovery.forClient(adminClient(rec), { cacheDir });
    resources = await discovery.resources();
  });

  it('gets everything in two requests with the aggregated Accept header', () => {
    expect([...rec.requests].sort()).toEqual(DISCOVERY_REQUESTS);
    expect(rec.accepts).toEqual([AGGREGATED_DISCOVERY_ACCEPT, AGGREGATED_DISCOVERY_ACCEPT]);
    expect(discovery.failedGroups.filter((f) => isBuiltIn(f.groupVersion.split('/')[0]!))).toEqual([]);
  });

  it('reports scope, names, categories and verbs', () => {
    expect(find(resources, '', 'pods')).toEqual({
      group: '',
      version: 'v1',
      kind: 'Pod',
      plural: 'pods',
      namespaced: true,
      singular: 'pod',
      shortNames: ['po'],
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    expect(find(resources, 'apps', 'deployments')).toMatchObject({ version: 'v1', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'] });
    expect(find(resources, '', 'nodes')).toMatchObject({ kind: 'Node', namespaced: false, shortNames: ['no'], categories: [] });
    expect(find(resources, 'rbac.authorization.k8s.io', 'clusterroles')).toMatchObject({ namespaced: false, singular: 'clusterrole' });
    expect(resources.some((r) => r.plural.includes('/'))).toBe(false);
  });

  it('lists resources in priority order: core first, preferred version first', () => {
    expect(resources[0]?.group).toBe('');
    const hpas = resources.filter((r) => r.plural === 'horizontalpodautoscalers').map((r) => r.version);
    expect(hpas).toEqual(['v2', 'v1']);
    const coreEvents = resources.findIndex((r) => r.group === '' && r.plural === 'events');
    const newEvents = resources.findIndex((r) => r.group === 'events.k8s.io' && r.plural === 'events');
    expect(coreEvents).toBeGreaterThanOrEqual(0);
    expect(newEvents).toBeGreaterThan(coreEvents);
  });

  it('lists groups for api-versions, core first', async () => {
    const groups = await discovery.groups();
    expect(groups[0]).toEqual({ name: '', versions: ['v1'], preferredVersion: 'v1' });
    expect(groups.find((g) => g.name === 'autoscaling')).toEqual({ name: 'autoscaling', versions: ['v2', 'v1'], preferredVersion: 'v2' });
    const preferred = await discovery.preferredResources();
    expect(preferred.filter((r) => r.plural === 'horizontalpodautoscalers').map((r) => r.version)).toEqual(['v2']);
  });

  it('resolves from memory without further requests', async () => {
    rec.clear();
    const warnings: string[] = [];
    const quiet = Discovery.forClient(adminClient(rec), { cacheDir, onWarning: (w) => warnings.push(w) });
    await quiet.resources();
    rec.clear();
    expect((await quiet.resolve('ev')).map((r) => `${r.group}/${r.version}/${r.plural}`)).toEqual(['/v1/events']);
    expect(warnings).toEqual(['short name "ev" could also match lower priority resource events.events.k8s.io']);
    expect((await quiet.resolve('deploy,Pod,svc')).map((r) => r.kind)).toEqual(['Deployment', 'Pod', 'Service']);
    expect(rec.requests).toEqual([]);
  });

  it('writes the cache in kubectl layout, file for file what kubectl writes', async () => {
    const host = new URL(cluster().server).host.replace(':', '_');
    const ours = join(cacheDir, 'discovery', host);
    expect(discovery.cacheDirectory).toBe(ours);
    const kubectlCache = await tempDir();
    await kubectlOk(['--cache-dir', kubectlCache, 'get', 'pods', '-n', 'default']);
    const theirs = join(kubectlCache, 'discovery', host);

    const builtInFiles = (files: string[]) => files.filter((f) => f === 'servergroups.json' || isBuiltIn(f.split('/').length === 3 ? f.split('/')[0]! : ''));
    const ourFiles = builtInFiles(await filesUnder(ours));
    expect(ourFiles).toEqual(builtInFiles(await filesUnder(theirs)));
    expect(ourFiles).toEqual(expect.arrayContaining(['servergroups.json', 'v1/serverresources.json', 'apps/v1/serverresources.json', 'autoscaling/v2/serverresources.json']));
    for (const file of ourFiles.filter((f) => f !== 'servergroups.json')) {
      expect(await readFile(join(ours, file), 'utf8'), file).toBe(await readFile(join(theirs, file), 'utf8'));
    }
    const groupsOf = async (dir: string) =>
      (JSON.parse(await readFile(join(dir, 'servergroups.json'), 'utf8')) as { groups: Array<{ name: string }> }).groups.filter((g) => isBuiltIn(g.name));
    expect(await groupsOf(ours)).toEqual(await groupsOf(theirs));

    expect((await stat(join(cacheDir, 'discovery'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(ours, 'apps'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(ours, 'servergroups.json'))).mode & 0o777).toBe(0o660);
    expect((await stat(join(ours, 'apps', 'v1', 'serverresources.json'))).mode & 0o777).toBe(0o660);
  });
});

describe('a warm cache', () => {
  let cacheDir: string;
  let cold: ApiResource[];

  beforeAll(async () => {
    cacheDir = await tempDir();
    cold = await Discovery.forClient(adminClient(), { cacheDir }).resources();
  });

  it('serves a second Discovery with zero requests', async () => {
    const rec = recordRequests();
    const warm = Discovery.forClient(adminClient(rec), { cacheDir });
    expect(await warm.resources()).toEqual(cold);
    expect(await warm.resolve('deployments.apps')).toHaveLength(1);
    expect(rec.requests).toEqual([]);
  });

  it('serves kubectl: it lists pods without any discovery request', async () => {
    const r = await kubectl(['--cache-dir', cacheDir, 'get', 'pods,deploy', '-n', 'default', '-v=6']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const requests = kubectlRequests(String(r.stderr));
    expect(requests).toEqual(['/api/v1/namespaces/default/pods', '/apis/apps/v1/namespaces/default/deployments']);
  });

  it('can be one kubectl wrote: ktx reads it with zero requests', async () => {
    const kubectlCache = await tempDir();
    await kubectlOk(['--cache-dir', kubectlCache, 'get', 'pods', '-n', 'default']);
    const rec = recordRequests();
    const fromKubectl = await Discovery.forClient(adminClient(rec), { cacheDir: kubectlCache }).resources();
    expect(rec.requests).toEqual([]);
    expect(builtIns(fromKubectl)).toEqual(builtIns(cold));
  });

  it('refetches only what is missing: one round trip, or one legacy request', async () => {
    const partialDir = await tempDir();
    const first = Discovery.forClient(adminClient(), { cacheDir: partialDir });
    const all = await first.resources();
    const appsFile = join(first.cacheDirectory!, 'apps', 'v1', 'serverresources.json');
    const groupsMtime = (await stat(join(first.cacheDirectory!, 'servergroups.json'))).mtimeMs;

    await rm(appsFile);
    const rec = recordRequests();
    expect(await Discovery.forClient(adminClient(rec), { cacheDir: partialDir }).resources()).toEqual(all);
    expect([...rec.requests].sort()).toEqual(DISCOVERY_REQUESTS);
    expect((await stat(appsFile)).isFile()).toBe(true);
    expect((await stat(join(first.cacheDirectory!, 'servergroups.json'))).mtimeMs).toBe(groupsMtime);

    await rm(appsFile);
    rec.clear();
    expect(await Discovery.forClient(adminClient(rec), { cacheDir: partialDir, aggregated: false }).resources()).toEqual(all);
    expect(rec.requests).toEqual(['GET /apis/apps/v1?timeout=32s']);
  });

  it('is fetched again once its files are older than the TTL', async () => {
    const expiredDir = await tempDir();
    const first = Discovery.forClient(adminClient(), { cacheDir: expiredDir });
    await first.resources();
    const dir = first.cacheDirectory!;
    const sevenHoursAgo = new Date(Date.now() - 7 * 3600_000);
    for (const file of await filesUnder(dir)) await utimes(join(dir, file), sevenHoursAgo, sevenHoursAgo);

    const rec = recordRequests();
    await Discovery.forClient(adminClient(rec), { cacheDir: expiredDir }).resources();
    expect([...rec.requests].sort()).toEqual(DISCOVERY_REQUESTS);
    expect((await stat(join(dir, 'apps', 'v1', 'serverresources.json'))).mtimeMs).toBeGreaterThan(sevenHoursAgo.getTime() + 3600_000);
  });
});

describe('an unknown type', () => {
  it('with data from an older cache: re-discovers exactly once, then fails', async () => {
    const cacheDir = await tempDir();
    await Discovery.forClient(adminClient(), { cacheDir }).resources();

    const rec = recordRequests();
    const discovery = Discovery.forClient(adminClient(rec), { cacheDir });
    await expect(discovery.resolve('pods,nosuchthings')).rejects.toThrow(new ResourceNotFoundError('nosuchthings'));
    expect([...rec.requests].sort()).toEqual(DISCOVERY_REQUESTS);

    // The data is now this instance's own: another miss fails straight away.
    rec.clear();
    const err = await discovery.resolve('NoSuchThings.example.com').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundError);
    expect((err as Error).message).toBe('the server doesn\'t have a resource type "NoSuchThings"');
    expect(rec.requests).toEqual([]);
  });

  it('with data this instance fetched itself: fails without re-discovering', async () => {
    const rec = recordRequests();
    const discovery = Discovery.forClient(adminClient(rec), { cacheDir: await tempDir() });
    await discovery.resources();
    rec.clear();
    await expect(discovery.resolve('nosuchthings')).rejects.toBeInstanceOf(ResourceNotFoundError);
    expect(rec.requests).toEqual([]);
  });

  it('without a disk cache: fails without re-discovering', async () => {
    const rec = recordRequests();
    const discovery = Discovery.forClient(adminClient(rec), { cacheDir: false });
    await expect(discovery.resolve('nosuchthings')).rejects.toBeInstanceOf(ResourceNotFoundError);
    expect([...rec.requests].sort()).toEqual(DISCOVERY_REQUESTS);
    expect(discovery.cacheDirectory).toBeUndefined();
  });
});

describe('legacy discovery (forced)', () => {
  it('fetches /api, /apis and every group-version, and finds what aggregated discovery finds', async () => {
    const aggregated = await Discovery.forClient(adminClient(), { cacheDir: false }).resources();
    const rec = recordRequests();
    const cacheDir = await tempDir();
    const discovery = Discovery.forClient(adminClient(rec), { cacheDir, aggregated: false });
    const legacy = await discovery.resources();

    expect([...rec.requests.slice(0, 2)].sort()).toEqual(DISCOVERY_REQUESTS);
    expect(new Set(rec.accepts)).toEqual(new Set(['application/json']));
    const groupVersions = (await discovery.groups()).flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v)));
    const perGroupVersion = groupVersions.map((gv) => `GET ${gv === 'v1' ? '/api/v1' : `/apis/${gv}`}?timeout=32s`);
    expect([...rec.requests.slice(2)].sort()).toEqual([...perGroupVersion].sort());
    expect(builtIns(legacy)).toEqual(builtIns(aggregated));

    // What it cached serves the next instance, in either mode, with no request.
    rec.clear();
    expect(builtIns(await Discovery.forClient(adminClient(rec), { cacheDir, aggregated: false }).resources())).toEqual(builtIns(aggregated));
    expect(builtIns(await Discovery.forClient(adminClient(rec), { cacheDir }).resources())).toEqual(builtIns(aggregated));
    expect(rec.requests).toEqual([]);
  });
});
