// What the explorer needs from a cluster, as one interface: the views open live feeds over
// server-rendered rows (the same LiveRows the live table uses), and the keys act on object
// references. The cluster implementation is cluster-source.ts; component tests pass fakes.
import type { ApiResource, KubeObject } from '../../../lib/api/resource.js';
import type { ConnectionStatus } from '../live-table/connection.js';
import type { LiveRows } from '../live-table/live-rows.js';

/** One table the explorer shows: a resource type, where, and which objects. */
export interface ViewTarget {
  resource: ApiResource;
  /** The namespace to list; undefined for all namespaces or a cluster-scoped type. */
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  /** Why this view exists when it was drilled into, e.g. `deployment web`. */
  via?: string;
}

/** The object a key acts on. */
export interface ObjectRef {
  resource: ApiResource;
  namespace: string | undefined;
  name: string;
}

/** A running watch: rows for the table, its connection state, and a way to stop it. */
export interface LiveFeed {
  rows: LiveRows;
  connection: ConnectionStatus;
  dispose(): void;
}

export interface LogOptions {
  timestamps: boolean;
  /** Lines of history before following (default 200). */
  tailLines?: number;
}

export interface ExplorerSource {
  /** The kubeconfig context, for the status line. */
  readonly context: string | undefined;
  /** The namespace the explorer starts in. */
  readonly namespace: string;
  /** A TYPE as kubectl resolves it (plural, singular, short name, kind, resource.group…). */
  resolve(type: string): Promise<ApiResource>;
  /** Names the command bar completes: plural, singular and short names of every listable type. */
  resourceNames(): Promise<string[]>;
  watch(target: ViewTarget): LiveFeed;
  get(ref: ObjectRef): Promise<KubeObject>;
  /** The label selector of the pods behind a workload or Service. */
  podSelector(ref: ObjectRef): Promise<string>;
  delete(ref: ObjectRef): Promise<void>;
  /** Streams the (default container's) log lines until `signal` aborts or the stream ends. */
  logs(ref: ObjectRef, opts: LogOptions, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
  restart(ref: ObjectRef): Promise<void>;
  /** Scales by `delta` replicas; resolves with the new count. */
  scale(ref: ObjectRef, delta: number): Promise<number>;
}
