/**
 * `kubectl get --sort-by` for Tables (k8s.io/kubectl/pkg/cmd/get/sorter.go TableSorter): the
 * JSONPath is evaluated on each row's full object (`includeObject=Object`) and rows are
 * ordered by the first value found, with Go's sort.Sort (not stable) and kubectl's isLess.
 * A row without a value sorts first.
 */
import { relaxedJsonPathExpression } from './custom-columns.js';
import { goQuote } from './gofmt.js';
import { goSort } from './gosort.js';
import { findJsonPathResults } from './jsonpath.js';
import { parseJsonPath } from './jsonpath-parse.js';
import { sortValueLess, UnsortableError } from './sort-values.js';
import type { ServerTable } from './table.js';

/**
 * Returns a copy of the table with its rows sorted by `sortBy` (`.metadata.name` or
 * `{.metadata.name}`). Tables with fewer than two rows are returned as they are. Throws with
 * kubectl's messages: `sorting error: …`, `couldn't find any field with path "{…}" in the list
 * of objects`, and `Field {…} in [][][]reflect.Value is an unsortable type: interface, err: …`.
 */
export function sortTableRows(table: ServerTable, sortBy: string): ServerTable {
  if (table.rows.length <= 1) return table;
  let field: string;
  try {
    field = relaxedJsonPathExpression(sortBy);
  } catch {
    field = sortBy;
  }
  let template;
  try {
    template = parseJsonPath(field);
  } catch (err) {
    throw new Error(`sorting error: ${(err as Error).message}`);
  }
  const rows = table.rows.map((row) => {
    let found: unknown[][];
    try {
      found = findJsonPathResults(template, row.object ?? null, { allowMissingKeys: true });
    } catch (err) {
      throw new Error(`Failed to get values for [][]reflect.Value(nil) using ${field} (&errors.errorString{s:${goQuote((err as Error).message)}})`);
    }
    const first = found[0];
    return { row, hasValue: first !== undefined && first.length > 0, value: first?.[0] };
  });
  if (!rows.some((r) => r.hasValue)) throw new Error(`couldn't find any field with path ${goQuote(field)} in the list of objects`);
  goSort(
    rows.length,
    (i, j) => {
      const a = rows[i]!;
      const b = rows[j]!;
      if (!a.hasValue) return true;
      if (!b.hasValue) return false;
      try {
        return sortValueLess(a.value, b.value);
      } catch (err) {
        if (!(err instanceof UnsortableError)) throw err;
        throw new Error(`Field ${field} in [][][]reflect.Value is an unsortable type: interface, err: ${err.message}`);
      }
    },
    (i, j) => {
      const t = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = t;
    },
  );
  return { ...table, rows: rows.map((r) => r.row) };
}
