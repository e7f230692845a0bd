import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconcileScheduler } from '../../src/lib/runtime/scheduler.js';

describe('ReconcileScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(concurrency: number, debounceMs: number) {
    const runs: string[] = [];
    const finishers = new Map<string, () => void>();
    const s = new ReconcileScheduler<string>(
      (key, payload) =>
        new Promise<void>((resolve) => {
          runs.push(`${key}:${payload}`);
          finishers.set(key, resolve);
        }),
      { concurrency, debounceMs },
    );
    const finish = async (key: string) => {
      finishers.get(key)!();
      finishers.delete(key);
      await vi.advanceTimersByTimeAsync(0);
    };
    return { s, runs, finish };
  }

  it('waits for start, dedupes, and keeps the earlier due time', async () => {
    const { s, runs } = setup(0, 0);
    s.schedule('a', 'late', 1000);
    s.schedule('a', 'soon', 10);
    await vi.advanceTimersByTimeAsync(50);
    expect(runs).toEqual([]);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['a:soon']);
  });

  it('debounces on the trailing edge', async () => {
    const { s, runs } = setup(0, 100);
    s.start();
    for (let i = 0; i < 5; i++) {
      s.schedule('a', `v${i}`);
      await vi.advanceTimersByTimeAsync(60);
    }
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toEqual(['a:v4']);
  });

  it('never runs a key twice at once, and bounds concurrency', async () => {
    const { s, runs, finish } = setup(2, 0);
    s.start();
    s.schedule('a', '1');
    s.schedule('b', '1');
    s.schedule('c', '1');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['a:1', 'b:1']);
    s.schedule('a', '2');
    await finish('b');
    expect(runs).toEqual(['a:1', 'b:1', 'c:1']);
    await finish('a');
    expect(runs).toEqual(['a:1', 'b:1', 'c:1', 'a:2']);
    await finish('c');
    await finish('a');
    await s.whenIdle();
    expect(s.size).toEqual({ queued: 0, running: 0 });
  });
});
