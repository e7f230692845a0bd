// Server-side Table decoration and cell rendering, and --sort-by over Table rows.
import { describe, expect, it } from 'vitest';
import { formatLabels, renderCell, renderTable, sortTableRows, tableLines, type ServerTable, type TableRow } from '../../src/ui/print/index.js';

function podTable(rows: TableRow[]): ServerTable {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Ready', type: 'string', priority: 0 },
      { name: 'Restarts', type: 'integer', priority: 0 },
      { name: 'Age', type: 'string', priority: 0 },
      { name: 'Nominated Node', type: 'string', priority: 1 },
    ],
    rows,
  };
}

const row = (name: string, restarts: unknown, meta: Record<string, unknown> = {}): TableRow => ({
  cells: [name, '1/1', restarts, '5m', '<none>'],
  object: { metadata: { name, namespace: 'ns1', ...meta } },
});

describe('renderCell', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    ['Running', 'Running'],
    ['Active\nx', 'Active...'],
    ['a\rb', 'a...'],
    ['a\fb', 'a...'],
    ['\x1b[31mred', '^[[31mred'],
    [3, '3'],
    [1.5, '1.5'],
    [1e6 + 0.5, '1.0000005e+06'],
    [true, 'true'],
    [{ b: 1, a: 'x' }, 'map[a:x b:1]'],
    [[1, 'a', null], '[1 a <nil>]'],
  ])('%j renders as %j', (cell, want) => {
    expect(renderCell(cell)).toBe(want);
  });
});

describe('tableLines', () => {
  const table = podTable([row('a', 0, { labels: { app: 'web', 'app.kubernetes.io/name': 'x' } }), row('bb', '3 (5m ago)')]);

  it('drops priority columns unless wide and upper-cases names', () => {
    expect(tableLines(table, {}).header).toEqual(['NAME', 'READY', 'RESTARTS', 'AGE']);
    expect(tableLines(table, { wide: true }).header).toEqual(['NAME', 'READY', 'RESTARTS', 'AGE', 'NOMINATED NODE']);
    expect(tableLines(table, {}).rows).toEqual([
      ['a', '1/1', '0', '5m'],
      ['bb', '1/1', '3 (5m ago)', '5m'],
    ]);
  });

  it('adds NAMESPACE first, -L columns, then LABELS last, and EVENT before all', () => {
    const lines = tableLines(table, { namespaceColumn: true, labelColumns: ['app.kubernetes.io/name', 'missing'], showLabels: true, eventType: 'MODIFIED' });
    expect(lines.header).toEqual(['EVENT', 'NAMESPACE', 'NAME', 'READY', 'RESTARTS', 'AGE', 'NAME', 'MISSING', 'LABELS']);
    expect(lines.rows[0]).toEqual(['MODIFIED', 'ns1', 'a', '1/1', '0', '5m', 'x', '', 'app.kubernetes.io/name=x,app=web']);
    expect(lines.rows[1]).toEqual(['MODIFIED', 'ns1', 'bb', '1/1', '3 (5m ago)', '5m', '', '', '<none>']);
  });

  it('pads event types to 8 characters and passes unknown ones through', () => {
    expect(tableLines(table, { eventType: 'ADDED' }).rows[0]![0]).toBe('ADDED   ');
    expect(tableLines(table, { eventType: 'DELETED' }).rows[0]![0]).toBe('DELETED ');
    expect(tableLines(table, { eventType: 'BOOKMARK' }).rows[0]![0]).toBe('BOOKMARK');
  });

  it('prefixes the name column with the kind', () => {
    expect(tableLines(table, { kindPrefix: 'deployment.apps' }).rows.map((r) => r[0])).toEqual(['deployment.apps/a', 'deployment.apps/bb']);
  });

  it('rows without an object get empty decoration cells, padded only half way as kubectl does', () => {
    const bare: ServerTable = { columnDefinitions: [{ name: 'Name', type: 'string' }], rows: [{ cells: ['x'] }] };
    expect(tableLines(bare, { namespaceColumn: true, labelColumns: ['a', 'b', 'c'], showLabels: true }).rows).toEqual([['', 'x', '', '']]);
  });

  it('ignores cells beyond the column definitions', () => {
    const extra: ServerTable = { columnDefinitions: [{ name: 'Name', type: 'string' }], rows: [{ cells: ['x', 'surplus'] }] };
    expect(tableLines(extra, {}).rows).toEqual([['x']]);
  });
});

