import type { ApiResource } from '../api/resource.js';
import type { Client } from '../client.js';
import type { DiscoveryFailure } from './aggregated.js';
import { cacheRoot, discoveryCacheDir } from './cache-paths.js';
import { buildCatalog, groupInfos, preferredVersions, priorityGroupVersions, type ApiGroupInfo } from './catalog.js';
import { DEFAULT_DISCOVERY_TTL_MS, DiscoveryDiskCache } from './disk-cache.js';
import { ResourceNotFoundError } from './errors.js';
import { fetchGroups, fetchGroupVersion, type LiveGroups } from './fetch.js';
import { forEachLimit } from './limit.js';
import { dedupeResources, distinctWarnings, resolveTypeItem, resourcePart, type WarningHandler } from './resolver.js';
import type { APIGroupList, APIResourceList } from './wire.js';

/** How many cache files are read, or legacy group-versions fetched, at once. */
const CONCURRENCY = 8;

/** Options of {@link Discovery.forClient}. */
export interface DiscoveryOptions {
  /**
   * The cache root, as kubectl's `--cache-dir`; defaults to `$KUBECACHEDIR`, then `~/.kube/cache`.
   * Discovery files go to `<root>/discovery/<host>/`. `false` keeps discovery in memory only.
   */
  cacheDir?: string | false;
  /** How long cache files stay usable; kubectl's fixed 6 hours by default. */
  ttlMs?: number;
  /**
   * Ask for aggregated discovery (`apidiscovery.k8s.io/v2`, two requests); default true. `false`
   * forces legacy discovery (`/api`, `/apis`, then one request per group-version), which kubectl
   * only uses when the server does not offer aggregated discovery.
   */
  aggregated?: boolean;
  /**
   * Receives what kubectl prints on stderr: `couldn't get resource list for G/V: …` for every
   * group-version discovery could not list, and `short name "X" could also match lower priority
   * resource Y` for ambiguous short names.
   */
  onWarning?: WarningHandler;
}

interface Snapshot {
  catalog: ApiResource[];
  groups: ApiGroupInfo[];
}

/**
 * The API resources a server offers, discovered like kubectl discovers them and shared with
 * kubectl through its disk cache.
 *
 * - One aggregated-discovery round trip (`GET /api` and `GET /apis`), or legacy discovery when the
 *   server answers with plain `APIVersions`/`APIGroupList`.
 * - kubectl's cache layout under `<cache root>/discovery/<host>/` with its 6-hour TTL: a warm cache
 *   (written by ktx or by kubectl) costs no request at all; missing or expired files are fetched
 *   and written back.
 * - Partial discovery is tolerated: a `Stale` or failing group-version is skipped, reported
 *   through `onWarning` and {@link failedGroups}, and everything else keeps working.
 * - {@link resolve} implements kubectl's TYPE resolution; when a name is unknown and the data came
 *   from a cache this instance did not write, it re-discovers once before failing with
 *   {@link ResourceNotFoundError}.
 * - Results are kept in memory until {@link refresh}.
 */
export class Discovery {
  /** The per-server cache directory, or undefined when the disk cache is off. */
  readonly cacheDirectory: string | undefined;
  private readonly disk: DiscoveryDiskCache | undefined;
  private readonly aggregated: boolean;
  private readonly onWarning: WarningHandler | undefined;
  private current: Promise<Snapshot> | undefined;
  private refreshing: Promise<void> | undefined;
  private failures: DiscoveryFailure[] = [];

  private constructor(
    private readonly client: Client,
    options: DiscoveryOptions,
  ) {
    this.cacheDirectory = options.cacheDir === false ? undefined : discoveryCacheDir(cacheRoot(options.cacheDir), client.config.server);
    this.disk = this.cacheDirectory === undefined ? undefined : new DiscoveryDiskCache(this.cacheDirectory, options.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS);
    this.aggregated = options.aggregated ?? true;
    this.onWarning = options.onWarning;
  }

  /** Discovery for the client's server and credentials. Nothing is fetched until first use. */
  static forClient(client: Client, options: DiscoveryOptions = {}): Discovery {
    return new Discovery(client, options);
  }

  /** Group-versions the last discovery could not list (`Stale`, unreachable aggregated APIs, errors). */
  get failedGroups(): readonly DiscoveryFailure[] {
    return this.failures;
  }

  /**
   * Every served resource in every version, subresources excluded, in kubectl's priority order:
   * core `v1` first, then the groups in the server's order, each with its preferred version first.
   */
  async resources(): Promise<ApiResource[]> {
    return [...(await this.snapshot()).catalog];
  }

