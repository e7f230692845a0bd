// LiveRows without React: how store changes become batched snapshots, tones and lingering rows,
// including what a relist (a second InitDone) reports.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TableRowObject } from '../../src/lib/api/table-rows.js';
import { createStore } from '../../src/lib/runtime/store.js';
import { LiveRows } from '../../src/ui/tui/live-table/live-rows.js';
import { listedStore, podRow } from './fixtures.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

const view = (live: LiveRows) => Object.fromEntries(live.getSnapshot().rows.map((r) => [`${r.object.metadata.name}:${r.uid}`, r.tone]));

describe('LiveRows', () => {
  it('publishes the first list quietly, once the store is ready, even when it is empty', async () => {
    const { store, writer } = createStore<TableRowObject>();
    const live = new LiveRows(store);
    const published = vi.fn();
    live.subscribe(published);
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitDone' });
    await vi.advanceTimersByTimeAsync(100);
    expect(published).toHaveBeenCalledTimes(1);
    expect(live.getSnapshot()).toMatchObject({ ready: true, count: 0, rows: [] });
    // After an empty first list, an addition is news.
    writer.apply({ type: 'Apply', object: podRow({ name: 'a' }) });
    await vi.advanceTimersByTimeAsync(100);
    expect(view(live)).toEqual({ 'a:uid-default-a': 'added' });
    live.dispose();
  });

  it('publishes the first list as soon as it is complete, without waiting for the batch window', async () => {
    const { store, writer } = createStore<TableRowObject>();
    const live = new LiveRows(store, { batchMs: 10_000 });
    writer.apply({ type: 'Init' });
    for (let i = 0; i < 3; i++) writer.apply({ type: 'InitApply', object: podRow({ name: `p${i}` }) });
    writer.apply({ type: 'InitDone' });
    await vi.advanceTimersByTimeAsync(0);
    expect(live.getSnapshot()).toMatchObject({ ready: true, count: 3 });
    expect(Object.values(view(live))).toEqual(['steady', 'steady', 'steady']);
    live.dispose();
  });

  it('coalesces a burst into one snapshot per batch window', async () => {
    const { store, writer } = listedStore([]);
    const live = new LiveRows(store, { batchMs: 100 });
    const published = vi.fn();
    live.subscribe(published);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5000; i++) writer.apply({ type: 'Apply', object: podRow({ name: `p${i % 50}`, rv: i }) });
    expect(published).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(published).toHaveBeenCalledTimes(1);
    expect(live.getSnapshot().count).toBe(50);
    live.dispose();
  });

  it('reports what a relist changed: deletions while away linger, a recreated name is a new row', async () => {
    const { store, writer } = listedStore([podRow({ name: 'kept' }), podRow({ name: 'gone' }), podRow({ name: 'same-name', uid: 'old' })]);
    const live = new LiveRows(store, { lingerMs: 1000, highlightMs: 1500 });
    writer.apply({ type: 'Init' });
    writer.apply({ type: 'InitApply', object: podRow({ name: 'kept' }) });
    writer.apply({ type: 'InitApply', object: podRow({ name: 'same-name', uid: 'new', rv: 9 }) });
    writer.apply({ type: 'InitDone' });
    await vi.advanceTimersByTimeAsync(100);
    expect(view(live)).toEqual({ 'kept:uid-default-kept': 'steady', 'gone:uid-default-gone': 'deleted', 'same-name:old': 'deleted', 'same-name:new': 'added' });
    expect(live.getSnapshot().count).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(view(live)).toEqual({ 'kept:uid-default-kept': 'steady', 'same-name:new': 'added' });
    await vi.advanceTimersByTimeAsync(500);
    expect(view(live)).toEqual({ 'kept:uid-default-kept': 'steady', 'same-name:new': 'steady' });
    live.dispose();
  });

  it('stops publishing after dispose', async () => {
    const { store, writer } = listedStore([]);
    const live = new LiveRows(store);
    const published = vi.fn();
    live.subscribe(published);
    live.dispose();
    writer.apply({ type: 'Apply', object: podRow({ name: 'late' }) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(published).not.toHaveBeenCalled();
  });
});
