// TableModeler models snapshots incrementally and sortRows keeps the latest model's order up to
// date by moving only the changed rows. Whatever the sequence of changes, the result must be what
// modelling and sorting the snapshot from scratch, with the collator, gives.
import { describe, expect, it } from 'vitest';
import type { TableRowObject } from '../../src/lib/api/table-rows.js';
import type { LiveRow, LiveSnapshot, RowTone } from '../../src/ui/tui/live-table/live-rows.js';
import { filterRows, growWidths, sortRows, TableModeler, type ModelRow, type TableLayout } from '../../src/ui/tui/live-table/table-model.js';
import { NARROW, POD_COLUMNS } from './fixtures.js';

const ALL_NAMESPACES: TableLayout = { wide: true, namespaceColumn: true, labelColumns: [], showLabels: false };

/** A small deterministic generator (mulberry32), so a failure reproduces from its seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const collator = new Intl.Collator('en', { numeric: true });

/** The order the live table had before it was incremental: a full sort with the collator. */
function referenceSort(rows: readonly ModelRow[], column: number, ageColumn: number): ModelRow[] {
  const byIdentity = (a: ModelRow, b: ModelRow) => collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name) || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
  const out = [...rows];
  if (column === 0) return out.sort(byIdentity);
  if (column === ageColumn) return out.sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || byIdentity(a, b));
  return out.sort((a, b) => collator.compare(a.cells[column] ?? '', b.cells[column] ?? '') || byIdentity(a, b));
}

const view = (rows: readonly ModelRow[]) => rows.map((r) => ({ uid: r.uid, tone: r.tone, namespace: r.namespace, name: r.name, cells: r.cells, created: r.created, search: r.search }));

/** Random pods: names with numbers, case and the odd non-ASCII character (which has no collation key). */
function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  let uidSeq = 0;
  const name = () => `${pick(['web', 'api', 'Web', 'db', 'café', 'a-b', 'a.b', 'x'])}-${Math.floor(next() * 30)}${pick(['', '', 'a', 'B', '0', '-1'])}`;
  const object = (uid: string, ns: string, n: string, rv: number): TableRowObject => {
    const created = next() < 0.1 ? undefined : new Date(Date.UTC(2026, 2, 1, 12, 0, Math.floor(next() * 20))).toISOString().replace('.000Z', 'Z');
    return {
      metadata: { uid, name: n, namespace: ns, resourceVersion: String(rv), ...(created ? { creationTimestamp: created } : {}) },
      row: {
        cells: [n, pick(['1/1', '0/1', '2/2']), pick(['Running', 'Pending', 'CrashLoopBackOff', 'Error', 'Init:0/1', 'Terminating', 'ÉvictÉ']), Math.floor(next() * 12), 'server-age', pick(['10.0.0.9', '10.0.0.10', '<none>']), pick(['node-a', 'node-B', 'node-10', 'node-9'])],
        object: { metadata: { name: n, namespace: ns } },
      },
      columns: POD_COLUMNS,
    };
  };
  return {
    next,
    pick,
    newRow: (rv: number, now: number): LiveRow => {
      const uid = next() < 0.05 && uidSeq > 0 ? `uid-${String(Math.floor(next() * uidSeq))}-twin` : `uid-${String(uidSeq++)}`;
      return { uid, object: object(uid, pick(['default', 'kube-system', 'ns-2', 'ns-10', 'Ns-1']), name(), rv), tone: 'added', since: now };
    },
    changed: (r: LiveRow, rv: number, now: number): LiveRow => ({ uid: r.uid, object: object(r.uid, r.object.metadata.namespace!, r.object.metadata.name!, rv), tone: 'changed', since: now }),
    toned: (r: LiveRow, tone: RowTone, now: number): LiveRow => ({ ...r, tone, since: now }),
  };
}

