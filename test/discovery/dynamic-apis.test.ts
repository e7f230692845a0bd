// APIs that appear or fail while a cache exists: a CRD found after re-discovery on a miss, and an
// aggregated API whose backend is down (partial discovery).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/errors.js';
import { Discovery, ResourceNotFoundError, StaleGroupVersionError, type DiscoveryFailure } from '../../src/lib/discovery/index.js';
import { closeAllConnections } from '../../src/lib/http/transport.js';
import { kubectl, kubectlOk } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/wait.js';
import { adminClient, recordRequests } from './admin-client.js';

const suffix = randomBytes(3).toString('hex');
const DISCOVERY_REQUESTS = ['GET /api?timeout=32s', 'GET /apis?timeout=32s'];

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'ktx-discovery-dynamic-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
  await closeAllConnections();
});

describe('a CRD created after the cache was written', () => {
  const group = `discovery-${suffix}.ktx.test`;
  const shortName = `gz${suffix}`;
  const category = `ktx-${suffix}`;
  const crdName = `gizmos.${group}`;
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', shortNames: [shortName], categories: [category] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };

  afterAll(async () => {
    await kubectl(['delete', 'crd', crdName, '--ignore-not-found', '--wait=false']);
  });

  it('is found by a new Discovery after one re-discovery, and by kubectl from the same cache', async () => {
    const beforeRec = recordRequests();
    const before = Discovery.forClient(adminClient(beforeRec), { cacheDir });
    await before.resources();

    await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(crd) });
    await kubectlOk(['wait', '--for', 'condition=established', `crd/${crdName}`, '--timeout=60s']);
    await waitUntil('the CRD to show in aggregated discovery', async () =>
      (await Discovery.forClient(adminClient(), { cacheDir: false }).resources()).some((r) => r.group === group),
    );

    // Its data is its own, so the instance that wrote the cache does not re-discover (kubectl's rule).
    beforeRec.clear();
    await expect(before.resolve(shortName)).rejects.toBeInstanceOf(ResourceNotFoundError);
    expect(beforeRec.requests).toEqual([]);

    const rec = recordRequests();
    const after = Discovery.forClient(adminClient(rec), { cacheDir });
    const gizmo = {
      group,
      version: 'v1',
      kind: 'Gizmo',
      plural: 'gizmos',
      namespaced: true,
      singular: 'gizmo',
      shortNames: [shortName],
      categories: [category],
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    };
    expect(await after.resolve(`gizmos.${group}`)).toEqual([gizmo]);
    expect([...rec.requests].sort()).toEqual(DISCOVERY_REQUESTS);

    rec.clear();
    for (const arg of [shortName, category, `gizmo.${group}`, `Gizmo.${group}`, `gizmos.v1.${group}`, `Gizmo.v1.${group}`, `${shortName}.discovery-${suffix}`]) {
      expect(await after.resolve(arg), arg).toEqual([gizmo]);
    }
    expect(rec.requests).toEqual([]);

    const cached = JSON.parse(await readFile(join(after.cacheDirectory!, group, 'v1', 'serverresources.json'), 'utf8')) as {
      resources: Array<Record<string, unknown>>;
    };
    expect(cached.resources[0]).toMatchObject({ name: 'gizmos', singularName: 'gizmo', kind: 'Gizmo', shortNames: [shortName], categories: [category] });

    const r = await kubectl(['--cache-dir', cacheDir, 'get', shortName, '-n', 'default', '-v=6']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const urls = [...String(r.stderr).matchAll(/"Response" verb="GET" url="([^"]+)"/g)].map((m) => new URL(m[1]!).pathname);
    expect(urls).toEqual([`/apis/${group}/v1/namespaces/default/gizmos`]);

    await before.refresh();
    expect(await before.resolve(category)).toEqual([gizmo]);
  });
});

describe('an aggregated API whose backend is down', () => {
  const group = `probe-${suffix}.ktx.test`;
  const groupVersion = `${group}/v1`;
  const apiService = {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `v1.${group}` },
    spec: {
      group,
      version: 'v1',
      service: { namespace: 'default', name: `missing-${suffix}`, port: 443 },
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 1000,
      versionPriority: 15,
    },
  };

  it('is skipped and reported while everything else keeps working', async () => {
    await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify(apiService) });
    // An unavailable APIService makes namespace deletion wait for discovery: keep its life short.
    try {
      const { discovery, warnings } = await waitUntil('the APIService to be stale in aggregated discovery', async () => {
        const warnings: string[] = [];
        const discovery = Discovery.forClient(adminClient(), { cacheDir: false, onWarning: (w) => warnings.push(w) });
        await discovery.resources();
        return discovery.failedGroups.some((f) => f.groupVersion === groupVersion) ? { discovery, warnings } : undefined;
      });
      const stale = discovery.failedGroups.find((f) => f.groupVersion === groupVersion);
      expect(stale?.error).toBeInstanceOf(StaleGroupVersionError);
      expect(warnings).toContain(`couldn't get resource list for ${groupVersion}: stale GroupVersion discovery: ${groupVersion}`);
      expect((await discovery.groups()).some((g) => g.name === group)).toBe(false);
      expect(await discovery.resolve('deploy')).toHaveLength(1);

      const legacyWarnings: string[] = [];
      const legacy = Discovery.forClient(adminClient(), { cacheDir: join(cacheDir, 'cold'), aggregated: false, onWarning: (w) => legacyWarnings.push(w) });
      expect(await legacy.resolve('pods')).toHaveLength(1);
      const failed: DiscoveryFailure | undefined = legacy.failedGroups.find((f) => f.groupVersion === groupVersion);
      expect(failed?.error).toBeInstanceOf(ApiError);
      expect((failed?.error as ApiError).code).toBe(503);
      expect(legacyWarnings.some((w) => w.startsWith(`couldn't get resource list for ${groupVersion}: `))).toBe(true);
      expect((await legacy.groups()).find((g) => g.name === group)).toEqual({ name: group, versions: ['v1'], preferredVersion: 'v1' });
      expect((await legacy.resources()).some((r) => r.group === group)).toBe(false);
    } finally {
      await kubectl(['delete', 'apiservice', `v1.${group}`, '--ignore-not-found']);
    }
  });
});
