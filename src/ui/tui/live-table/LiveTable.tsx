// The live table: a status line, the column header, the rows that fit the screen, and a key help
// or filter line. Everything that can be computed without React lives in table-model.ts.
import { Box, Text } from 'ink';
import { memo, useMemo, useReducer } from 'react';
import type { ConnectionStatus } from './connection.js';
import { KEY_HELP, type InputMode } from './keys.js';
import type { LiveRows, RowTone } from './live-rows.js';
import { StatusLine, type TableTitle } from './StatusLine.js';
import { cellsAt, filterRows, formatLine, padCells, sortRows, TableModeler, type TableLayout } from './table-model.js';
import { useClock } from './use-clock.js';
import { useConnection, useLiveRows } from './use-live-rows.js';
import { useTableKeys } from './use-table-keys.js';
import { useCalmWidths } from './use-calm-widths.js';
import { useTerminalSize } from './use-terminal-size.js';
import { clampOffset, initialViewState, viewReducer } from './view-state.js';

export interface LiveTableProps {
  rows: LiveRows;
  connection: ConnectionStatus;
  layout: TableLayout;
  title: TableTitle;
}

// Status line, column header and footer; one more line stays free because Ink clears the whole
// screen on every frame once the output is as tall as the terminal.
const CHROME_LINES = 4;

export function LiveTable({ rows, connection, layout, title }: LiveTableProps) {
  const snapshot = useLiveRows(rows);
  const conn = useConnection(connection);
  const now = useClock();
  const size = useTerminalSize();
  const modeler = useMemo(() => new TableModeler(layout), [layout]);
  const model = useMemo(() => modeler.model(snapshot), [modeler, snapshot]);
  const [view, dispatch] = useReducer(viewReducer, initialViewState);
  const sortColumn = view.sortColumn % Math.max(1, model.headers.length);
  const sorted = useMemo(() => sortRows(model.rows, sortColumn, model.ageColumn), [model, sortColumn]);
  const shown = useMemo(() => filterRows(sorted, view.filter), [sorted, view.filter]);

  const pageSize = Math.max(1, size.rows - CHROME_LINES);
  const bounds = { rows: shown.length, pageSize, columns: model.headers.length };
  useTableKeys(dispatch, view.mode, bounds);
  const offset = clampOffset(view.offset, bounds);
  const visible = shown.slice(offset, offset + pageSize);
  const visibleCells = visible.map((r) => cellsAt(r, model.ageColumn, now));
  const widths = useCalmWidths(model.headers, model.widths, visibleCells);

  return (
    <Box flexDirection="column">
      <StatusLine title={title} connection={conn} count={snapshot.count} matching={view.filter ? liveCount(shown) : undefined} />
      <Header headers={model.headers} widths={widths} sortColumn={sortColumn} />
      {visible.length === 0 ? (
        <Text dimColor>{emptyText(conn.state === 'listing', view.filter, title)}</Text>
      ) : (
        visible.map((r, i) => <Row key={r.uid} line={formatLine(visibleCells[i]!, widths)} tone={r.tone} />)
      )}
      <Footer mode={view.mode} filter={view.filter} position={shown.length > pageSize ? `${offset + 1}-${offset + visible.length} of ${shown.length}` : ''} />
    </Box>
  );
}

/** Column names; the sort column is underlined. */
function Header({ headers, widths, sortColumn }: { headers: readonly string[]; widths: readonly number[]; sortColumn: number }) {
  const cells = padCells(headers, widths);
  return (
    <Text bold wrap="truncate-end">
      {cells.slice(0, sortColumn).join('')}
      <Text underline>{headers[sortColumn] ?? ''}</Text>
      {(cells[sortColumn] ?? '').slice((headers[sortColumn] ?? '').length)}
      {cells.slice(sortColumn + 1).join('')}
    </Text>
  );
}

const TONE_STYLE: Record<RowTone, { color?: string; bold?: boolean; strikethrough?: boolean; dimColor?: boolean }> = {
  steady: {},
  added: { color: 'green', bold: true },
  changed: { color: 'yellow', bold: true },
  deleted: { color: 'red', strikethrough: true, dimColor: true },
};

const Row = memo(function Row({ line, tone }: { line: string; tone: RowTone }) {
  return (
    <Text wrap="truncate-end" {...TONE_STYLE[tone]}>
      {line}
    </Text>
  );
});

function Footer({ mode, filter, position }: { mode: InputMode; filter: string; position: string }) {
  if (mode === 'filter') {
    return (
      <Text wrap="truncate-end">
        <Text color="cyan">/</Text>
        {filter}
        <Text inverse> </Text>
        <Text dimColor>{'  Enter keeps the filter, Esc clears it'}</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" dimColor>
      {filter ? `filter: ${filter}  ` : ''}
      {position ? `${position}  ` : ''}
      {KEY_HELP}
    </Text>
  );
}

function liveCount(rows: readonly { tone: RowTone }[]): number {
  let n = 0;
  for (const r of rows) if (r.tone !== 'deleted') n++;
  return n;
}

function emptyText(listing: boolean, filter: string, title: TableTitle): string {
  if (listing) return 'Listing…';
  if (filter) return `No rows match "${filter}".`;
  return title.namespace && !title.allNamespaces ? `No resources found in ${title.namespace} namespace.` : 'No resources found';
}
