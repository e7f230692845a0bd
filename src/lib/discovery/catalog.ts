import type { ApiResource } from '../api/resource.js';
import { parseGroupVersion, type APIGroup, type APIResourceEntry, type APIResourceList } from './wire.js';

/** One API group as `api-versions` and `api-resources` need it. */
export interface ApiGroupInfo {
  /** `''` for the core group. */
  name: string;
  /** Served versions, preferred first. */
  versions: string[];
  preferredVersion: string;
}

/**
 * The group-versions in kubectl's REST-mapping priority order: core `v1` first, then the groups in
 * the order discovery listed them, each with its preferred version first and its other versions
 * after it in listed order. This is why `events` is core Events and not `events.k8s.io`.
 */
export function priorityGroupVersions(groups: readonly APIGroup[]): string[] {
  return orderedGroups(groups).flatMap((g) => g.versions);
}

/** The groups in priority order (see {@link priorityGroupVersions}), preferred version first. */
export function groupInfos(groups: readonly APIGroup[]): ApiGroupInfo[] {
  return orderedGroups(groups).map((g) => ({ name: g.name, versions: g.versions.map((gv) => parseGroupVersion(gv).version), preferredVersion: g.preferred }));
}

/**
 * Every resource of every listed group-version as an {@link ApiResource}, in priority order (see
 * {@link priorityGroupVersions}) and, within a group-version, in the server's order. Subresources
 * (`pods/log`) are left out: they are never resource types. A missing singular name (old servers)
 * is guessed as the lower-cased kind, as kubectl's REST mapper does.
 */
export function buildCatalog(groups: readonly APIGroup[], lists: ReadonlyMap<string, APIResourceList>): ApiResource[] {
  const out: ApiResource[] = [];
  for (const gv of priorityGroupVersions(groups)) {
    const { group, version } = parseGroupVersion(gv);
    for (const entry of lists.get(gv)?.resources ?? []) {
      if (!entry.name.includes('/')) out.push(toApiResource(entry, group, version));
    }
  }
  return out;
}

/**
 * One entry per resource from a priority-ordered catalog: the group's preferred version when it
 * serves the resource, else the first version that does (client-go's `ServerPreferredResources`,
 * which `kubectl api-resources` lists).
 */
export function preferredVersions(catalog: readonly ApiResource[]): ApiResource[] {
  const seen = new Set<string>();
  // Each group's preferred version comes first in the catalog, so the first entry per resource wins.
  return catalog.filter((r) => {
    const key = `${r.plural}.${r.group}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One legacy discovery entry as an {@link ApiResource} of `group`/`version`. */
export function toApiResource(entry: APIResourceEntry, group: string, version: string): ApiResource {
  return {
    group,
    version,
    kind: entry.kind,
    plural: entry.name,
    namespaced: entry.namespaced,
    singular: entry.singularName || entry.kind.toLowerCase(),
    shortNames: entry.shortNames ?? [],
    categories: entry.categories ?? [],
    verbs: entry.verbs ?? [],
  };
}

interface OrderedGroup {
  name: string;
  preferred: string;
  /** `group/version` strings, preferred first. */
  versions: string[];
}

function orderedGroups(groups: readonly APIGroup[]): OrderedGroup[] {
  const core = groups.filter((g) => g.name === '');
  const rest = groups.filter((g) => g.name !== '');
  return [...core, ...rest]
    .filter((g) => g.versions.length > 0)
    .map((g) => {
      const listed = g.versions.map((v) => v.groupVersion);
      const preferred = g.preferredVersion?.groupVersion && listed.includes(g.preferredVersion.groupVersion) ? g.preferredVersion.groupVersion : listed[0]!;
      return { name: g.name, preferred: parseGroupVersion(preferred).version, versions: [preferred, ...listed.filter((v) => v !== preferred)] };
    });
}
