// Column widths that stay calm: the model's widths (every row it modelled, grown from changed rows
// only, so scrolling does not re-align) plus the visible AGE cells, remembered and only ever grown
// while the columns stay the same. Shared by the live table and the explorer.
import { useRef } from 'react';
import { growWidths } from './table-model.js';

export function useCalmWidths(headers: readonly string[], modelWidths: readonly number[], visible: ReadonlyArray<readonly string[]>): number[] {
  const memory = useRef<{ headers: readonly string[]; widths: number[] }>({ headers: [], widths: [] });
  const same = memory.current.headers.length === headers.length && memory.current.headers.every((h, i) => h === headers[i]);
  const base = same ? memory.current.widths : [];
  const widths = growWidths(
    headers.map((_, i) => Math.max(base[i] ?? 0, modelWidths[i] ?? 0)),
    headers,
    visible,
  );
  memory.current = { headers, widths };
  return widths;
}
