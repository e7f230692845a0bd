import type { Api } from '../api/api.js';
import { apiVersionOf, type KubeObject } from '../api/resource.js';
import { backoffDelay } from '../http/backoff.js';
import { ReconcileScheduler } from './scheduler.js';
import { createStore, objectKey, type Store } from './store.js';
import { watcher, type WatcherConfig, type WatcherError, type WatcherEvent } from './watcher.js';

/** A reference to one object of the controller's kind. */
export interface ObjectRef {
  name: string;
  namespace?: string;
}

/**
 * Why a reconcile runs (kube-rs keeps this from the reconciler; ktx hands it over, since
 * "why am I running" is the first question when debugging a controller).
 */
export type ReconcileReason =
  | { type: 'object-changed' }
  | { type: 'related-object-changed'; kind: string; name: string; namespace?: string }
  | { type: 'requeue-requested' }
  | { type: 'error-backoff'; failures: number }
  | { type: 'reconcile-all' };

/** What to do after a reconcile: run again after a delay, or wait for the next change. */
export interface Action {
  requeueAfterMs?: number;
}

/** Builders for {@link Action}. */
export const Action = {
  /** Reconcile this object again after `ms` (unless a change triggers it sooner). */
  requeue: (ms: number): Action => ({ requeueAfterMs: ms }),
  /** Only reconcile again when something changes. */
  awaitChange: (): Action => ({}),
};

/** What a reconcile (and the error policy) is told besides the object. */
export interface ReconcileContext {
  reason: ReconcileReason;
  /** Consecutive failed reconciles of this object before this one (0 after a success). */
  failures: number;
  /** Aborted when the controller shuts down; a reconcile may stop early, it is waited for either way. */
  signal: AbortSignal;
}

export type Reconciler<K> = (object: K, ctx: ReconcileContext) => Promise<Action | void>;
/** Decides what happens after a failed reconcile; return undefined for the default per-object exponential backoff. */
export type ErrorPolicy<K> = (object: K, error: unknown, ctx: ReconcileContext) => Action | void;

/** Controller options; defaults in brackets. */
export interface ControllerConfig {
  /** How many objects reconcile at once [4]; 0 means no bound. */
  concurrency?: number;
  /** Trailing-edge debounce for change-triggered reconciles in ms [0]. */
  debounceMs?: number;
  /** Per-object backoff after errors: from `initialMs` [1 000] doubling to `maxMs` [300 000], with jitter. */
  errorBackoff?: { initialMs?: number; maxMs?: number };
  /** Watcher options for the controller's own kind (selectors, page size, …). */
  watcher?: Omit<WatcherConfig, 'signal'>;
  /** Problems the watchers recovered from. */
  onWatchError?: (error: WatcherError) => void;
  /**
   * Skip changes to the controller's own objects that leave `metadata.generation` unchanged
   * (status-only writes, such as the reconciler's own status updates) — kube-rs's
   * `predicates::generation`. Objects without a generation always pass. Default false.
   */
  ignoreStatusOnlyChanges?: boolean;
  /** Every finished reconcile, for logging and metrics, with the context it ran with. */
  onReconciled?: (
    ref: ObjectRef,
    outcome: { ok: true; action: Action } | { ok: false; error: unknown; retryInMs: number },
    ctx: ReconcileContext,
  ) => void;
}

interface Source {
  name: string;
  ready: () => Promise<void>;
  run: (signal: AbortSignal) => Promise<void>;
}

/**
 * A kube-rs-style controller: watches objects of one kind (and, optionally, the objects they own
 * or that map to them), and calls `reconcile` for each object that needs attention, through a
 * queue that dedupes and debounces requests, never runs the same object twice at once, bounds
 * concurrency, honours `requeueAfterMs`, and backs off per object after errors. Nothing is
 * reconciled until every watched store has completed its first list. Deleted objects are not
 * reconciled (use {@link finalizer} for cleanup).
 */
