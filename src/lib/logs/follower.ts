// Following many containers' logs at once, stern-style: pods that appear are picked up, deleted ones dropped.
import { Api } from '../api/api.js';
import type { LogParams } from '../api/params.js';
import type { Client } from '../client.js';
import { ApiError } from '../errors.js';
import { watcher, type WatcherError } from '../runtime/watcher.js';
import type { ContainerStatus, Pod } from '../types/core/v1.js';
import { pods as podsResource } from '../types/resources.js';
import { apiLogStream, podSource, sourcesOf, type ContainerChoice, type LogSource, type LogStreamFactory } from './source.js';
import { guardSink, readContainerLog, type ContainerLogResult, type ContainerState, type LogSink } from './stream.js';
import { compareInstants, parseLogTimestamp, sinceTimeParam, type LogInstant, type ResumePoint } from './timestamps.js';

/** Why a followed stream started. */
export type StreamStartReason = 'initial' | 'added' | 'restarted';
/** Why a followed stream stopped: the log ended, the pod went away, or reading it failed. */
export type StreamStopReason = 'eof' | 'gone' | 'error';

/** What a {@link LogFollower} tells its caller about, besides the lines themselves. */
export interface LogFollowerEvents {
  /** A stream started (`added`: a pod that appeared after the start; `restarted`: its container restarted). */
  onStart?: (source: LogSource, reason: StreamStartReason) => void;
  /** A stream stopped. */
  onStop?: (source: LogSource, reason: StreamStopReason) => void;
  /** A stream failed and `ignoreErrors` is set: the others carry on. */
  onError?: (source: LogSource, error: unknown) => void;
  /** A dropped stream is being resumed from its last line. */
  onResume?: (source: LogSource, attempt: number, cause: unknown) => void;
  /** A stream waits because `maxStreams` streams are open already. */
  onWaiting?: (source: LogSource, open: number) => void;
  /** The pod watch failed (it retries on its own). */
  onWatchError?: (error: WatcherError) => void;
}

/** Options of a {@link LogFollower}. */
export interface LogFollowerOptions {
  client: Client;
  namespace: string;
  /** The pods to start with, in display order (their containers are started in that order too). */
  pods: Pod[];
  /** Which containers of each pod to follow; `quiet` is implied (notices are the caller's business). */
  containers?: ContainerChoice;
  /**
   * Follow every pod this label selector matches: pods that appear later are followed (once
   * their containers have started) and streams of deleted pods stop. Without a selector, only the
   * starting pods are followed, and the follower ends when all their streams have ended.
   */
  selector?: string;
  /** The request as the user gave it (`follow` is implied): `tailLines`, `sinceSeconds`, `timestamps`, … */
  params: LogParams;
  /** At most this many streams at once (kubectl's `--max-log-requests`); later ones wait for a slot. */
  maxStreams?: number;
  /** Keep going when a stream fails (reported to `onError`) instead of stopping everything. */
  ignoreErrors?: boolean;
  /** Resume streams that drop while their container runs (default true). */
  resume?: boolean;
  /** How to open a container's log (default: the `pods/log` subresource). */
  open?: LogStreamFactory;
  /** Delay between resume attempts (see readContainerLog). */
  backoff?: { initialMs?: number; maxMs?: number };
  events?: LogFollowerEvents;
}

interface Stream {
  source: LogSource;
  state: 'waiting' | 'open' | 'done';
  abort?: AbortController;
  /** Set when the follower itself stopped the stream because its pod went away. */
  gone?: boolean;
  point?: ResumePoint;
  /** The container instance the stream read, to notice a restart. */
  containerId?: string;
  running?: Promise<void>;
  /** Opens a stream that waits for a free slot. */
  begin?: () => void;
}

const nameOf = (p: Pod) => p.metadata?.name ?? '';
const uidOf = (p: Pod) => p.metadata?.uid ?? nameOf(p);
const keyOf = (uid: string, container: string) => `${uid}/${container}`;

