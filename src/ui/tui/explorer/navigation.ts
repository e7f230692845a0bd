// Pure parts of the explorer's navigation: recent namespaces (the `1`–`9` keys), k9s's sort keys,
// and a selection that follows an object by name rather than by row index.
import { sortRows, type ModelRow } from '../live-table/table-model.js';
import type { RowTone } from '../live-table/live-rows.js';

/** How many recent namespaces the header shows (keys 1–9). */
export const MAX_RECENT_NAMESPACES = 9;

/**
 * The recent namespaces after using `ns`: as k9s keeps its favourites, a new namespace goes in
 * front (the oldest falls off after 9); one already listed keeps its place and so its number key.
 */
export function recordNamespace(recent: readonly string[], ns: string | undefined): string[] {
  if (!ns || recent.includes(ns)) return [...recent];
  return [ns, ...recent].slice(0, MAX_RECENT_NAMESPACES);
}

/** The `<0> all <1> default …` hint of the header. */
export function namespaceHints(recent: readonly string[], current: string | undefined): string {
  const mark = (n: string | undefined) => (n === current ? '*' : '');
  return [`<0>all${mark(undefined)}`, ...recent.map((n, i) => `<${i + 1}>${n}${mark(n)}`)].join(' ');
}

export type SortKey = 'name' | 'age' | 'status';

export interface SortSpec {
  by: SortKey;
  /** Reversed: Z–A, oldest first, or status descending. */
  reverse: boolean;
}

/** Shift-N, Shift-A, Shift-S: the sort key each selects. */
export function sortKeyFor(ch: string): SortKey | undefined {
  return ch === 'N' ? 'name' : ch === 'A' ? 'age' : ch === 'S' ? 'status' : undefined;
}

/** The next sort after pressing `by`: that column ascending, or the same column reversed. */
export function nextSort(current: SortSpec | undefined, by: SortKey): SortSpec {
  return current?.by === by ? { by, reverse: !current.reverse } : { by, reverse: false };
}

/** The displayed column a sort key orders by, or -1 when the table has no such column. */
export function sortColumn(headers: readonly string[], ageColumn: number, by: SortKey): number {
  if (by === 'age') return ageColumn;
  if (by === 'name') return headers.indexOf('NAME');
  const status = headers.indexOf('STATUS');
  return status >= 0 ? status : headers.indexOf('READY');
}

/**
 * Rows in the order a sort asks for. Name order is kubectl's (namespace, name) unless the
 * namespace column shows, where NAME alone orders them; age is youngest first.
 */
export function sortFor(rows: readonly ModelRow[], headers: readonly string[], ageColumn: number, sort: SortSpec | undefined): ModelRow[] {
  const spec = sort ?? { by: 'name', reverse: false };
  const column = spec.by === 'name' && !sort ? 0 : sortColumn(headers, ageColumn, spec.by);
  // sortRows returns a copy of its own: reversing it in place is safe.
  const sorted = sortRows(rows, Math.max(0, column), ageColumn);
  return spec.reverse ? sorted.reverse() : sorted;
}

/** The header cells with the column of a chosen sort marked `↑` (ascending) or `↓` (reversed); kubectl's order is unmarked. */
export function markSortHeader(headers: readonly string[], ageColumn: number, sort: SortSpec | undefined): readonly string[] {
  if (!sort) return headers;
  const column = sortColumn(headers, ageColumn, sort.by);
  return headers.map((h, i) => (i === column ? `${h}${sort.reverse ? '↓' : '↑'}` : h));
}

/** The identity a selection follows: namespace and name. */
export function rowKey(row: Pick<ModelRow, 'namespace' | 'name'>): string {
  return `${row.namespace}/${row.name}`;
}

/** rowKey(row) === key, without making the string: a render looks at every row for the selection. */
function hasKey(row: Pick<ModelRow, 'namespace' | 'name'>, key: string): boolean {
  const ns = row.namespace;
  return key.length === ns.length + 1 + row.name.length && key.charCodeAt(ns.length) === 0x2f && key.startsWith(ns) && key.endsWith(row.name);
}

/** The selected row index: the row named `key` when it is shown, else `fallback` clamped. */
export function resolveSelection(rows: readonly ModelRow[], key: string | undefined, fallback: number): number {
  if (key !== undefined) {
    const at = rows.findIndex((r) => hasKey(r, key));
    if (at >= 0) return at;
  }
  return Math.min(Math.max(0, fallback), Math.max(0, rows.length - 1));
}

/**
 * filterRows (rows whose cells contain the filter, case-insensitive) that remembers its last
 * answer: while the rows stay the same and the filter only grows (typed into `/`), it narrows the
 * previous result, which already holds every row that can still match, in order.
 */
export function rowFilter(): (rows: readonly ModelRow[], filter: string) => readonly ModelRow[] {
  let last: { rows: readonly ModelRow[]; needle: string; result: readonly ModelRow[] } | undefined;
  return (rows, filter) => {
    if (!filter) return rows;
    const needle = filter.toLowerCase();
    if (last?.rows === rows && last.needle === needle) return last.result;
    const from = last?.rows === rows && needle.includes(last.needle) ? last.result : rows;
    const result = from.filter((r) => r.search.includes(needle));
    last = { rows, needle, result };
    return result;
  };
}

/** Rows that are not lingering deletions. */
export function liveCount(rows: ReadonlyArray<{ tone: RowTone }>): number {
  let n = 0;
  for (const r of rows) if (r.tone !== 'deleted') n++;
  return n;
}
