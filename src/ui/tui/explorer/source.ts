// What the explorer needs from a cluster, as one interface: the views open live feeds over
// server-rendered rows (the same LiveRows the live table uses), and the keys act on object
// references. The cluster implementation is cluster-source.ts; component tests pass fakes.
import type { ApiResource, KubeObject } from '../../../lib/api/resource.js';
import type { DescribeEvent } from '../../print/describe.js';
import type { ConnectionStatus } from '../live-table/connection.js';
import type { LiveRows } from '../live-table/live-rows.js';
import type { ForwardInfo, PortForwards } from './port-forwards.js';
import type { TerminalTask } from './suspend.js';

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
  /** The container to read; the pod's default container when unset. */
  container?: string;
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
  /** The core/v1 events about the object with this uid (involvedObject.uid), in any order. */
  events(ref: ObjectRef, uid: string): Promise<DescribeEvent[]>;
  /** The pod's containers, init containers first, as `logs -c` accepts them. */
  containers(ref: ObjectRef): Promise<string[]>;
  /** The kubeconfig's context names, sorted. */
  contexts(): Promise<string[]>;
  /** The cluster's namespace names, sorted, for `:ns` completion; empty when they cannot be listed. */
  namespaces(): Promise<string[]>;
  /**
   * Points the source at another kubeconfig context (new client and discovery; `context` and
   * `namespace` change). Feeds opened before keep their old client; the explorer reopens them.
   */
  switchContext(name: string): Promise<void>;
  /**
   * Prepares `s`: resolves the pod (a workload's or Service's most active one) and its default
   * container now, so errors show before the terminal is handed over; the task runs an
   * interactive shell there on the handed terminal and resolves with its exit code.
   */
  shell(ref: ObjectRef): Promise<TerminalTask<number>>;
  /**
   * Prepares `e`: reads the object now; the task runs `ktx edit`'s editor loop on the handed
   * terminal and resolves with its outcome (`pods/x edited`, `Edit cancelled, no changes made.`).
   */
  edit(ref: ObjectRef): Promise<TerminalTask<string>>;
  /** The first port of the pod's (Service's, workload template's) containers as `LOCAL:REMOTE`, to prefill `f`. */
  suggestPorts(ref: ObjectRef): Promise<string | undefined>;
  /** Starts forwarding `spec` (`8080`, `9000:8080`, `:8080`) on localhost to the object's pod; resolves once listening. */
  portForward(ref: ObjectRef, spec: string): Promise<ForwardInfo>;
  /** The forwards started here; the explorer's owner stops them all when it quits. */
  readonly forwards: PortForwards;
}
