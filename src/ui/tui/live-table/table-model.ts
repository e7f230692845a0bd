// What the live table shows, computed from a snapshot without React: the columns and cells
// exactly as `ktx get` prints them, AGE re-derived from creationTimestamp, sorting, filtering,
// and calm column widths.
import type { TableColumnDefinition } from '../../../lib/api/table.js';
import { humanDuration, runeCount, tableLines, type TableOptions } from '../../print/index.js';
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
}

const PADDING = 3;
const MIN_WIDTH = 6;

interface FormattedRow {
  cells: readonly string[];
  search: string;
}

/**
 * Turns snapshots into models. Cells are formatted once per object version (a WeakMap on the
 * row object, which the store replaces on every change), so a snapshot costs little more than
 * the rows that changed.
 */
export class TableModeler {
  readonly #layout: TableLayout;
  readonly #cache = new WeakMap<object, FormattedRow>();
  #headerCache: { columns: readonly TableColumnDefinition[]; headers: readonly string[]; ageColumn: number } | undefined;

  constructor(layout: TableLayout) {
    this.#layout = layout;
  }

  model(snapshot: LiveSnapshot): TableModel {
    const columns = snapshot.rows[0]?.object.columns ?? [];
    const { headers, ageColumn } = this.#headers(columns);
    return { headers, ageColumn, rows: snapshot.rows.map((r) => this.#row(r)) };
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

  #row(r: LiveRow): ModelRow {
    const o = r.object;
    let formatted = this.#cache.get(o);
    if (!formatted) {
      const [cells = []] = tableLines({ columnDefinitions: o.columns, rows: [o.row] }, this.#layout).rows;
      formatted = { cells, search: cells.join(' ').toLowerCase() };
      this.#cache.set(o, formatted);
    }
    const created = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : NaN;
    return {
      uid: r.uid,
      tone: r.tone,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name ?? '',
      cells: formatted.cells,
      created: Number.isNaN(created) ? undefined : created,
      search: formatted.search,
    };
  }
}

const collator = new Intl.Collator('en', { numeric: true });

function byIdentity(a: ModelRow, b: ModelRow): number {
  return collator.compare(a.namespace, b.namespace) || collator.compare(a.name, b.name) || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
}

/**
 * Rows sorted by one column, ties broken by (namespace, name) so the order is stable. The first
 * column (NAME, or NAMESPACE with -A) gives kubectl's (namespace, name) order. AGE sorts by
 * creation time, youngest first.
 */
export function sortRows(rows: readonly ModelRow[], column: number, ageColumn: number): ModelRow[] {
  const out = [...rows];
  if (column === 0) return out.sort(byIdentity);
  if (column === ageColumn) return out.sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || byIdentity(a, b));
  return out.sort((a, b) => collator.compare(a.cells[column] ?? '', b.cells[column] ?? '') || byIdentity(a, b));
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
    for (let i = 0; i < widths.length; i++) {
      const w = runeCount(cells[i] ?? '') + PADDING;
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
