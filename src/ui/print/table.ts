/**
 * Printing a server-side Table (meta.k8s.io/v1) the way kubectl's table printer does
 * (k8s.io/cli-runtime/pkg/printers/tableprinter.go): decorate, then render cells, then align
 * with the tab writer.
 */
import { goSprint, goTypeName } from './gofmt.js';
import { goSortArray } from './gosort.js';
import { TabWriter } from './tabwriter.js';

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: {
    metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string };
    [k: string]: unknown;
  };
}

export interface ServerTable {
  kind?: 'Table';
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

export interface TableOptions {
  /** `-o wide`: also show columns with priority > 0. */
  wide?: boolean;
  /** `-A` on a namespaced type: a leading NAMESPACE column from each row's object metadata. */
  namespaceColumn?: boolean;
  /** `-L`: one column per label key, headed by the upper-cased last `/` segment. */
  labelColumns?: string[];
  /** `--show-labels`: a trailing LABELS column (`k=v,…` or `<none>`). */
  showLabels?: boolean;
  /** Several types or `--show-kind`: the name cell becomes `<kindPrefix>/<name>`, e.g. 'deployment.apps'. */
  kindPrefix?: string;
  /** `--no-headers`. */
  noHeaders?: boolean;
  /** `--output-watch-events`: the event type, shown in a leading EVENT column padded to 8. */
  eventType?: string;
}

const EVENT_TYPES: Record<string, string> = { ADDED: 'ADDED   ', MODIFIED: 'MODIFIED', DELETED: 'DELETED ', ERROR: 'ERROR   ' };

/**
 * The header and cell texts kubectl writes for a table: columns decorated (NAMESPACE first,
 * `-L` columns then LABELS last, EVENT before all), priority > 0 columns dropped unless wide,
 * names upper-cased; cells rendered: null → empty, strings cut at the first line break with
 * `...` appended, ESC → `^[`, other values in Go's `%v` form.
 */
export function tableLines(table: ServerTable, opts: TableOptions): { header: string[]; rows: string[][] } {
  const { columns, rows } = decorate(table, opts);
  const visible = columns.map((c) => opts.wide || !c.priority);
  const header = columns.filter((_, i) => visible[i]).map((c) => upper(c.name));
  const rendered = rows.map((cells) => {
    const out: string[] = [];
    // Cells beyond the column definitions are dropped, as kubectl does for bad server output.
    cells.slice(0, columns.length).forEach((cell, i) => {
      if (visible[i]) out.push(renderCell(cell));
    });
    return out;
  });
  return { header, rows: rendered };
}

/**
 * The table as kubectl prints it: the header line (unless `noHeaders`, or the table has no
 * rows) and the rows, aligned by `writer` (a new kubectl-configured TabWriter by default; pass
 * one to keep remembered widths across calls, as `get -w` does).
 */
export function renderTable(table: ServerTable, opts: TableOptions, writer: TabWriter = new TabWriter()): string {
  const { header, rows } = tableLines(table, opts);
  const lines = !opts.noHeaders && table.rows.length > 0 ? [header, ...rows] : rows;
  return writer.format(lines);
}

/** decorateTable plus the EVENT column: decorated columns and raw cells per row. */
function decorate(table: ServerTable, opts: TableOptions): { columns: TableColumn[]; rows: unknown[][] } {
  const labelKeys = opts.labelColumns ?? [];
  const columns: TableColumn[] = [
    ...(opts.namespaceColumn ? [{ name: 'Namespace', type: 'string' }] : []),
    ...table.columnDefinitions,
    ...labelKeys.map((key) => ({ name: upper(key.split('/').pop() ?? ''), type: 'string' })),
    ...(opts.showLabels ? [{ name: 'Labels', type: 'string' }] : []),
  ];
  const width = columns.length;
  const nameColumn = opts.kindPrefix ? table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string') : -1;
  const includeLabels = labelKeys.length > 0 || !!opts.showLabels;
  const rows = table.rows.map((row) => {
    let cells = [...row.cells];
    if (nameColumn >= 0) cells[nameColumn] = `${opts.kindPrefix}/${sprintfS(cells[nameColumn])}`;
    if (!(includeLabels || opts.namespaceColumn || nameColumn >= 0)) return cells;
    const meta = metadataOf(row);
    if (!meta) {
      // kubectl means to pad to the full width here, but its loop stops half way.
      if (opts.namespaceColumn) cells = [null, ...cells];
      for (let j = 0; j < width - cells.length; j++) cells.push(null);
      return cells;
    }
    if (opts.namespaceColumn) cells = [meta.namespace ?? '', ...cells];
    if (includeLabels) {
      const labels = meta.labels ?? {};
      for (const key of labelKeys) cells.push(labels[key] ?? '');
      if (opts.showLabels) cells.push(formatLabels(labels));
    }
    return cells;
  });
  if (opts.eventType) {
    const event = EVENT_TYPES[opts.eventType] ?? opts.eventType;
    return { columns: [{ name: 'Event', type: 'string' }, ...columns], rows: rows.map((cells) => [event, ...cells]) };
  }
  return { columns, rows };
}

/** The row's object metadata (meta.Accessor), or undefined when the row carries no object. */
function metadataOf(row: TableRow): { namespace?: string; labels?: Record<string, string> } | undefined {
  if (row.object === null || typeof row.object !== 'object') return undefined;
  const meta = row.object.metadata;
  return meta !== null && typeof meta === 'object' ? meta : {};
}

/** labels.FormatLabels: `k=v` pairs sorted as strings, joined by commas; `<none>` when empty. */
export function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return '<none>';
  return goSortArray(pairs, (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0).join(',');
}

/**
 * One cell as printTable writes it: nothing for null; a string up to its first \n, \r or \f
 * plus `...`; anything else in fmt's `%v` form; then ESC shown as `^[` and CR as `\r`.
 */
export function renderCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const cut = cell.search(/[\f\n\r]/);
    return cut < 0 ? escapeTerminal(cell) : `${escapeTerminal(cell.slice(0, cut))}...`;
  }
  return escapeTerminal(goSprint(cell));
}

/** printers.EscapeTerminal: ESC becomes `^[` and a carriage return `\r`, against terminal injection. */
export function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

/** fmt's `%s` of a cell: strings as is, anything else as Go's bad-verb form `%!s(type=value)`. */
function sprintfS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeName(v)}=${goSprint(v)})`;
}

/** strings.ToUpper, rune by rune (a rune whose upper case is several runes stays as is). */
function upper(s: string): string {
  return Array.from(s, (ch) => {
    const u = ch.toUpperCase();
    return Array.from(u).length === 1 ? u : ch;
  }).join('');
}
