import {
  groupVersionString,
  type APIGroup,
  type APIGroupDiscoveryList,
  type APIResourceDiscovery,
  type APIResourceEntry,
  type APIResourceList,
} from './wire.js';

/** A group-version that discovery could not list, and why. */
export interface DiscoveryFailure {
  /** `group/version`, or `v1` for core. */
  groupVersion: string;
  error: Error;
}

/**
 * The apiserver marked a group-version `Stale` in aggregated discovery: its aggregated API
 * (e.g. `metrics.k8s.io`) did not answer. client-go's `StaleGroupVersionError` message.
 */
export class StaleGroupVersionError extends Error {
  override name = 'StaleGroupVersionError';
  constructor(readonly groupVersion: string) {
    super(`stale GroupVersion discovery: ${groupVersion}`);
  }
}

/** Groups plus, per `group/version`, their resources in the legacy format. */
export interface SplitDiscovery {
  groups: APIGroup[];
  resources: Map<string, APIResourceList>;
  failed: DiscoveryFailure[];
}

/**
 * Turns an aggregated `APIGroupDiscoveryList` into the legacy groups and resource lists that
 * kubectl caches, the way client-go's `SplitGroupsAndResources` does: a `Stale` version is left
 * out of its group and reported as failed; the first non-stale version is the preferred one; a
 * resource without a `responseKind` is dropped but its subresources are kept; subresources become
 * `parent/sub` entries sharing the parent's singular name and scope. A group whose every version is
 * stale stays listed with no versions, as kubectl writes it to `servergroups.json`.
 */
export function splitAggregated(list: APIGroupDiscoveryList): SplitDiscovery {
  const groups: APIGroup[] = [];
  const resources = new Map<string, APIResourceList>();
  const failed: DiscoveryFailure[] = [];
  for (const item of list.items ?? []) {
    const name = item.metadata?.name ?? '';
    const group: APIGroup = { name, versions: [] };
    for (const v of item.versions ?? []) {
      const gv = groupVersionString(name, v.version);
      if (v.freshness === 'Stale') {
        failed.push({ groupVersion: gv, error: new StaleGroupVersionError(gv) });
        continue;
      }
      const ref = { groupVersion: gv, version: v.version };
      group.versions.push(ref);
      group.preferredVersion ??= ref;
      resources.set(gv, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: (v.resources ?? []).flatMap(legacyEntries) });
    }
    groups.push(group);
  }
  return { groups, resources, failed };
}

/** A resource followed by its subresources, in the legacy format. */
function legacyEntries(r: APIResourceDiscovery): APIResourceEntry[] {
  const parent = {
    name: r.resource,
    singularName: r.singularResource ?? '',
    namespaced: r.scope === 'Namespaced',
  };
  const out: APIResourceEntry[] = [];
  if (r.responseKind?.kind) {
    out.push({
      ...parent,
      ...kindFields(r.responseKind),
      verbs: r.verbs ?? [],
      ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
    });
  }
  for (const sub of r.subresources ?? []) {
    if (!sub.responseKind?.kind) continue;
    out.push({ ...parent, name: `${r.resource}/${sub.subresource}`, ...kindFields(sub.responseKind), verbs: sub.verbs ?? [] });
  }
  return out;
}

/** `group`, `version` (only when set, as Go's omitempty writes them) and `kind`, in kubectl's field order. */
function kindFields(k: { group?: string; version?: string; kind?: string }): Pick<APIResourceEntry, 'group' | 'version' | 'kind'> {
  return { ...(k.group ? { group: k.group } : {}), ...(k.version ? { version: k.version } : {}), kind: k.kind ?? '' };
}
