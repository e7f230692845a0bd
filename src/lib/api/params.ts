import type { QueryValue } from '../http/transport.js';

/** Options every call takes. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Per-call timeout in milliseconds, overriding the client's `--request-timeout`. */
  timeoutMs?: number;
}

/**
 * List options (`metav1.ListOptions`). `resourceVersion` semantics: unset → a consistent read
 * from etcd; `"0"` → any cached state; with `resourceVersionMatch: 'NotOlderThan'` or `'Exact'`
 * as the apiserver defines them. `limit`/`continue` page the result.
 */
export interface ListParams extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  /** Server-side timeout for the list call, in seconds. */
  timeoutSeconds?: number;
  /** Ask for PartialObjectMetadata (apiVersion, kind, metadata only): far less to transfer and hold. */
  metadataOnly?: boolean;
}

/**
 * Watch options. Bookmarks are requested by default. `sendInitialEvents: true` (a streaming list,
 * requires `resourceVersionMatch: 'NotOlderThan'`) replays the current state as ADDED events and
 * marks its end with a BOOKMARK annotated `k8s.io/initial-events-end`.
 */
export interface WatchParams extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /** Server closes the watch after this many seconds (the apiserver picks 30–60 min if unset). */
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** Receive PartialObjectMetadata objects (metadata only). */
  metadataOnly?: boolean;
}

/** Accept headers asking the apiserver for PartialObjectMetadata instead of whole objects. */
export const METADATA_ONLY_ACCEPT = {
  list: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
  watch: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
};

/** Options for writes: dry run, field manager and field validation (`Strict`, `Warn`, `Ignore`). */
export interface WriteParams extends CallOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

/** Options for patches; `force` only applies to server-side apply (take over conflicting fields). */
export interface PatchParams extends WriteParams {
  force?: boolean;
}

/** A patch in one of the four formats the apiserver accepts. */
export type Patch =
  /** Server-side apply: the full intent of `fieldManager` (a complete object with apiVersion/kind/name). */
  | { type: 'apply'; body: object }
  /** RFC 7386 JSON merge patch. */
  | { type: 'merge'; body: object }
  /** Strategic merge patch (built-in kinds only). */
  | { type: 'strategic'; body: object }
  /** RFC 6902 JSON patch. */
  | { type: 'json'; ops: Array<{ op: string; path: string; value?: unknown; from?: string }> };

/** The Content-Type the apiserver expects for each patch type. */
export const PATCH_CONTENT_TYPES: Record<Patch['type'], string> = {
  apply: 'application/apply-patch+yaml',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

/** Options for delete (`metav1.DeleteOptions`). */
export interface DeleteParams extends CallOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Options for a container's log (`PodLogOptions`). */
export interface LogParams extends CallOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  tailLines?: number;
  limitBytes?: number;
  insecureSkipTLSVerifyBackend?: boolean;
}

export function listQuery(p: ListParams = {}): Record<string, QueryValue> {
  return {
    labelSelector: p.labelSelector || undefined,
    fieldSelector: p.fieldSelector || undefined,
    limit: p.limit,
    continue: p.continue || undefined,
    resourceVersion: p.resourceVersion,
    resourceVersionMatch: p.resourceVersionMatch,
    timeoutSeconds: p.timeoutSeconds,
  };
}

export function watchQuery(p: WatchParams = {}): Record<string, QueryValue> {
  return {
    watch: 'true',
    labelSelector: p.labelSelector || undefined,
    fieldSelector: p.fieldSelector || undefined,
    resourceVersion: p.resourceVersion,
    resourceVersionMatch: p.resourceVersionMatch,
    timeoutSeconds: p.timeoutSeconds,
    allowWatchBookmarks: p.allowWatchBookmarks ?? true,
    sendInitialEvents: p.sendInitialEvents,
  };
}

export function writeQuery(p: WriteParams = {}): Record<string, QueryValue> {
  return {
    dryRun: p.dryRun ? 'All' : undefined,
    fieldManager: p.fieldManager,
    fieldValidation: p.fieldValidation,
  };
}

export function logQuery(p: LogParams = {}): Record<string, QueryValue> {
  return {
    container: p.container,
    follow: p.follow || undefined,
    previous: p.previous || undefined,
    sinceSeconds: p.sinceSeconds,
    sinceTime: p.sinceTime,
    timestamps: p.timestamps || undefined,
    tailLines: p.tailLines,
    limitBytes: p.limitBytes,
    insecureSkipTLSVerifyBackend: p.insecureSkipTLSVerifyBackend || undefined,
  };
}

/** The DeleteOptions body, or undefined when no option is set. */
export function deleteBody(p: DeleteParams = {}): object | undefined {
  const body = {
    ...(p.dryRun ? { dryRun: ['All'] } : {}),
    ...(p.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: p.gracePeriodSeconds } : {}),
    ...(p.propagationPolicy ? { propagationPolicy: p.propagationPolicy } : {}),
    ...(p.preconditions ? { preconditions: p.preconditions } : {}),
  };
  return Object.keys(body).length ? { apiVersion: 'v1', kind: 'DeleteOptions', ...body } : undefined;
}
