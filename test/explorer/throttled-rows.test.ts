// The explorer's throttled view of a table's snapshots, and its incremental text filter.
import { describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '../../src/ui/tui/live-table/live-rows.js';
import { filterRows, type ModelRow } from '../../src/ui/tui/live-table/table-model.js';
import { rowFilter } from '../../src/ui/tui/explorer/navigation.js';
import { throttleSnapshots, type SnapshotSource } from '../../src/ui/tui/explorer/throttled-rows.js';
import { waitUntil } from '../helpers/wait.js';

function source(): SnapshotSource & { publish(): LiveSnapshot; listeners: number } {
  let snapshot: LiveSnapshot = { version: 0, rows: [], count: 0, ready: false };
  const listeners = new Set<() => void>();
  return {
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => snapshot,
    publish() {
      snapshot = { ...snapshot, version: snapshot.version + 1, ready: true };
      for (const l of listeners) l();
      return snapshot;
    },
    get listeners() {
      return listeners.size;
    },
  };
}

describe('throttleSnapshots', () => {
  it('passes the first change at once, folds the next ones into one, and always ends on the latest', async () => {
    const s = source();
    const throttled = throttleSnapshots(s, 30);
    let calls = 0;
    const unsubscribe = throttled.subscribe(() => calls++);
    const first = s.publish();
    expect(throttled.getSnapshot()).toBe(first);
    expect(calls).toBe(1);
    s.publish();
    const third = s.publish();
    expect(throttled.getSnapshot()).toBe(first);
    await waitUntil('the trailing snapshot', () => throttled.getSnapshot() === third, { intervalMs: 5 });
    expect(calls).toBe(2);
    unsubscribe();
    expect(s.listeners).toBe(0);
  });

  it('catches up on subscribing with what changed while nobody listened', () => {
    const s = source();
    const throttled = throttleSnapshots(s, 30);
    const latest = s.publish();
    throttled.subscribe(() => undefined)();
    expect(throttled.getSnapshot()).toBe(latest);
  });
});

describe('rowFilter', () => {
  const row = (name: string): ModelRow => ({ uid: name, tone: 'steady', namespace: 'ns', name, cells: [name], created: undefined, search: name.toLowerCase() });
  const rows = ['web-01', 'web-02', 'Web-10', 'api-1', 'db-0'].map(row);

  it('answers as filterRows does while a filter is typed, deleted and retyped, and for new rows', () => {
    const filter = rowFilter();
    for (const f of ['', 'w', 'we', 'WEB', 'web-0', 'web-01', 'web-0', 'web-1', '', 'b', 'db', 'zz', 'zzz', 'z']) {
      expect(filter(rows, f)).toEqual(filterRows(rows, f));
    }
    const more = [...rows, row('web-011')];
    expect(filter(more, 'web-01')).toEqual(filterRows(more, 'web-01'));
    expect(filter(more, 'web-011')).toEqual(filterRows(more, 'web-011'));
  });
});
