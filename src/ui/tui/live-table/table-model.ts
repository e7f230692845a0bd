// What the live table shows, computed from a snapshot without React: the columns and cells
// exactly as `ktx get` prints them, AGE re-derived from creationTimestamp, sorting, filtering,
// and calm column widths.
import type { TableRowObject } from '../../../lib/api/table-rows.js';
import type { TableColumnDefinition } from '../../../lib/api/table.js';
import { humanDuration, runeCount, tableLines, type TableOptions } from '../../print/index.js';
import { collationKey, collator } from './collation-key.js';
import type { LiveRow, LiveSnapshot, RowTone } from './live-rows.js';

/** The decoration `ktx get` applies: -o wide, -A, -L, --show-labels. */
export type TableLayout = Pick<TableOptions, 'wide' | 'namespaceColumn' | 'labelColumns' | 'showLabels'>;

export interface ModelRow {
  uid: string;
  tone: RowTone;
  namespace: string;
  name: string;
  /** The cells as the server rendered them (after kubectl's decoration). */
  cells: readonly string[];
  /** creationTimestamp in ms, when known: the source of the AGE cell. */
  created: number | undefined;
  /** Lower-cased cells joined, for the filter. */
  search: string;
}

export interface TableModel {
  headers: readonly string[];
  /** Index of the AGE column among the displayed ones, or -1. */
  ageColumn: number;
  rows: readonly ModelRow[];
  /**
   * Column widths as kubectl's tab writer computes them (widest cell + 3, at least 6) over every
   * row modelled since the columns last changed: they only grow, so columns stay put while rows
   * come and go.
   */
  widths: readonly number[];
}

const PADDING = 3;
const MIN_WIDTH = 6;

/**
 * Sort keys of one object version, computed when a sort first needs them (see collation-key.ts).
 * `identity` is (namespace, name, uid) as one string; undefined when the namespace or name has no
 * collation key, null until computed. `cells[i]` is column i's key; false when it has none.
 */
interface SortKeys {
  identity: string | undefined | null;
  cells: Array<string | false>;
}

/** A model row made by TableModeler: its keys are shared by every version with the same object. */
interface KeyedRow extends ModelRow {
  readonly keys: SortKeys;
}

/** What one object version costs to model, done once. */
interface Formatted {
  cells: readonly string[];
  search: string;
  created: number | undefined;
  keys: SortKeys;
}

/** Cell widths (runes + padding) of the cells arrays TableModeler made, so measuring them again is a lookup. */
const measured = new WeakMap<readonly string[], readonly number[]>();

/** The modeler whose latest model a rows array is: sortRows keeps that order up to date instead of sorting again. */
const owners = new WeakMap<readonly ModelRow[], TableModeler>();

interface Entry {
  live: LiveRow;
  row: KeyedRow;
  /** The model() pass that last saw the row. */
  seen: number;
}

/**
 * Turns snapshots into models, incrementally: a row is re-modelled only when its LiveRow changed
 * (cells formatted, widths measured and sort keys made once per object version, which the store
 * replaces on every change), and the sort order of the latest model is kept up to date by moving
 * only the rows that changed (see sortRows).
 */
export class TableModeler {
  readonly #layout: TableLayout;
  readonly #formatted = new WeakMap<TableRowObject, Formatted>();
  #headerCache: { columns: readonly TableColumnDefinition[]; headers: readonly string[]; ageColumn: number } | undefined;
  readonly #entries = new Map<string, Entry>();
  #pass = 0;
  #widthHeaders: readonly string[] = [];
  #widths: number[] = [];
  /** The latest model's rows. */
  #rows: readonly ModelRow[] | undefined;
  /** The latest model's rows in the last sort order asked for. */
  #order: { column: number; ageColumn: number; rows: readonly ModelRow[] } | undefined;
  /** Rows changed since #order was made: uid → the version #order holds (undefined: none). */
  readonly #changed = new Map<string, KeyedRow | undefined>();

  constructor(layout: TableLayout) {
    this.#layout = layout;
  }