function run(seed: number, layout: TableLayout, steps: number): void {
  const g = generator(seed);
  const rows = new Map<string, LiveRow>();
  const modeler = new TableModeler(layout);
  let widths: number[] = [];
  let column = 0;
  let version = 0;
  let previous: ReturnType<TableModeler['model']> | undefined;
  for (let rv = 1; rows.size < 40; rv++) {
    const r = g.newRow(rv, 0);
    rows.set(r.uid, r);
  }
  for (let step = 0; step < steps; step++) {
    // A batch of changes, as LiveRows publishes them: some big (a relist), most small.
    const changes = g.next() < 0.05 ? 60 : Math.floor(g.next() * 6);
    for (let i = 0; i < changes; i++) {
      const existing = [...rows.values()];
      const op = g.next();
      const r = existing.length ? g.pick(existing) : undefined;
      if (!r || op < 0.25) {
        const added = g.newRow(step * 100 + i, step);
        rows.set(added.uid, added);
      } else if (op < 0.55) rows.set(r.uid, g.changed(r, step * 100 + i, step));
      else if (op < 0.75) rows.set(r.uid, g.toned(r, g.pick(['steady', 'deleted', 'changed'] as const), step));
      else rows.delete(r.uid);
    }
    const snapshot: LiveSnapshot = { version: ++version, rows: [...rows.values()], count: rows.size, ready: true };
    const model = modeler.model(snapshot);
    const scratch = new TableModeler(layout).model(snapshot);
    expect(view(model.rows)).toEqual(view(scratch.rows));
    expect(model.headers).toEqual(scratch.headers);

    // Widths only grow: over every row seen, as growing them from all rows at each snapshot did.
    // Copies of the cells: measured afresh, not looked up.
    widths = growWidths(widths, scratch.headers, scratch.rows.map((r) => [...r.cells]));
    expect(model.widths).toEqual(widths);

    // Sometimes the table is not sorted for a while (React skipped a render), sometimes the sort column changes.
    if (g.next() < 0.2) continue;
    if (g.next() < 0.1) column = Math.floor(g.next() * model.headers.length);
    const expected = view(referenceSort(scratch.rows, column, scratch.ageColumn));
    expect(view(sortRows(model.rows, column, model.ageColumn)), `seed ${seed}, step ${step}, column ${column}`).toEqual(expected);
    // Asking again, or for an older model's rows, gives the same order for those rows.
    expect(view(sortRows(model.rows, column, model.ageColumn))).toEqual(expected);
    if (previous && g.next() < 0.1) expect(view(sortRows(previous.rows, column, previous.ageColumn))).toEqual(view(referenceSort(previous.rows, column, previous.ageColumn)));
    previous = model;
  }
}

describe('TableModeler and sortRows', () => {
  it.each([1, 2, 3, 4, 5, 6])('match a from-scratch model and a collator sort after random changes (seed %i, one namespace)', (seed) => {
    run(seed, NARROW, 200);
  });

  it.each([11, 12, 13])('match a from-scratch model and a collator sort after random changes (seed %i, -A -o wide)', (seed) => {
    run(seed, ALL_NAMESPACES, 200);
  });

  it('returns a copy its caller may reverse without disturbing the next sort', () => {
    const g = generator(99);
    const rows = Array.from({ length: 30 }, (_, i) => g.newRow(i, 0));
    const modeler = new TableModeler(NARROW);
    const model = modeler.model({ version: 1, rows, count: rows.length, ready: true });
    const first = sortRows(model.rows, 0, model.ageColumn);
    const expected = view(first);
    first.reverse();
    const next = modeler.model({ version: 2, rows, count: rows.length, ready: true });
    expect(view(sortRows(next.rows, 0, next.ageColumn))).toEqual(expected);
  });

  it('models only the rows that changed: unchanged rows keep their model row', () => {
    const g = generator(5);
    const rows = Array.from({ length: 20 }, (_, i) => g.newRow(i, 0));
    const modeler = new TableModeler(NARROW);
    const a = modeler.model({ version: 1, rows, count: rows.length, ready: true });
    const changed = [...rows];
    changed[3] = g.changed(rows[3]!, 100, 1);
    const b = modeler.model({ version: 2, rows: changed, count: rows.length, ready: true });
    expect(b.rows.filter((r, i) => r !== a.rows[i]).map((r) => r.uid)).toEqual([rows[3]!.uid]);
    expect(filterRows(b.rows, b.rows[3]!.name.toUpperCase())).toContain(b.rows[3]);
  });
});
