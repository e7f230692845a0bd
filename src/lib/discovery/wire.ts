// The discovery documents as the apiserver serves them and as kubectl caches them on disk.

/** One version of a group in the legacy format (`metav1.GroupVersionForDiscovery`). */
export interface GroupVersionForDiscovery {
  /** `group/version`, or just `version` for the core group. */
  groupVersion: string;
  version: string;
}

/** One API group in the legacy format (`metav1.APIGroup`); the core group has the name `''`. */
export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion?: GroupVersionForDiscovery;
}

/** `GET /apis` in the legacy format, and kubectl's `servergroups.json` (which adds the core group first). */
export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

/** `GET /api` in the legacy format: the core group's versions. */
export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
}

/**
 * One resource or subresource (`name` is `parent/sub`) in the legacy format (`metav1.APIResource`).
 * `group`/`version` are set only when the objects it serves belong to another group-version
 * (the `scale` subresources answer with `autoscaling/v1`).
 */
export interface APIResourceEntry {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** `GET /api/v1` or `/apis/G/V` in the legacy format, and kubectl's `serverresources.json`. */
export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResourceEntry[];
}

/** `responseKind` of aggregated discovery; empty group and version mean "the resource's own". */
export interface DiscoveryKind {
  group?: string;
  version?: string;
  kind?: string;
}

/** A subresource in aggregated discovery (`apidiscovery.k8s.io/v2` APISubresourceDiscovery). */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind?: DiscoveryKind;
  acceptedTypes?: DiscoveryKind[];
  verbs?: string[];
}

/** A resource in aggregated discovery (`apidiscovery.k8s.io/v2` APIResourceDiscovery). */
export interface APIResourceDiscovery {
  resource: string;
  responseKind?: DiscoveryKind;
  scope: 'Cluster' | 'Namespaced';
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** One version of a group in aggregated discovery; `Stale` means its aggregated API did not answer. */
export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  freshness?: 'Current' | 'Stale';
}

/** One group in aggregated discovery; versions are in the server's preference order. */
export interface APIGroupDiscovery {
  metadata?: { name?: string };
  versions?: APIVersionDiscovery[];
}

/** `GET /api` and `GET /apis` in aggregated discovery (`apidiscovery.k8s.io/v2` or `v2beta1`). */
export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: string;
  items?: APIGroupDiscovery[];
}

/** `group/version` as discovery writes it: just `version` for the core group. */
export function groupVersionString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Splits `group/version` (or a bare core `version`) into its parts. */
export function parseGroupVersion(groupVersion: string): { group: string; version: string } {
  const slash = groupVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: groupVersion } : { group: groupVersion.slice(0, slash), version: groupVersion.slice(slash + 1) };
}
