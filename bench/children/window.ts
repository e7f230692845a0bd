// A measurement window inside a benchmark child: counts, lags, CPU and memory between start() and stop().

export interface LagStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function lagStats(xs: number[]): LagStats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { count: s.length, p50Ms: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99), maxMs: s[s.length - 1] ?? NaN };
}

export class Window {
  #running = false;
  #started = 0;
  #cpu = process.cpuUsage();
  #applied = 0;
  #firstApplied = 0;
  #lastApplied = 0;
  #applyLags: number[] = [];
  #frames = 0;
  #screenLags: number[] = [];
  #renderMs: number[] = [];
  #maxRss = 0;
  #maxHeap = 0;
  #sampler: NodeJS.Timeout | undefined;

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    this.#running = true;
    this.#started = performance.now();
    this.#cpu = process.cpuUsage();
    this.#sampler = setInterval(() => this.#sample(), 100);
  }

  #sample(): void {
    const m = process.memoryUsage();
    this.#maxRss = Math.max(this.#maxRss, m.rss);
    this.#maxHeap = Math.max(this.#maxHeap, m.heapUsed);
  }

  /** A change the store applied; `lagMs` from the change being sent, when it carried a timestamp. */
  applied(lagMs?: number): void {
    if (!this.#running) return;
    this.#applied++;
    const now = performance.now();
    if (!this.#firstApplied) this.#firstApplied = now;
    this.#lastApplied = now;
    if (lagMs !== undefined) this.#applyLags.push(lagMs);
  }

  /** A frame rendered (and, when its output changed, written to the terminal). */
  frame(renderMs?: number): void {
    if (!this.#running) return;
    this.#frames++;
    if (renderMs !== undefined) this.#renderMs.push(renderMs);
  }

  /** A change that reached the screen, `lagMs` after it was sent. */
  screen(lagMs: number): void {
    if (this.#running) this.#screenLags.push(lagMs);
  }

  stop() {
    this.#sample();
    clearInterval(this.#sampler);
    this.#running = false;
    const seconds = (performance.now() - this.#started) / 1000;
    const cpu = process.cpuUsage(this.#cpu);
    return {
      seconds,
      applied: this.#applied,
      // Over the span from the first change applied to the last, not the whole window.
      appliedPerSecond: this.#applied > 1 ? (this.#applied - 1) / ((this.#lastApplied - this.#firstApplied) / 1000) : 0,
      applyLag: lagStats(this.#applyLags),
      frames: this.#frames,
      framesPerSecond: this.#frames / seconds,
      renderMs: lagStats(this.#renderMs),
      screenLag: lagStats(this.#screenLags),
      cpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
      maxRssMb: this.#maxRss / 2 ** 20,
      maxHeapMb: this.#maxHeap / 2 ** 20,
    };
  }
}
