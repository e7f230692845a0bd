import type { Readable } from 'node:stream';
import type { Client } from '../client.js';
import { ApiError, type Status } from '../errors.js';
import type { HttpRequest } from '../http/transport.js';
import {
  deleteBody,
  listQuery,
  logQuery,
  METADATA_ONLY_ACCEPT,
  PATCH_CONTENT_TYPES,
  watchQuery,
  writeQuery,
  type CallOptions,
  type DeleteParams,
  type ListParams,
  type LogParams,
  type Patch,
  type PatchParams,
  type WatchParams,
  type WriteParams,
} from './params.js';
import { apiVersionOf, qualifiedResource, resourcePath, type ApiResource, type KubeObject, type ObjectList } from './resource.js';
import { TABLE_ACCEPT, type Table } from './table.js';
import { decodeWatchStream, type WatchEvent } from './watch-decoder.js';

/**
 * The outcome of a delete: `deleted` when the object is gone (the server answered with a Success
 * Status), `pending` when it still exists with a deletionTimestamp because finalizers or a grace
 * period hold it (the server answered with the object).
 */
export type DeleteResult<K> = { state: 'deleted'; status: Status } | { state: 'pending'; object: K };

/** `autoscaling/v1` Scale, the `scale` subresource of Deployments, ReplicaSets, StatefulSets and CRDs with one. */
export interface Scale {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  spec: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

/**
 * Verbs on one resource type, in one namespace (or across all namespaces / cluster-scoped), as
 * kube-rs's `Api<K>`. Objects are plain JSON in and out; unknown fields are preserved.
 *
 * - {@link Api.namespaced}: a namespaced resource in one namespace (defaults to the client's).
 * - {@link Api.all}: list and watch across all namespaces (writes need a namespace in the object).
 * - {@link Api.cluster}: a cluster-scoped resource.
 */
export class Api<K extends KubeObject = KubeObject> {
  constructor(
    readonly client: Client,
    readonly resource: ApiResource<K>,
    /** The namespace, or undefined for all namespaces / cluster scope. */
    readonly namespace?: string,
  ) {}

  /** A namespaced resource in `namespace` (the client's default namespace when omitted). */
  static namespaced<K extends KubeObject>(client: Client, resource: ApiResource<K>, namespace?: string): Api<K> {
    return new Api(client, resource, resource.namespaced ? (namespace ?? client.defaultNamespace) : undefined);
  }

  /** Every namespace at once (for list and watch), or a cluster-scoped resource. */
  static all<K extends KubeObject>(client: Client, resource: ApiResource<K>): Api<K> {
    return new Api(client, resource, undefined);
  }

  /** A cluster-scoped resource such as nodes or namespaces. */
  static cluster<K extends KubeObject>(client: Client, resource: ApiResource<K>): Api<K> {
    return new Api(client, resource, undefined);
  }

  /** The URL path for this Api's collection, or an object / subresource in it. */
  path(name?: string, subresource?: string, namespace = this.namespace): string {
    return resourcePath(this.resource, { namespace, name, subresource });
  }

  private req(method: NonNullable<HttpRequest['method']>, name: string | undefined, o: CallOptions, extra: Partial<HttpRequest> = {}): HttpRequest {
    return {
      method,
      path: this.path(name),
      subject: { verb: method, resource: qualifiedResource(this.resource), ...(name !== undefined ? { name } : {}) },
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...extra,
    };
  }

  /** GET one object; throws ApiError (isNotFound) when it does not exist. */
  get(name: string, o: CallOptions & { resourceVersion?: string } = {}): Promise<K> {
    return this.client.json<K>(this.req('GET', name, o, { query: { resourceVersion: o.resourceVersion } }));
  }

  /** GET one object, or undefined when it does not exist (404). */
  async getOpt(name: string, o: CallOptions = {}): Promise<K | undefined> {
    try {
      return await this.get(name, o);
    } catch (err) {
      if (err instanceof ApiError && err.isNotFound()) return undefined;
      throw err;
    }
  }

  /** One page of a list. Pass `limit` and the returned `metadata.continue` to page. */
  list(p: ListParams = {}): Promise<ObjectList<K>> {
    return this.client.json<ObjectList<K>>(
      this.req('GET', undefined, p, { query: listQuery(p), ...(p.metadataOnly ? { accept: METADATA_ONLY_ACCEPT.list } : {}) }),
    );
  }

  /**
   * One page of the list rendered by the server as a Table (what kubectl prints). `includeObject`
   * `Object` puts each whole object in its row (for client-side sorting), `None` leaves it out.
   */
  listTable(p: ListParams & { includeObject?: 'None' | 'Metadata' | 'Object' } = {}): Promise<Table> {
    return this.client.json<Table>(
      this.req('GET', undefined, p, { query: { ...listQuery(p), includeObject: p.includeObject }, accept: TABLE_ACCEPT }),
    );
  }

