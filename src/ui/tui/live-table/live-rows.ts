// The bridge between a reflector Store and React: store changes are coalesced for ~100 ms and
// published as one immutable snapshot, so a burst of thousands of watch events costs one render.
// Rows are keyed by uid; recent changes carry a tone for highlighting, and deleted rows linger
// briefly (so the eye catches them) before they vanish.
import type { TableRowObject } from '../../../lib/api/table-rows.js';
import type { Store, StoreChange } from '../../../lib/runtime/store.js';

/** How a row is shown: `steady`, or briefly highlighted after it was added, changed or deleted. */
export type RowTone = 'steady' | 'added' | 'changed' | 'deleted';

export interface LiveRow {
  /** metadata.uid (namespace/name when the server sent none). */
  uid: string;
  object: TableRowObject;
  tone: RowTone;
  /** When the tone was set (ms since the epoch); steady rows keep their last change time. */
  since: number;
}

/** What the view renders: every row (including lingering deleted ones) and a version that changes with it. */
export interface LiveSnapshot {
  version: number;
  rows: readonly LiveRow[];
  /** Objects currently in the store (lingering deleted rows excluded). */
  count: number;
  /** False until the first list has arrived. */
  ready: boolean;
}

export interface LiveRowsOptions {
  /** Coalescing window for store changes (default 100 ms). */
  batchMs?: number;
  /** How long added and changed rows stay highlighted (default 1500 ms). */
  highlightMs?: number;
  /** How long deleted rows stay on screen (default 1000 ms). */
  lingerMs?: number;
}

function uidOf(o: TableRowObject): string {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/**
 * A batching, subscribable view of a Store of table rows, shaped for `useSyncExternalStore`:
 * `subscribe(listener)` and `getSnapshot()` (stable between publishes). Changes made before the
 * first list completed are not highlighted: the initial population is not news.
 */
export class LiveRows {
  readonly #store: Store<TableRowObject>;
  readonly #batchMs: number;
  readonly #highlightMs: number;
  readonly #lingerMs: number;
  readonly #rows = new Map<string, LiveRow>();
  /** uids of the rows whose tone is not steady: the only ones #expire has to look at. */
  readonly #toned = new Set<string>();
  readonly #listeners = new Set<() => void>();
  #pending: Array<{ change: StoreChange<TableRowObject>; quiet: boolean }> = [];
  #batchTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #snapshot: LiveSnapshot;
  #sawFirstList: boolean;

  constructor(store: Store<TableRowObject>, opts: LiveRowsOptions = {}) {
    this.#store = store;
    this.#batchMs = opts.batchMs ?? 100;
    this.#highlightMs = opts.highlightMs ?? 1500;
    this.#lingerMs = opts.lingerMs ?? 1000;
    this.#sawFirstList = store.isReady;
    // The store announces the first list's contents as additions, synchronously, before its ready()
    // promise settles: they are the starting state, not news. An empty first list announces
    // nothing, so readiness itself is published too.
    // The first list is the starting state, so it is shown at once rather than after a window.
    void store.ready().then(() => {
      this.#sawFirstList = true;
      if (this.#unsubscribe && !this.#snapshot.ready) {
        clearTimeout(this.#batchTimer);
        this.#flush();
      }
    });
    const now = Date.now();
    for (const o of store.list()) this.#rows.set(uidOf(o), { uid: uidOf(o), object: o, tone: 'steady', since: now });
    this.#snapshot = this.#build(0);
    this.#unsubscribe = store.subscribe((changes) => this.#onChanges(changes));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.#snapshot;

  /** Stops listening to the store and cancels pending timers. */
  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearTimeout(this.#batchTimer);
    clearTimeout(this.#expiryTimer);
    this.#listeners.clear();
  }

  #onChanges(changes: StoreChange<TableRowObject>[]): void {
    const quiet = !this.#sawFirstList;
    for (const change of changes) this.#pending.push({ change, quiet });
    this.#batchTimer ??= setTimeout(() => this.#flush(), this.#batchMs);
  }

  #flush(): void {
    this.#batchTimer = undefined;
    const now = Date.now();
    const pending = this.#pending;
    this.#pending = [];
    for (const { change, quiet } of pending) this.#apply(change, quiet, now);
    this.#expire(now);
    this.#publish();
  }

  #apply(change: StoreChange<TableRowObject>, quiet: boolean, now: number): void {
    const uid = uidOf(change.object);
    const tone = (t: RowTone): RowTone => (quiet ? 'steady' : t);
    switch (change.type) {
      case 'added':
        this.#set({ uid, object: change.object, tone: tone('added'), since: now });
        return;
      case 'updated': {
        const oldUid = uidOf(change.old);
        // Same name, new uid: the object was deleted and recreated while we were not looking.
        if (oldUid !== uid && this.#rows.has(oldUid)) this.#set({ uid: oldUid, object: change.old, tone: tone('deleted'), since: now });
        const prev = this.#rows.get(uid);
        // A row that is still new stays "added" through its first changes.
        const next: RowTone = !prev || prev.tone === 'deleted' || prev.tone === 'added' ? 'added' : 'changed';
        this.#set({ uid, object: change.object, tone: tone(next), since: now });
        return;
      }
      case 'deleted':
        if (quiet) this.#drop(uid);
        else this.#set({ uid, object: change.object, tone: 'deleted', since: now });
        return;
    }
  }

  #set(row: LiveRow): void {
    this.#rows.set(row.uid, row);
    if (row.tone === 'steady') this.#toned.delete(row.uid);
    else this.#toned.add(row.uid);
  }

  #drop(uid: string): void {
    this.#rows.delete(uid);
    this.#toned.delete(uid);
  }

  /** Calms highlights and drops deleted rows whose time is up; schedules the next such moment. */
  #expire(now: number): boolean {
    let changed = false;
    let next = Infinity;
    for (const uid of this.#toned) {
      const row = this.#rows.get(uid)!;
      const until = row.since + (row.tone === 'deleted' ? this.#lingerMs : this.#highlightMs);
      if (until <= now) {
        changed = true;
        if (row.tone === 'deleted') this.#drop(uid);
        else this.#set({ ...row, tone: 'steady' });
      } else {
        next = Math.min(next, until);
      }
    }
    clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (next !== Infinity) {
      this.#expiryTimer = setTimeout(() => {
        this.#expiryTimer = undefined;
        const t = Date.now();
        if (this.#expire(t)) this.#publish();
      }, next - now);
    }
    return changed;
  }

  #publish(): void {
    this.#snapshot = this.#build(this.#snapshot.version + 1);
    for (const l of this.#listeners) l();
  }

  #build(version: number): LiveSnapshot {
    const rows = [...this.#rows.values()];
    let count = 0;
    for (const r of rows) if (r.tone !== 'deleted') count++;
    return { version, rows, count, ready: this.#store.isReady };
  }
}