describe('renderTable', () => {
  it('aligns with the tab writer and prints the header only when there are rows', () => {
    const table = podTable([row('a', 0), row('long-name-here', 1)]);
    expect(renderTable(table, {})).toBe('NAME             READY   RESTARTS   AGE\na                1/1     0          5m\nlong-name-here   1/1     1          5m\n');
    expect(renderTable(table, { noHeaders: true })).toBe('a                1/1   0     5m\nlong-name-here   1/1   1     5m\n');
    expect(renderTable(podTable([]), {})).toBe('');
  });
});

describe('formatLabels', () => {
  it('sorts the k=v strings, not the keys', () => {
    expect(formatLabels({ a: '2', 'a-b': '1', b: '0' })).toBe('a-b=1,a=2,b=0');
    expect(formatLabels({})).toBe('<none>');
  });
});

describe('sortTableRows', () => {
  const objRow = (name: string, spec: Record<string, unknown>): TableRow => ({ cells: [name], object: { metadata: { name }, spec } });
  const table = (rows: TableRow[]): ServerTable => ({ columnDefinitions: [{ name: 'Name', type: 'string', format: 'name' }], rows });
  const names = (t: ServerTable) => t.rows.map((r) => r.cells[0]);

  it('sorts numbers numerically and puts rows without the field first', () => {
    const t = table([objRow('a', { n: 10 }), objRow('b', { n: 9 }), objRow('c', {}), objRow('d', { n: -1 })]);
    expect(names(sortTableRows(t, '.spec.n'))).toEqual(['c', 'd', 'b', 'a']);
    expect(names(sortTableRows(t, '{.spec.n}'))).toEqual(['c', 'd', 'b', 'a']);
  });

  it('sorts strings bytewise, and as quantities when both sides are quantities', () => {
    const t = table([objRow('a', { s: '1Gi' }), objRow('b', { s: '100Mi' }), objRow('c', { s: '500m' }), objRow('d', { s: '2' })]);
    expect(names(sortTableRows(t, '.spec.s'))).toEqual(['c', 'd', 'b', 'a']);
    const words = table([objRow('a', { s: 'b10' }), objRow('b', { s: 'b9' }), objRow('c', { s: 'B' })]);
    expect(names(sortTableRows(words, '.spec.s'))).toEqual(['c', 'a', 'b']);
    const times = table([objRow('a', { t: '2024-05-01T00:00:00Z' }), objRow('b', { t: '2023-12-31T23:59:59Z' })]);
    expect(names(sortTableRows(times, '.spec.t'))).toEqual(['b', 'a']);
  });

  it('keeps equal rows in order for up to 12 rows (insertion sort) and reorders larger ties like Go', () => {
    const small = table(Array.from({ length: 12 }, (_, i) => objRow(`r${i}`, { k: i % 2 })));
    expect(names(sortTableRows(small, '.spec.k'))).toEqual(['r0', 'r2', 'r4', 'r6', 'r8', 'r10', 'r1', 'r3', 'r5', 'r7', 'r9', 'r11']);
    const large = table(Array.from({ length: 20 }, (_, i) => objRow(`r${i}`, { k: i % 2 })));
    // Go's pdqsort, not a stable sort: this order is what kubectl prints.
    expect(names(sortTableRows(large, '.spec.k'))).toEqual([10, 18, 2, 16, 4, 0, 6, 14, 8, 12, 5, 11, 9, 13, 7, 15, 3, 17, 1, 19].map((i) => `r${i}`));
  });

  it('leaves tables of fewer than two rows alone', () => {
    const one = table([objRow('a', {})]);
    expect(sortTableRows(one, '{{bad')).toBe(one);
  });

  it("fails with kubectl's messages", () => {
    const t = table([objRow('a', { n: 1 }), objRow('b', { n: 'x' }), objRow('c', { m: {} }), objRow('d', { m: {} })]);
    expect(() => sortTableRows(t, '.spec.zzz')).toThrow('couldn\'t find any field with path "{.spec.zzz}" in the list of objects');
    expect(() => sortTableRows(t, '{.spec[}')).toThrow('sorting error: unterminated array');
    expect(() => sortTableRows(t, '.spec.n')).toThrow('Field {.spec.n} in [][][]reflect.Value is an unsortable type: interface, err: unsortable interface: interface');
    expect(() => sortTableRows(t, '.spec.m')).toThrow('unsortable type: map[string]interface {}');
  });
});