  /** One object rendered by the server as a one-row Table. */
  getTable(name: string, o: CallOptions & { includeObject?: 'None' | 'Metadata' | 'Object'; subresource?: string } = {}): Promise<Table> {
    return this.client.json<Table>({
      ...this.req('GET', name, o, { query: { includeObject: o.includeObject }, accept: TABLE_ACCEPT }),
      path: this.path(name, o.subresource),
    });
  }

  /** Every page of a list, `limit` (default 500) objects at a time, following continue tokens. */
  async *pages(p: ListParams = {}): AsyncGenerator<ObjectList<K>> {
    let cont = p.continue;
    do {
      const page = await this.list({ ...p, limit: p.limit ?? 500, ...(cont ? { continue: cont } : {}) });
      yield page;
      cont = page.metadata?.continue || undefined;
    } while (cont);
  }

  /** Every object of a list, fetched page by page. */
  async *listAll(p: ListParams = {}): AsyncGenerator<K> {
    for await (const page of this.pages(p)) yield* page.items;
  }

  /** POST a new object. The namespace comes from this Api, else from the object. */
  create(obj: K, p: WriteParams = {}): Promise<K> {
    const ns = this.namespace ?? obj.metadata?.namespace;
    return this.client.json<K>({
      ...this.req('POST', undefined, p, { query: writeQuery(p) }),
      path: this.path(undefined, undefined, ns),
      body: JSON.stringify(this.withTypeMeta(obj)),
      contentType: 'application/json',
    });
  }

  /** PUT a whole object. Include `metadata.resourceVersion` for optimistic concurrency (409 on a stale one). */
  replace(name: string, obj: K, p: WriteParams = {}): Promise<K> {
    return this.client.json<K>({
      ...this.req('PUT', name, p, { query: writeQuery(p) }),
      body: JSON.stringify(this.withTypeMeta(obj)),
      contentType: 'application/json',
    });
  }

  /**
   * PATCH an object with server-side apply, a JSON merge patch, a strategic merge patch or a JSON
   * patch. Server-side apply needs `fieldManager`; a 409 Conflict lists the fields another manager
   * owns, and `force: true` takes them over.
   */
  patch(name: string, patch: Patch, p: PatchParams = {}, subresource?: string): Promise<K> {
    if (patch.type === 'apply' && !p.fieldManager) {
      throw new TypeError('server-side apply needs a fieldManager');
    }
    const body = patch.type === 'json' ? patch.ops : patch.type === 'apply' ? this.withTypeMeta(patch.body as K) : patch.body;
    return this.client.json<K>({
      ...this.req('PATCH', name, p, {
        query: { ...writeQuery(p), force: patch.type === 'apply' && p.force ? true : undefined },
      }),
      path: this.path(name, subresource),
      body: JSON.stringify(body),
      contentType: PATCH_CONTENT_TYPES[patch.type],
    });
  }

  /** Server-side apply of a complete object as `fieldManager` (the object names itself). */
  apply(obj: K, p: PatchParams & { fieldManager: string }): Promise<K> {
    const name = obj.metadata?.name;
    if (!name) throw new TypeError('the object to apply has no metadata.name');
    const api = this.namespace || !this.resource.namespaced ? this : new Api(this.client, this.resource, obj.metadata?.namespace);
    return api.patch(name, { type: 'apply', body: obj }, p);
  }