  model(snapshot: LiveSnapshot): TableModel {
    const columns = snapshot.rows[0]?.object.columns ?? [];
    const { headers, ageColumn } = this.#headers(columns);
    const remeasure = !sameStrings(headers, this.#widthHeaders);
    if (remeasure) {
      this.#widthHeaders = headers;
      this.#widths = headers.map((h) => Math.max(MIN_WIDTH, runeCount(h) + PADDING));
    }
    const pass = ++this.#pass;
    const rows = new Array<ModelRow>(snapshot.rows.length);
    const changed: number[] = [];
    for (let i = 0; i < snapshot.rows.length; i++) {
      const live = snapshot.rows[i]!;
      const e = this.#entries.get(live.uid);
      if (e?.live === live) {
        e.seen = pass;
        if (remeasure) this.#grow(e.row.cells);
        rows[i] = e.row;
      } else {
        changed.push(i);
      }
    }
    this.#format(changed.map((i) => snapshot.rows[i]!.object));
    for (const i of changed) {
      const live = snapshot.rows[i]!;
      const e = this.#entries.get(live.uid);
      const row = this.#row(live);
      this.#noteChange(live.uid, e?.row);
      if (e) {
        e.live = live;
        e.row = row;
        e.seen = pass;
      } else {
        this.#entries.set(live.uid, { live, row, seen: pass });
      }
      this.#grow(row.cells);
      rows[i] = row;
    }
    // Everything not seen in this pass is gone.
    if (this.#entries.size > rows.length) {
      for (const [uid, e] of this.#entries) {
        if (e.seen === pass) continue;
        this.#entries.delete(uid);
        this.#noteChange(uid, e.row);
      }
    }
    this.#rows = rows;
    owners.set(rows, this);
    return { headers, ageColumn, rows, widths: [...this.#widths] };
  }

  /** The latest model's rows in order: the previous order with the changed rows moved, when that is cheaper than sorting. */
  sorted(rows: readonly ModelRow[], column: number, ageColumn: number): readonly ModelRow[] {
    if (rows !== this.#rows) return sortAll(rows, column, ageColumn);
    const order = this.#order;
    if (order?.column === column && order.ageColumn === ageColumn) {
      if (this.#changed.size) order.rows = applyChanges(order.rows, this.#changed, (uid) => this.#entries.get(uid)?.row, comparator(column, ageColumn));
    } else {
      this.#order = { column, ageColumn, rows: sortAll(rows, column, ageColumn) };
    }
    this.#changed.clear();
    return this.#order!.rows;
  }

  #noteChange(uid: string, inOrder: KeyedRow | undefined): void {
    if (!this.#order || this.#changed.has(uid)) return;
    // Past a quarter of the rows, sorting them all again is as cheap as moving the changed ones.
    if (this.#changed.size > Math.max(64, this.#entries.size / 4)) {
      this.#order = undefined;
      this.#changed.clear();
      return;
    }
    this.#changed.set(uid, inOrder);
  }

  #grow(cells: readonly string[]): void {
    const w = measured.get(cells)!;
    const widths = this.#widths;
    for (let i = 0; i < widths.length; i++) if ((w[i] ?? PADDING) > widths[i]!) widths[i] = w[i]!;
  }

  #headers(columns: readonly TableColumnDefinition[]) {
    if (this.#headerCache?.columns !== columns) {
      const { header } = tableLines({ columnDefinitions: [...columns], rows: [] }, this.#layout);
      const shown = columns.filter((c) => this.#layout.wide || !c.priority);
      const age = shown.findIndex((c) => c.name.toUpperCase() === 'AGE');
      this.#headerCache = { columns, headers: header, ageColumn: age < 0 ? -1 : age + (this.#layout.namespaceColumn ? 1 : 0) };
    }
    return this.#headerCache;
  }

  /**
   * Formats the object versions not formatted yet. One tableLines call per set of columns: per
   * call it costs about ten times what it costs per row, which matters for the first 10,000.
   */
  #format(objects: readonly TableRowObject[]): void {
    const byColumns = new Map<readonly TableColumnDefinition[], TableRowObject[]>();
    for (const o of objects) {
      if (this.#formatted.has(o)) continue;
      const group = byColumns.get(o.columns);
      if (group) group.push(o);
      else byColumns.set(o.columns, [o]);
    }
    for (const [columns, group] of byColumns) {
      const { rows } = tableLines({ columnDefinitions: [...columns], rows: group.map((o) => o.row) }, this.#layout);
      group.forEach((o, i) => {
        const cells = rows[i] ?? [];
        measured.set(
          cells,
          cells.map((c) => runeCount(c) + PADDING),
        );
        const created = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : NaN;
        this.#formatted.set(o, { cells, search: cells.join(' ').toLowerCase(), created: Number.isNaN(created) ? undefined : created, keys: { identity: null, cells: [] } });
      });
    }
  }

  #row(r: LiveRow): KeyedRow {
    const o = r.object;
    const f = this.#formatted.get(o)!;
    return {
      uid: r.uid,
      tone: r.tone,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name ?? '',
      cells: f.cells,
      created: f.created,
      search: f.search,
      keys: f.keys,
    };
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Keys of rows TableModeler did not make. */
const otherKeys = new WeakMap<ModelRow, SortKeys>();

function keysOf(r: ModelRow): SortKeys {
  const own = (r as Partial<KeyedRow>).keys;
  if (own) return own;
  let k = otherKeys.get(r);
  if (!k) otherKeys.set(r, (k = { identity: null, cells: [] }));
  return k;
}

function identityKey(r: ModelRow): string | undefined {
  const k = keysOf(r);
  if (k.identity === null) {
    const ns = collationKey(r.namespace);
    const name = collationKey(r.name);
    // U+0000 is below every key character: (namespace, name, uid) compare as a tuple.
    k.identity = ns === undefined || name === undefined ? undefined : `${ns}\u0000${name}\u0000${r.uid}`;
  }
  return k.identity;
}

function cellKey(r: ModelRow, column: number): string | false {
  const k = keysOf(r);
  let key = k.cells[column];
  if (key === undefined) key = k.cells[column] = collationKey(r.cells[column] ?? '') ?? false;
  return key;
}

/** (namespace, name) by the collator, then uid: the order kubectl lists in, and every sort's tie-break. */
function byIdentity(a: ModelRow, b: ModelRow): number {
  const x = identityKey(a);
  const y = identityKey(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  return collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name) || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
}

function comparator(column: number, ageColumn: number): (a: ModelRow, b: ModelRow) => number {
  if (column === 0) return byIdentity;
  if (column === ageColumn) return (a, b) => (b.created ?? 0) - (a.created ?? 0) || byIdentity(a, b);
  return (a, b) => {
    const x = cellKey(a, column);
    const y = cellKey(b, column);
    const c = x !== false && y !== false ? (x < y ? -1 : x > y ? 1 : 0) : collator.compare(a.cells[column] ?? '', b.cells[column] ?? '');
    return c || byIdentity(a, b);
  };
}

function sortAll(rows: readonly ModelRow[], column: number, ageColumn: number): ModelRow[] {
  return [...rows].sort(comparator(column, ageColumn));
}

/** `order` without the versions `changed` maps to, with the current versions inserted where they belong. */
function applyChanges(
  order: readonly ModelRow[],
  changed: ReadonlyMap<string, ModelRow | undefined>,
  current: (uid: string) => ModelRow | undefined,
  compare: (a: ModelRow, b: ModelRow) => number,
): readonly ModelRow[] {
  const stale = new Set<ModelRow>();
  const fresh: ModelRow[] = [];
  for (const [uid, old] of changed) {
    if (old) stale.add(old);
    const now = current(uid);
    if (now) fresh.push(now);
  }
  if (!stale.size && !fresh.length) return order;
  const kept = stale.size ? order.filter((r) => !stale.has(r)) : order;
  fresh.sort(compare);
  const out: ModelRow[] = [];
  let from = 0;
  for (const r of fresh) {
    // The first kept row that sorts after r (no two rows compare equal: uids differ).
    let lo = from;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(kept[mid]!, r) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) out.push(kept[i]!);
    out.push(r);
    from = lo;
  }
  for (let i = from; i < kept.length; i++) out.push(kept[i]!);
  return out;
}

/**
 * Rows sorted by one column, ties broken by (namespace, name, uid) so the order is stable. The
 * first column (NAME, or NAMESPACE with -A) gives kubectl's (namespace, name) order. AGE sorts by
 * creation time, youngest first; other columns by the collator (numbers by value). For the rows
 * of a TableModeler's latest model, the order it last made is reused with only the changed rows
 * moved, so sorting each new snapshot of 10,000 rows costs little more than its changes.
 */
export function sortRows(rows: readonly ModelRow[], column: number, ageColumn: number): ModelRow[] {
  // A copy: callers may reverse it in place.
  return owners.get(rows)?.sorted(rows, column, ageColumn).slice() ?? sortAll(rows, column, ageColumn);
}

/** Rows whose cells contain `filter` (case-insensitive). */
export function filterRows(rows: readonly ModelRow[], filter: string): readonly ModelRow[] {
  if (!filter) return rows;
  const needle = filter.toLowerCase();
  return rows.filter((r) => r.search.includes(needle));
}

/** The AGE cell as of `now`, from creationTimestamp; the server's cell when there is none. */
export function cellsAt(row: ModelRow, ageColumn: number, now: number): readonly string[] {
  if (ageColumn < 0 || row.created === undefined) return row.cells;
  const cells = [...row.cells];
  cells[ageColumn] = humanDuration(now - row.created);
  return cells;
}

/**
 * Column widths as kubectl's tab writer computes them (widest cell + 3, at least 6), grown from
 * `previous` and never shrunk, so columns stay put while rows come and go.
 */
export function growWidths(previous: readonly number[], headers: readonly string[], rows: Iterable<readonly string[]>): number[] {
  const widths = headers.map((h, i) => Math.max(previous[i] ?? MIN_WIDTH, runeCount(h) + PADDING));
  for (const cells of rows) {
    const known = measured.get(cells);
    for (let i = 0; i < widths.length; i++) {
      const w = known ? (known[i] ?? PADDING) : runeCount(cells[i] ?? '') + PADDING;
      if (w > widths[i]!) widths[i] = w;
    }
  }
  return widths;
}

/** Every cell but the last padded to its column's width (the tab writer never pads the last). */
export function padCells(cells: readonly string[], widths: readonly number[]): string[] {
  return cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - runeCount(cell)))));
}

/** One line of the table. */
export function formatLine(cells: readonly string[], widths: readonly number[]): string {
  return padCells(cells, widths).join('');
}