export class Controller<K extends KubeObject> {
  /** The cache of the controller's own kind, shared with the reconciler if it likes. */
  readonly store: Store<K>;
  private readonly sources: Source[] = [];
  private readonly scheduler: ReconcileScheduler<ReconcileReason>;
  private readonly failures = new Map<string, number>();
  private readonly rootVersion: string;
  private reconcile: Reconciler<K> | undefined;
  private errorPolicy: ErrorPolicy<K> | undefined;
  private runSignal = new AbortController().signal;
  private readonly config: ControllerConfig;
  private readonly pendingTriggers: Array<AsyncIterable<unknown>> = [];

  constructor(
    readonly api: Api<K>,
    config: ControllerConfig = {},
  ) {
    this.config = config;
    this.rootVersion = apiVersionOf(api.resource);
    const { store, writer } = createStore<K>();
    this.store = store;
    const generations = new Map<string, number>();
    this.addSource('root', api, config.watcher ?? {}, (ev) => {
      if (ev.type === 'Apply' && config.ignoreStatusOnlyChanges) {
        const uid = ev.object.metadata?.uid ?? '';
        const gen = ev.object.metadata?.generation;
        const seen = generations.get(uid);
        writer.apply(ev);
        if (gen !== undefined) generations.set(uid, gen);
        if (gen !== undefined && seen === gen) return;
        this.enqueue(refOf(ev.object), { type: 'object-changed' });
        return;
      }
      if (ev.type === 'Delete') generations.delete(ev.object.metadata?.uid ?? '');
      if (ev.type === 'InitApply' && ev.object.metadata?.generation !== undefined) generations.set(ev.object.metadata.uid ?? '', ev.object.metadata.generation);
      writer.apply(ev);
      if (ev.type === 'Apply') this.enqueue(refOf(ev.object), { type: 'object-changed' });
      // After every (re)list, everything listed is due: changes may have been missed meanwhile.
      if (ev.type === 'InitDone') for (const o of store.list()) this.enqueue(refOf(o), { type: 'object-changed' });
    }, () => store.ready());
    this.scheduler = new ReconcileScheduler((key, reason) => this.runOne(key, reason), {
      concurrency: config.concurrency ?? 4,
      debounceMs: config.debounceMs ?? 0,
    });
  }

  /**
   * Also reconcile the owner when an object of `child`'s kind changes: each ownerReference whose
   * apiVersion and kind are this controller's (any owner reference, not only `controller: true`).
   */
  owns<C extends KubeObject>(child: Api<C>, watcherConfig: Omit<WatcherConfig, 'signal'> = {}): this {
    return this.watches(child, (obj) =>
      (obj.metadata?.ownerReferences ?? [])
        .filter((r) => r.apiVersion === this.rootVersion && r.kind === this.api.resource.kind)
        .map((r) => ({ name: r.name, ...(obj.metadata?.namespace && this.api.resource.namespaced ? { namespace: obj.metadata.namespace } : {}) })),
      watcherConfig,
    );
  }

  /** Also reconcile the objects `mapper` names whenever an object of `other`'s kind changes. */
  watches<O extends KubeObject>(other: Api<O>, mapper: (obj: O) => ObjectRef[], watcherConfig: Omit<WatcherConfig, 'signal'> = {}): this {
    const { store, writer } = createStore<O>();
    const kind = other.resource.kind;
    this.addSource(kind, other, watcherConfig, (ev) => {
      writer.apply(ev);
      if (ev.type === 'Apply' || ev.type === 'Delete' || ev.type === 'InitApply') {
        for (const ref of mapper(ev.object)) {
          this.enqueue(ref, { type: 'related-object-changed', kind, name: ev.object.metadata?.name ?? '', ...(ev.object.metadata?.namespace ? { namespace: ev.object.metadata.namespace } : {}) });
        }
      }
    }, () => store.ready());
    return this;
  }

  /** Reconcile every object in the store each time `trigger` yields (e.g. a config reload or a timer). */
  reconcileAllOn(trigger: AsyncIterable<unknown>): this {
    this.pendingTriggers.push(trigger);
    return this;
  }

