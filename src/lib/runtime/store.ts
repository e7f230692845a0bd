import type { KubeObject } from '../api/resource.js';
import type { WatcherEvent } from './watcher.js';

/** The key of an object in a store: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: Pick<KubeObject, 'metadata'>): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** A change a store's subscribers hear about. `old` is the previous version for updates and deletes. */
export type StoreChange<K> =
  | { type: 'added'; object: K }
  | { type: 'updated'; object: K; old: K }
  | { type: 'deleted'; object: K };

/** A function from an object to the index values it is found under. */
export type IndexFn<K> = (obj: K) => string[];

/**
 * A read-only, always-current cache of objects kept by one {@link StoreWriter} (usually through
 * {@link reflector}) from a watcher. Many readers, one writer. After a (re)list completes
 * (`InitDone`) the contents are swapped atomically, so readers never see a half-built state and
 * objects deleted while disconnected disappear; subscribers then hear about exactly what changed.
 *
 * Built-in indexes: `namespace` and `label:<key>` (see {@link Store.byIndex}); add others with
 * {@link Store.addIndex}.
 */
export class Store<K extends KubeObject> {
  /** @internal The live map; only the writer replaces it. */
  objects = new Map<string, K>();
  private readonly indexFns = new Map<string, IndexFn<K>>();
  private indexes = new Map<string, Map<string, Set<string>>>();
  private readonly listeners = new Set<(changes: StoreChange<K>[]) => void>();
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((r) => (this.readyResolve = r));
  private isReadyFlag = false;

  constructor() {
    this.addIndex('namespace', (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []));
  }

  /** The object with this name (and namespace, for namespaced objects), if present. */
  get(name: string, namespace?: string): K | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  /** All objects, in no particular order. */
  list(): K[] {
    return [...this.objects.values()];
  }

  /** The objects for which `pred` holds. */
  filter(pred: (obj: K) => boolean): K[] {
    return this.list().filter(pred);
  }

  get size(): number {
    return this.objects.size;
  }

  /** True once the first list has completed. */
  get isReady(): boolean {
    return this.isReadyFlag;
  }

  /** Resolves once the first list has completed (the first `InitDone`). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /**
   * Adds an index. `byIndex(name, value)` then finds the objects whose `fn` returned `value`.
   * `label:<key>` indexes are created on first use.
   */
  addIndex(name: string, fn: IndexFn<K>): void {
    this.indexFns.set(name, fn);
    const idx = new Map<string, Set<string>>();
    for (const [key, obj] of this.objects) for (const v of fn(obj)) addTo(idx, v, key);
    this.indexes.set(name, idx);
  }

  /** Objects found under `value` in the index `name` (`namespace`, `label:app`, or a custom one). */
  byIndex(name: string, value: string): K[] {
    if (!this.indexFns.has(name) && name.startsWith('label:')) {
      const label = name.slice('label:'.length);
      this.addIndex(name, (o) => {
        const v = o.metadata?.labels?.[label];
        return v === undefined ? [] : [v];
      });
    }
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.objects.get(k)).filter((o): o is K => o !== undefined);
  }

  /** Calls `listener` with each batch of changes (one per watch event, or one per relist swap). Returns an unsubscribe function. */
  subscribe(listener: (changes: StoreChange<K>[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal */
  emit(changes: StoreChange<K>[]): void {
    if (!changes.length) return;
    for (const l of this.listeners) l(changes);
  }

  /** @internal */
  markReady(): void {
    if (!this.isReadyFlag) {
      this.isReadyFlag = true;
      this.readyResolve();
    }
  }

  /** @internal Index maintenance for one object moving from `old` to `next` (either may be absent). */
  reindex(key: string, old: K | undefined, next: K | undefined): void {
    for (const [name, fn] of this.indexFns) {
      const idx = this.indexes.get(name)!;
      if (old) for (const v of fn(old)) idx.get(v)?.delete(key);
      if (next) for (const v of fn(next)) addTo(idx, v, key);
    }
  }

  /** @internal Rebuilds every index from scratch (after a relist swap). */
  rebuildIndexes(): void {
    for (const [name, fn] of this.indexFns) {
      const idx = new Map<string, Set<string>>();
      for (const [key, obj] of this.objects) for (const v of fn(obj)) addTo(idx, v, key);
      this.indexes.set(name, idx);
    }
  }
}

function addTo(idx: Map<string, Set<string>>, value: string, key: string): void {
  let set = idx.get(value);
  if (!set) idx.set(value, (set = new Set()));
  set.add(key);
}

/**
 * The one writer of a {@link Store}: applies watcher events. `Init` starts a side buffer,
 * `InitApply` fills it, `InitDone` swaps it in and reports the difference to subscribers;
 * `Apply`/`Delete` change the live map directly.
 */
export class StoreWriter<K extends KubeObject> {
  private buffer: Map<string, K> | undefined;

  constructor(readonly store: Store<K>) {}

  apply(event: WatcherEvent<K>): void {
    const store = this.store;
    switch (event.type) {
      case 'Init':
        this.buffer = new Map();
        return;
      case 'InitApply':
        (this.buffer ??= new Map()).set(objectKey(event.object), event.object);
        return;
      case 'InitDone': {
        const next = this.buffer ?? new Map<string, K>();
        this.buffer = undefined;
        const changes: StoreChange<K>[] = [];
        for (const [key, obj] of next) {
          const old = store.objects.get(key);
          if (!old) changes.push({ type: 'added', object: obj });
          else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) changes.push({ type: 'updated', object: obj, old });
        }
        for (const [key, old] of store.objects) if (!next.has(key)) changes.push({ type: 'deleted', object: old });
        store.objects = next;
        store.rebuildIndexes();
        store.markReady();
        store.emit(changes);
        return;
      }
      case 'Apply': {
        const key = objectKey(event.object);
        const old = store.objects.get(key);
        store.objects.set(key, event.object);
        store.reindex(key, old, event.object);
        store.emit([old ? { type: 'updated', object: event.object, old } : { type: 'added', object: event.object }]);
        return;
      }
      case 'Delete': {
        const key = objectKey(event.object);
        const old = store.objects.get(key);
        store.objects.delete(key);
        store.reindex(key, old, undefined);
        store.emit([{ type: 'deleted', object: event.object }]);
        return;
      }
    }
  }
}

/** A new empty store and its writer. */
export function createStore<K extends KubeObject>(): { store: Store<K>; writer: StoreWriter<K> } {
  const store = new Store<K>();
  return { store, writer: new StoreWriter(store) };
}

/**
 * Passes watcher events through unchanged after applying each to `writer`'s store, like
 * kube-rs's `reflector`. Iterate the result (or call {@link runReflector}) to keep the store current.
 */
export async function* reflector<K extends KubeObject>(writer: StoreWriter<K>, events: AsyncIterable<WatcherEvent<K>>): AsyncGenerator<WatcherEvent<K>> {
  for await (const ev of events) {
    writer.apply(ev);
    yield ev;
  }
}

/** Drives a reflector until the watcher stops (its signal is aborted). */
export async function runReflector<K extends KubeObject>(writer: StoreWriter<K>, events: AsyncIterable<WatcherEvent<K>>): Promise<void> {
  for await (const ev of events) writer.apply(ev);
}