/** Every container status of a pod: regular, init and ephemeral. */
function statusOf(pod: Pod, container: string): ContainerStatus | undefined {
  const s = pod.status;
  return [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
}

/** True once a container has a log to read: it runs, or ran and terminated. */
function hasStarted(pod: Pod, container: string): boolean {
  const st = statusOf(pod, container);
  return !!(st?.state?.running || st?.state?.terminated || st?.lastState?.terminated);
}

/**
 * A container's state for resuming its log, from a fresh GET of its pod: `gone` when the pod no
 * longer exists (or is another pod of the same name now), `running`, else `stopped`.
 */
export async function containerState(client: Client, source: LogSource, signal?: AbortSignal): Promise<ContainerState> {
  let pod: Pod;
  try {
    pod = await Api.namespaced(client, podsResource, source.namespace).get(source.pod, signal ? { signal } : {});
  } catch (err) {
    if (err instanceof ApiError && err.isNotFound()) return 'gone';
    return 'unknown';
  }
  if (source.uid && pod.metadata?.uid !== source.uid) return 'gone';
  return statusOf(pod, source.container)?.state?.running ? 'running' : 'stopped';
}

/**
 * Follows the logs of many containers at once, as `kubectl logs -f` does for several streams, and
 * as stern does beyond it. Lines of all streams go to one sink, whole lines only (never
 * interleaved mid-line). A watch on the pods (the `selector`'s, or the starting pods by name)
 * drives the set of streams:
 *
 * - with a selector, a pod that appears is followed from its creation (its whole log so far,
 *   regardless of `tailLines`), as soon as its containers have started; a container that
 *   restarts later is followed again from where its last stream stopped;
 * - a deleted pod's streams stop (a kubelet does not always end them itself);
 * - a stream that drops while its container runs is resumed without repeating or losing lines
 *   (see readContainerLog);
 * - streams beyond `maxStreams` wait until another one ends.
 *
 * Starting containers are read in the given pod order, each pod's containers as
 * {@link sourcesOf} orders them.
 */
export class LogFollower {
  private readonly streams = new Map<string, Stream>();
  private readonly queue: Stream[] = [];
  private readonly initialUids: Set<string>;
  private readonly open: LogStreamFactory;
  private readonly stop = new AbortController();
  private readonly startedAt: LogInstant;
  private failure: { error: unknown } | undefined;
  private failed: (error: unknown) => boolean = () => false;
  private finish: (() => void) | undefined;

  constructor(private readonly options: LogFollowerOptions) {
    this.open = options.open ?? apiLogStream(options.client);
    this.initialUids = new Set(options.pods.map(uidOf));
    this.startedAt = { seconds: Math.floor(Date.now() / 1000), nanos: 0 };
  }

  /** The sources being read right now. */
  get openSources(): LogSource[] {
    return [...this.streams.values()].filter((s) => s.state === 'open').map((s) => s.source);
  }

  /**
   * Follows until `signal` aborts, or, without a selector, until every stream has ended. Rejects
   * with the first stream's error unless `ignoreErrors` is set; the other streams are stopped first.
   */
  async run(sink: LogSink, signal?: AbortSignal): Promise<void> {
    const output = guardSink(sink);
    this.failed = output.failed;
    sink = output.sink;
    const onAbort = () => this.stop.abort();
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const finished = new Promise<void>((resolve) => {
      this.finish = resolve;
      if (this.stop.signal.aborted) resolve();
      this.stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    try {
      const choice = { ...this.options.containers, quiet: true };
      for (const source of sourcesOf(this.options.pods, choice).sources) {
        const pod = this.options.pods.find((p) => nameOf(p) === source.pod)!;
        // Without a selector kubectl's semantics hold: every stream is requested at once, and a
        // container that has not started is an error. With one, such containers are waited for.
        if (this.options.selector !== undefined && !hasStarted(pod, source.container)) continue;
        this.launch(pod, source, 'initial', sink);
      }
      const watching = this.watch(sink);
      this.settle();
      await finished;
      this.stop.abort();
      await watching;
      await Promise.all([...this.streams.values()].map((s) => s.running));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.stop.abort();
    }
    if (this.failure) throw this.failure.error;
  }

  /** Starts (or queues) the stream of one container. */
  private launch(pod: Pod, source: LogSource, reason: StreamStartReason, sink: LogSink, point?: ResumePoint): void {
    const key = keyOf(uidOf(pod), source.container);
    const stream: Stream = { source, state: 'waiting', ...(point ? { point } : {}) };
    const containerId = statusOf(pod, source.container)?.containerID;
    if (containerId) stream.containerId = containerId;
    this.streams.set(key, stream);
    const params = reason === 'initial' ? this.options.params : this.paramsForNewPod(pod);
    const begin = () => {
      stream.state = 'open';
      stream.abort = new AbortController();
      const streamSignal = AbortSignal.any([this.stop.signal, stream.abort.signal]);
      this.options.events?.onStart?.(source, reason);
      stream.running = readContainerLog(
        source,
        {
          params: { ...params, follow: true },
          open: this.open,
          ...(this.options.resume === false ? {} : { state: (s) => containerState(this.options.client, s, streamSignal) }),
          ...(stream.point ? { resumePoint: stream.point } : {}),
          signal: streamSignal,
          ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
          ...(this.options.events?.onResume ? { onResume: this.options.events.onResume } : {}),
        },
        sink,
      ).then(
        (result: ContainerLogResult) => {
          stream.point = result.resumePoint;
          this.ended(stream, result.end === 'eof' ? 'eof' : stream.gone || result.end === 'gone' ? 'gone' : undefined);
        },
        (error: unknown) => {
          if (this.stop.signal.aborted || stream.gone) return this.ended(stream, stream.gone ? 'gone' : undefined);
          if (!this.options.ignoreErrors || this.failed(error)) {
            this.failure ??= { error };
            this.stop.abort();
          } else this.options.events?.onError?.(source, error);
          this.ended(stream, 'error');
        },
      );
    };
    const max = this.options.maxStreams ?? Infinity;
    const open = this.openSources.length;
    if (open < max) begin();
    else {
      stream.begin = begin;
      this.queue.push(stream);
      this.options.events?.onWaiting?.(source, open);
    }
  }

  /** A pod that appeared after the start: its log from its creation (or the user's later `since`). */
  private paramsForNewPod(pod: Pod): LogParams {
    const { tailLines: _tail, sinceSeconds, sinceTime, ...rest } = this.options.params;
    const created = parseLogTimestamp(pod.metadata?.creationTimestamp ?? '');
    const candidates = [
      created,
      sinceTime ? parseLogTimestamp(sinceTime) : undefined,
      sinceSeconds !== undefined ? { seconds: this.startedAt.seconds - sinceSeconds, nanos: 0 } : undefined,
    ].filter((t): t is LogInstant => !!t);
    const from = candidates.sort(compareInstants).at(-1);
    return { ...rest, ...(from ? { sinceTime: sinceTimeParam(from) } : {}) };
  }

  private ended(stream: Stream, reason: StreamStopReason | undefined): void {
    const wasOpen = stream.state === 'open';
    stream.state = 'done';
    if (wasOpen && reason) this.options.events?.onStop?.(stream.source, reason);
    this.settle();
  }

  /** Opens queued streams while there are free slots, and ends a selector-less run once nothing is left. */
  private settle(): void {
    const max = this.options.maxStreams ?? Infinity;
    while (this.queue.length && this.openSources.length < max && !this.stop.signal.aborted) {
      const next = this.queue.shift()!;
      if (next.state === 'waiting') next.begin?.();
    }
    const busy = [...this.streams.values()].some((s) => s.state !== 'done');
    if (this.failure || (this.options.selector === undefined && !busy)) this.finish?.();
  }

  /** Watches the pods and adds, restarts and stops streams as they change. */
  private async watch(sink: LogSink): Promise<void> {
    const api = Api.namespaced(this.options.client, podsResource, this.options.namespace);
    const selector = this.options.selector;
    const query = selector !== undefined ? { labelSelector: selector } : { fieldSelector: `metadata.name=${this.options.pods.map(nameOf)[0] ?? ''}` };
    let known = new Map<string, Pod>();
    let staged = new Map<string, Pod>();
    const onError = this.options.events?.onWatchError;
    for await (const ev of watcher(api, { ...query, signal: this.stop.signal, ...(onError ? { onError } : {}) })) {
      if (ev.type === 'Init') staged = new Map();
      else if (ev.type === 'InitApply') staged.set(uidOf(ev.object), ev.object);
      else if (ev.type === 'InitDone') known = staged;
      else if (ev.type === 'Apply') known.set(uidOf(ev.object), ev.object);
      else known.delete(uidOf(ev.object));
      if (ev.type === 'Init' || ev.type === 'InitApply') continue;
      this.reconcile(known, sink);
    }
  }

  private reconcile(known: Map<string, Pod>, sink: LogSink): void {
    for (const stream of this.streams.values()) {
      if (stream.state === 'done' || known.has(stream.source.uid ?? stream.source.pod)) continue;
      stream.gone = true;
      if (stream.state === 'waiting') this.ended(stream, undefined);
      else stream.abort?.abort();
    }
    if (this.options.selector === undefined) return;
    const choice = { ...this.options.containers, quiet: true };
    const ordered = [...known.values()].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
    for (const pod of ordered) {
      if (pod.metadata?.deletionTimestamp) continue;
      let containers: string[];
      try {
        containers = sourcesOf([pod], choice).sources.map((s) => s.container);
      } catch {
        continue; // the named container is not in this pod
      }
      for (const container of containers) {
        if (!hasStarted(pod, container)) continue;
        const existing = this.streams.get(keyOf(uidOf(pod), container));
        const source = podSource(pod, container);
        if (!existing) this.launch(pod, source, this.initialUids.has(uidOf(pod)) ? 'initial' : 'added', sink);
        else if (existing.state === 'done' && !existing.gone && this.restarted(pod, existing)) {
          this.launch(pod, source, 'restarted', sink, existing.point);
        }
      }
    }
  }

  /** True when the stream's container runs again as a new instance. */
  private restarted(pod: Pod, stream: Stream): boolean {
    const st = statusOf(pod, stream.source.container);
    return !!st?.state?.running && !!st.containerID && st.containerID !== stream.containerId;
  }
}