  /** DELETE an object; tells an object that is gone from one still held by finalizers or a grace period. */
  async delete(name: string, p: DeleteParams = {}): Promise<DeleteResult<K>> {
    const body = deleteBody(p);
    const res = await this.client.json<K | Status>({
      ...this.req('DELETE', name, p, { idempotent: true }),
      ...(body ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
    });
    if ((res as Status).kind === 'Status') return { state: 'deleted', status: res as Status };
    const obj = res as K;
    return obj.metadata?.deletionTimestamp ? { state: 'pending', object: obj } : { state: 'deleted', status: { status: 'Success' } };
  }

  /** DELETE a collection (`deletecollection`), selected by label/field selectors. Returns what the server returned. */
  deleteCollection(p: DeleteParams & Pick<ListParams, 'labelSelector' | 'fieldSelector'> = {}): Promise<ObjectList<K> | Status> {
    const body = deleteBody(p);
    return this.client.json<ObjectList<K> | Status>({
      ...this.req('DELETE', undefined, p, { query: listQuery(p), idempotent: true }),
      ...(body ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
    });
  }

  /**
   * Watch from `resourceVersion` (or from "now" when unset). Yields ADDED/MODIFIED/DELETED,
   * BOOKMARK (requested by default) and ERROR events (a Status, e.g. 410 Expired). Ends when the
   * server closes the watch; the runtime's `watcher` re-lists and resumes. Abort with `signal`.
   */
  async *watch(p: WatchParams = {}, onUndecodable?: (line: string, error: unknown) => void): AsyncGenerator<WatchEvent<K>> {
    const body = await this.client.stream(this.watchRequest(p));
    try {
      yield* this.decodeWatchEvents(body, onUndecodable);
    } finally {
      body.destroy();
    }
  }

  /**
   * Turns a watch response body into events. Subclasses that ask for another representation
   * (e.g. server-side Tables) override this together with {@link Api.watchRequest} and {@link Api.list}.
   */
  decodeWatchEvents(body: AsyncIterable<Uint8Array | string>, onUndecodable?: (line: string, error: unknown) => void): AsyncGenerator<WatchEvent<K>> {
    return decodeWatchStream<K>(body, onUndecodable);
  }

  /** The HTTP request for a watch with these parameters (the runtime's watcher reads it directly). */
  watchRequest(p: WatchParams = {}): HttpRequest {
    return this.req('GET', undefined, p, { query: watchQuery(p), ...(p.metadataOnly ? { accept: METADATA_ONLY_ACCEPT.watch } : {}) });
  }

  /** GET the `status` subresource. */
  getStatus(name: string, o: CallOptions = {}): Promise<K> {
    return this.client.json<K>({ ...this.req('GET', name, o), path: this.path(name, 'status') });
  }

  /** PUT the `status` subresource (the object's spec changes are ignored). */
  replaceStatus(name: string, obj: K, p: WriteParams = {}): Promise<K> {
    return this.client.json<K>({
      ...this.req('PUT', name, p, { query: writeQuery(p) }),
      path: this.path(name, 'status'),
      body: JSON.stringify(this.withTypeMeta(obj)),
      contentType: 'application/json',
    });
  }

  /** PATCH the `status` subresource (controllers: server-side apply of status with their own field manager). */
  patchStatus(name: string, patch: Patch, p: PatchParams = {}): Promise<K> {
    return this.patch(name, patch, p, 'status');
  }

  /** GET the `scale` subresource. */
  getScale(name: string, o: CallOptions = {}): Promise<Scale> {
    return this.client.json<Scale>({ ...this.req('GET', name, o), path: this.path(name, 'scale') });
  }

  /** Set `spec.replicas` through the `scale` subresource (a merge patch). */
  scale(name: string, replicas: number, p: WriteParams = {}): Promise<Scale> {
    return this.client.json<Scale>({
      ...this.req('PATCH', name, p, { query: writeQuery(p) }),
      path: this.path(name, 'scale'),
      body: JSON.stringify({ spec: { replicas } }),
      contentType: PATCH_CONTENT_TYPES.merge,
    });
  }

  /**
   * Evict a pod through the `eviction` subresource (policy/v1), honouring PodDisruptionBudgets:
   * a blocked eviction throws ApiError 429 (TooManyRequests).
   */
  async evict(name: string, p: Omit<DeleteParams, 'signal' | 'timeoutMs'> & CallOptions = {}): Promise<Status> {
    const deleteOptions = deleteBody(p);
    return this.client.json<Status>({
      ...this.req('POST', name, p),
      path: this.path(name, 'eviction'),
      body: JSON.stringify({
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name, namespace: this.namespace },
        ...(deleteOptions ? { deleteOptions } : {}),
      }),
      contentType: 'application/json',
    });
  }

  /** A container's log as text (`pods/log`). */
  logs(name: string, p: LogParams = {}): Promise<string> {
    return this.client.text({ ...this.req('GET', name, p, { query: logQuery(p), accept: '*/*' }), path: this.path(name, 'log') });
  }

  /** A container's log as a byte stream; with `follow: true` it stays open while the container runs. */
  logStream(name: string, p: LogParams = {}): Promise<Readable> {
    return this.client.stream({ ...this.req('GET', name, p, { query: logQuery(p), accept: '*/*' }), path: this.path(name, 'log') });
  }

  /**
   * Restart a workload (Deployment, StatefulSet, DaemonSet) the way `kubectl rollout restart`
   * does: set the pod template annotation `kubectl.kubernetes.io/restartedAt` to now.
   */
  restart(name: string, p: WriteParams = {}, now: Date = new Date()): Promise<K> {
    const restartedAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return this.patch(
      name,
      { type: 'merge', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } } } },
      p,
    );
  }

  /** Mark a node unschedulable (`kubectl cordon`). */
  cordon(name: string, p: WriteParams = {}): Promise<K> {
    return this.patch(name, { type: 'merge', body: { spec: { unschedulable: true } } }, p);
  }

  /** Make a node schedulable again (`kubectl uncordon`). */
  uncordon(name: string, p: WriteParams = {}): Promise<K> {
    return this.patch(name, { type: 'merge', body: { spec: { unschedulable: null } } }, p);
  }

  private withTypeMeta(obj: K): K {
    if (obj.apiVersion && obj.kind) return obj;
    return { apiVersion: apiVersionOf(this.resource), kind: this.resource.kind, ...obj };
  }
}
