/**
 * What the apiserver needs to address a kind of object: its group, version, plural resource name,
 * kind and scope. Built-in ones come from `resources` (generated), others from discovery or a CRD.
 * The type parameter `K` is the object type the resource serves (phantom; no runtime value).
 */
export interface ApiResource<K = KubeObject> {
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  /** Kind of the objects, e.g. `Deployment`. */
  kind: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  plural: string;
  /** True for namespaced resources, false for cluster-scoped ones. */
  namespaced: boolean;
  /** Singular name (`deployment`), short names (`deploy`) and categories (`all`), when known. */
  singular?: string;
  shortNames?: string[];
  categories?: string[];
  /** Verbs the server allows on the resource, when known from discovery. */
  verbs?: string[];
  /** Phantom field carrying the object type; never set. */
  readonly __object?: K;
}

/** `apiVersion` as written in objects: `v1` for core, `group/version` otherwise. */
export function apiVersionOf(r: Pick<ApiResource, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/**
 * The URL path of a resource collection or object: `/api/v1/namespaces/NS/pods[/NAME[/SUB]]`
 * for the core group, `/apis/GROUP/VERSION/...` otherwise. Cluster-scoped resources and
 * all-namespace lists omit the namespace segment.
 */
export function resourcePath(
  r: Pick<ApiResource, 'group' | 'version' | 'plural' | 'namespaced'>,
  opts: { namespace?: string | undefined; name?: string | undefined; subresource?: string | undefined } = {},
): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && opts.namespace ? `/namespaces/${encodeURIComponent(opts.namespace)}` : '';
  const name = opts.name !== undefined ? `/${encodeURIComponent(opts.name)}` : '';
  const sub = opts.subresource ? `/${opts.subresource}` : '';
  return `${root}${ns}/${r.plural}${name}${sub}`;
}

/** `deployments.apps`, or `pods` for the core group: how kubectl names a resource in messages. */
export function qualifiedResource(r: Pick<ApiResource, 'group' | 'plural'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** The fields every Kubernetes object has (ObjectMeta, abridged); the rest is kept as-is. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object as plain JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** A list response: `items` plus list metadata (resourceVersion and the continue token). */
export interface ObjectList<K = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: K[];
}