  /**
   * One entry per resource, in its group's preferred version or else the first version serving it
   * (see `preferredVersions`): what `kubectl api-resources` lists.
   */
  async preferredResources(): Promise<ApiResource[]> {
    return preferredVersions((await this.snapshot()).catalog);
  }

  /** The served groups (core first, as `''`) with their versions, preferred first; what `api-versions` prints. */
  async groups(): Promise<ApiGroupInfo[]> {
    return [...(await this.snapshot()).groups];
  }

  /**
   * Resolves a TYPE argument as kubectl does (see `resolveResourceType`): comma-separated items,
   * categories, plural/singular/short names, `resource.group`, `resource.version.group` and kinds.
   * An unknown item triggers one re-discovery, but only when the data in use came from a cache
   * this instance did not write (kubectl's rule); an item is resolved again from scratch after it,
   * categories included.
   *
   * @throws ResourceNotFoundError `the server doesn't have a resource type "X"`.
   */
  async resolve(typeArg: string): Promise<ApiResource[]> {
    const warn = distinctWarnings(this.onWarning);
    let { catalog } = await this.snapshot();
    let retried = false;
    const out: ApiResource[] = [];
    for (const item of typeArg.split(',')) {
      let found = resolveTypeItem(item, catalog, warn);
      if (!found && item && !retried && !this.fresh) {
        retried = true;
        await this.refresh();
        ({ catalog } = await this.snapshot());
        found = resolveTypeItem(item, catalog, warn);
      }
      if (!found) throw new ResourceNotFoundError(resourcePart(item));
      out.push(...found);
    }
    return dedupeResources(out);
  }

  /**
   * Forgets what this instance knows and re-discovers now, ignoring cache files it did not write
   * itself and rewriting them; `kubectl api-resources` and `api-versions` do this first.
   */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        this.disk?.invalidate();
        this.current = undefined;
        await this.snapshot();
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** True when every piece of data in use was fetched (or written) by this instance. */
  private get fresh(): boolean {
    return this.disk?.fresh ?? true;
  }

  private snapshot(): Promise<Snapshot> {
    if (!this.current) {
      const loading = this.load();
      this.current = loading;
      // A failed load is not cached: the next call tries again.
      loading.catch(() => {
        if (this.current === loading) this.current = undefined;
      });
    }
    return this.current;
  }

  private async load(): Promise<Snapshot> {
    const failed: DiscoveryFailure[] = [];
    let live: Promise<LiveGroups> | undefined;
    const fetchLive = () => (live ??= fetchGroups(this.client, { aggregated: this.aggregated }));

    let groupList = await this.disk?.readGroups();
    if (!groupList) {
      const fetched = await fetchLive();
      groupList = { kind: 'APIGroupList', apiVersion: 'v1', groups: fetched.groups } satisfies APIGroupList;
      failed.push(...fetched.failed);
      await this.disk?.writeGroups(groupList);
    }

    const groupVersions = priorityGroupVersions(groupList.groups);
    const lists = new Map<string, APIResourceList>();
    const listFailures: Array<DiscoveryFailure | undefined> = [];
    await forEachLimit(groupVersions, CONCURRENCY, async (gv, index) => {
      try {
        const list = (await this.disk?.readResources(gv)) ?? (await this.fetchResources(gv, fetchLive));
        lists.set(gv, list);
      } catch (err) {
        listFailures[index] = { groupVersion: gv, error: err instanceof Error ? err : new Error(String(err)) };
      }
    });
    failed.push(...listFailures.filter((f): f is DiscoveryFailure => !!f));

    this.failures = failed;
    for (const f of failed) this.onWarning?.(`couldn't get resource list for ${f.groupVersion}: ${f.error.message}`);
    return { catalog: buildCatalog(groupList.groups, lists), groups: groupInfos(groupList.groups) };
  }

  /**
   * One group-version's resources, written to the cache: from the aggregated round trip (made at
   * most once per load), else from its own legacy request.
   */
  private async fetchResources(groupVersion: string, fetchLive: () => Promise<LiveGroups>): Promise<APIResourceList> {
    // Legacy `/api` and `/apis` answers carry no resources: skip them when the cache had the groups.
    const live = this.aggregated ? await fetchLive() : undefined;
    const stale = live?.failed.find((f) => f.groupVersion === groupVersion);
    if (stale) throw stale.error;
    const list = live?.resources?.get(groupVersion) ?? (await fetchGroupVersion(this.client, groupVersion));
    await this.disk?.writeResources(list);
    return list;
  }
}
