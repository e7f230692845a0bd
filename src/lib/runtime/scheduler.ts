/**
 * The reconcile queue of a controller: one entry per object key, due at a time.
 * - A request for a key already queued keeps the earlier due time (dedupe), pushed back by the
 *   debounce when one is set (trailing edge: a burst of changes gives one reconcile).
 * - A key never runs twice at once: a request that arrives while it runs waits until it finishes.
 * - At most `concurrency` keys run at once (0 = no bound).
 * Pure bookkeeping plus one timer; the controller supplies `run`.
 */
export class ReconcileScheduler<T> {
  private readonly queued = new Map<string, { dueAt: number; payload: T }>();
  private readonly held = new Map<string, { dueAt: number; payload: T }>();
  private readonly running = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private paused = true;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: (key: string, payload: T) => Promise<void>,
    private readonly options: { concurrency: number; debounceMs: number; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Queues `key` to run after `delayMs` (plus the debounce); an earlier request wins. */
  schedule(key: string, payload: T, delayMs = 0): void {
    const dueAt = this.now() + delayMs + this.options.debounceMs;
    const target = this.running.has(key) ? this.held : this.queued;
    const existing = target.get(key);
    if (!existing) target.set(key, { dueAt, payload });
    else if (this.options.debounceMs > 0 && delayMs === 0) target.set(key, { dueAt: Math.max(existing.dueAt, dueAt), payload });
    else if (dueAt < existing.dueAt) target.set(key, { dueAt, payload });
    this.pump();
  }

  /** Starts running due keys (the controller calls it once every store is ready). */
  start(): void {
    this.paused = false;
    this.pump();
  }

  /** Stops starting new runs; queued keys stay queued. */
  stop(): void {
    this.paused = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when nothing is running. */
  whenIdle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get size(): { queued: number; running: number } {
    return { queued: this.queued.size + this.held.size, running: this.running.size };
  }

  private pump(): void {
    if (this.paused) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.now();
    let nextDue = Infinity;
    const due = [...this.queued.entries()].filter(([, e]) => e.dueAt <= now).sort((a, b) => a[1].dueAt - b[1].dueAt);
    for (const [key, entry] of due) {
      if (this.options.concurrency > 0 && this.running.size >= this.options.concurrency) break;
      this.queued.delete(key);
      this.running.add(key);
      void this.run(key, entry.payload).finally(() => this.finish(key));
    }
    for (const e of this.queued.values()) if (e.dueAt > now) nextDue = Math.min(nextDue, e.dueAt);
    if (nextDue !== Infinity) {
      this.timer = setTimeout(() => this.pump(), Math.max(0, nextDue - now));
      this.timer.unref?.();
    }
  }

  private finish(key: string): void {
    this.running.delete(key);
    const held = this.held.get(key);
    if (held) {
      this.held.delete(key);
      const queued = this.queued.get(key);
      if (!queued || held.dueAt < queued.dueAt) this.queued.set(key, held);
    }
    if (this.running.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    this.pump();
  }
}
