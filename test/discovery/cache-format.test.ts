// kubectl's discovery cache layout and the aggregated → legacy conversion, without a server.
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DiscoveryDiskCache,
  StaleGroupVersionError,
  buildCatalog,
  cacheRoot,
  discoveryCacheDir,
  groupInfos,
  splitAggregated,
  type APIGroup,
  type APIGroupDiscoveryList,
  type APIGroupList,
  type APIResourceList,
} from '../../src/lib/discovery/index.js';

describe('cache location', () => {
  it('takes the cache dir, else $KUBECACHEDIR, else ~/.kube/cache', () => {
    expect(cacheRoot('/x/cache', { KUBECACHEDIR: '/env/cache' }, '/home/u')).toBe('/x/cache');
    expect(cacheRoot(undefined, { KUBECACHEDIR: '/env/cache' }, '/home/u')).toBe('/env/cache');
    expect(cacheRoot(undefined, {}, '/home/u')).toBe('/home/u/.kube/cache');
  });

  it.each([
    ['https://10.0.0.1:6443', '10.0.0.1_6443'],
    ['http://127.0.0.1:18080', '127.0.0.1_18080'],
    ['https://rancher.example.com/k8s/clusters/c-1', 'rancher.example.com/k8s/clusters/c_1'],
    ['https://[::1]:6443', '___1__6443'],
    ['https://my-api.example.com:443/', 'my_api.example.com_443'],
  ])('names the directory for %s like kubectl', (server, host) => {
    expect(discoveryCacheDir('/c', server)).toBe(`/c/discovery/${host}`);
  });
});