  /** Queue every known object for reconciliation now. */
  reconcileAll(): void {
    for (const o of this.store.list()) this.enqueue(refOf(o), { type: 'reconcile-all' });
  }

  /** Queue one object, e.g. from an external event. */
  enqueue(ref: ObjectRef, reason: ReconcileReason = { type: 'object-changed' }, delayMs = 0): void {
    this.scheduler.schedule(keyOf(ref), reason, delayMs);
  }

  /**
   * Runs until `signal` aborts, then shuts down gracefully: watchers stop, no new reconciles
   * start, and running ones are awaited. Resolves after that.
   */
  async run(reconcile: Reconciler<K>, errorPolicy?: ErrorPolicy<K>, options: { signal?: AbortSignal } = {}): Promise<void> {
    this.reconcile = reconcile;
    this.errorPolicy = errorPolicy;
    const stop = new AbortController();
    this.runSignal = stop.signal;
    const outer = options.signal;
    const onAbort = () => stop.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const runs = this.sources.map((s) => s.run(stop.signal));
    for (const trigger of this.pendingTriggers) {
      void (async () => {
        for await (const _ of trigger) {
          if (stop.signal.aborted) break;
          this.reconcileAll();
        }
      })();
    }
    // Reconcile only once every store has its first full list, so reconcilers see complete caches.
    void Promise.all(this.sources.map((s) => s.ready())).then(() => {
      if (!stop.signal.aborted) this.scheduler.start();
    });
    await new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true })));
    this.scheduler.stop();
    await Promise.all(runs);
    await this.scheduler.whenIdle();
    outer?.removeEventListener('abort', onAbort);
  }

  private addSource<O extends KubeObject>(name: string, api: Api<O>, wc: Omit<WatcherConfig, 'signal'>, onEvent: (ev: WatcherEvent<O>) => void, ready: () => Promise<void>): void {
    this.sources.push({
      name,
      ready,
      run: async (signal) => {
        const onError = this.config.onWatchError;
        for await (const ev of watcher(api, { ...wc, signal, ...(onError ? { onError } : {}) })) onEvent(ev);
      },
    });
  }

  private async runOne(key: string, reason: ReconcileReason): Promise<void> {
    const ref = refFromKey(key, this.api.resource.namespaced);
    const obj = this.store.get(ref.name, ref.namespace);
    // Gone from the cache: deleted since it was queued; nothing to reconcile.
    if (!obj || !this.reconcile) return;
    const failures = this.failures.get(key) ?? 0;
    const ctx: ReconcileContext = { reason, failures, signal: this.runSignal };
    try {
      const action = (await this.reconcile(obj, ctx)) ?? {};
      this.failures.delete(key);
      if (action.requeueAfterMs !== undefined) this.scheduler.schedule(key, { type: 'requeue-requested' }, action.requeueAfterMs);
      this.config.onReconciled?.(ref, { ok: true, action }, ctx);
    } catch (error) {
      this.failures.set(key, failures + 1);
      let retryInMs: number;
      const policy = this.errorPolicy?.(obj, error, ctx);
      if (policy) retryInMs = policy.requeueAfterMs ?? -1;
      else {
        const b = this.config.errorBackoff ?? {};
        retryInMs = backoffDelay(failures, (b.initialMs ?? 1000) * 2, b.maxMs ?? 300_000);
      }
      if (retryInMs >= 0) this.scheduler.schedule(key, { type: 'error-backoff', failures: failures + 1 }, retryInMs);
      this.config.onReconciled?.(ref, { ok: false, error, retryInMs }, ctx);
    }
  }
}

function refOf(obj: KubeObject): ObjectRef {
  return { name: obj.metadata?.name ?? '', ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}) };
}

function keyOf(ref: ObjectRef): string {
  return objectKey({ metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } });
}

function refFromKey(key: string, namespaced: boolean): ObjectRef {
  if (!namespaced) return { name: key };
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