describe('aggregated discovery → legacy documents', () => {
  const aggregated: APIGroupDiscoveryList = {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    items: [
      {
        metadata: { name: 'widgets.example.com' },
        versions: [
          { version: 'v2', freshness: 'Stale' },
          {
            version: 'v1',
            freshness: 'Current',
            resources: [
              {
                resource: 'widgets',
                responseKind: { group: '', version: '', kind: 'Widget' },
                scope: 'Namespaced',
                singularResource: 'widget',
                verbs: ['get', 'list'],
                shortNames: ['wd'],
                categories: ['all'],
                subresources: [{ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get'] }],
              },
              // No responseKind: dropped, but its subresource stays.
              {
                resource: 'ghosts',
                scope: 'Cluster',
                singularResource: 'ghost',
                subresources: [{ subresource: 'status', responseKind: { kind: 'Ghost' }, verbs: ['get'] }],
              },
            ],
          },
        ],
      },
      { metadata: { name: 'gone.example.com' }, versions: [{ version: 'v1', freshness: 'Stale' }] },
    ],
  };

  it('keeps non-stale versions, the first of them preferred, and reports stale ones', () => {
    const split = splitAggregated(aggregated);
    expect(split.groups).toEqual([
      {
        name: 'widgets.example.com',
        versions: [{ groupVersion: 'widgets.example.com/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'widgets.example.com/v1', version: 'v1' },
      },
      { name: 'gone.example.com', versions: [] },
    ]);
    expect(split.failed.map((f) => [f.groupVersion, f.error.message])).toEqual([
      ['widgets.example.com/v2', 'stale GroupVersion discovery: widgets.example.com/v2'],
      ['gone.example.com/v1', 'stale GroupVersion discovery: gone.example.com/v1'],
    ]);
    expect(split.failed[0]?.error).toBeInstanceOf(StaleGroupVersionError);
  });

  it('writes resources in the legacy field order kubectl writes', () => {
    const list = splitAggregated(aggregated).resources.get('widgets.example.com/v1');
    expect(JSON.stringify(list)).toBe(
      JSON.stringify({
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'widgets.example.com/v1',
        resources: [
          { name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get', 'list'], shortNames: ['wd'], categories: ['all'] },
          { name: 'widgets/scale', singularName: 'widget', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get'] },
          { name: 'ghosts/status', singularName: 'ghost', namespaced: false, kind: 'Ghost', verbs: ['get'] },
        ],
      }),
    );
  });
});

describe('priority order', () => {
  const groups: APIGroup[] = [
    { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
    { name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } },
    {
      name: 'autoscaling',
      versions: [
        { groupVersion: 'autoscaling/v1', version: 'v1' },
        { groupVersion: 'autoscaling/v2', version: 'v2' },
      ],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    },
  ];
  const list = (groupVersion: string, ...names: string[]): [string, APIResourceList] => [
    groupVersion,
    {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion,
      resources: names.map((name) => ({ name, singularName: '', namespaced: true, kind: 'Thing', verbs: [] })),
    },
  ];
  const lists = new Map([
    list('apps/v1', 'deployments', 'deployments/scale'),
    list('v1', 'pods', 'pods/log'),
    list('autoscaling/v1', 'horizontalpodautoscalers'),
    list('autoscaling/v2', 'horizontalpodautoscalers'),
  ]);

  it('puts core v1 first, then groups in order, preferred version first, without subresources', () => {
    expect(buildCatalog(groups, lists).map((r) => `${r.group}/${r.version}/${r.plural}`)).toEqual([
      '/v1/pods',
      'apps/v1/deployments',
      'autoscaling/v2/horizontalpodautoscalers',
      'autoscaling/v1/horizontalpodautoscalers',
    ]);
  });

  it('guesses a missing singular name from the kind', () => {
    expect(buildCatalog(groups, lists)[0]?.singular).toBe('thing');
  });

  it('lists groups for api-versions in the same order', () => {
    expect(groupInfos(groups)).toEqual([
      { name: '', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'apps', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'autoscaling', versions: ['v2', 'v1'], preferredVersion: 'v2' },
    ]);
  });
});

describe('the disk cache', () => {
  let dir: string;
  const groupList: APIGroupList = {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } }],
  };
  const podsList: APIResourceList = {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'apps/v1',
    resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get'] }],
  };

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'ktx-disk-')), 'discovery', 'host_6443');
  });
  afterEach(async () => {
    await rm(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('writes atomically with kubectl modes and a trailing newline', async () => {
    const cache = new DiscoveryDiskCache(dir);
    await cache.writeGroups(groupList);
    await cache.writeResources(podsList);
    expect((await stat(join(dir, '..'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(dir, 'apps', 'v1'))).mode & 0o777).toBe(0o750);
    expect((await stat(join(dir, 'servergroups.json'))).mode & 0o777).toBe(0o660);
    expect((await stat(join(dir, 'apps', 'v1', 'serverresources.json'))).mode & 0o777).toBe(0o660);
    expect(await readFile(join(dir, 'servergroups.json'), 'utf8')).toBe(`${JSON.stringify(groupList)}\n`);
    expect((await readdir(join(dir, 'apps', 'v1'))).sort()).toEqual(['serverresources.json']);
    expect(await cache.readResources('apps/v1')).toEqual(podsList);
    expect(cache.fresh).toBe(true);
  });

  it('treats files older than the TTL as missing', async () => {
    await new DiscoveryDiskCache(dir).writeGroups(groupList);
    const sevenHoursAgo = new Date(Date.now() - 7 * 3600_000);
    await utimes(join(dir, 'servergroups.json'), sevenHoursAgo, sevenHoursAgo);
    expect(await new DiscoveryDiskCache(dir).readGroups()).toBeUndefined();
    expect(await new DiscoveryDiskCache(dir, 8 * 3600_000).readGroups()).toEqual(groupList);
  });

  it('is not fresh after reading files it did not write, and ignores them once invalidated', async () => {
    await new DiscoveryDiskCache(dir).writeGroups(groupList);
    const reader = new DiscoveryDiskCache(dir);
    expect(await reader.readGroups()).toEqual(groupList);
    expect(reader.fresh).toBe(false);
    reader.invalidate();
    expect(reader.fresh).toBe(true);
    expect(await reader.readGroups()).toBeUndefined();
    await reader.writeGroups(groupList);
    expect(await reader.readGroups()).toEqual(groupList);
    expect(reader.fresh).toBe(true);
  });

  it('treats malformed files as missing and reads the null lists Go writes', async () => {
    await mkdir(join(dir, 'apps', 'v1'), { recursive: true });
    await writeFile(join(dir, 'apps', 'v1', 'serverresources.json'), '{"kind":"APIResourceList"');
    const cache = new DiscoveryDiskCache(dir);
    expect(await cache.readResources('apps/v1')).toBeUndefined();
    await writeFile(
      join(dir, 'servergroups.json'),
      JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'gone.example.com', versions: null, preferredVersion: { groupVersion: '', version: '' } }] }),
    );
    expect((await cache.readGroups())?.groups[0]?.versions).toEqual([]);
  });
});
