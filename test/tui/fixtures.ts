// Rows, stores and a rendered LiveTable for the component tests, without a cluster.
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import type { TableRowObject } from '../../src/lib/api/table-rows.js';
import type { TableColumnDefinition } from '../../src/lib/api/table.js';
import { createStore, type StoreWriter } from '../../src/lib/runtime/store.js';
import { ConnectionStatus } from '../../src/ui/tui/live-table/connection.js';
import { LiveRows } from '../../src/ui/tui/live-table/live-rows.js';
import { LiveTable } from '../../src/ui/tui/live-table/LiveTable.js';
import type { TableLayout } from '../../src/ui/tui/live-table/table-model.js';

/** The pod columns the apiserver sends (IP and NODE only with -o wide). */
export const POD_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name' },
  { name: 'Ready', type: 'string' },
  { name: 'Status', type: 'string' },
  { name: 'Restarts', type: 'string' },
  { name: 'Age', type: 'string' },
  { name: 'IP', type: 'string', priority: 1 },
  { name: 'Node', type: 'string', priority: 1 },
];

export interface PodRow {
  name: string;
  namespace?: string;
  status?: string;
  created?: Date;
  rv?: number;
  uid?: string;
}

/** A pod as a server-rendered row; AGE is deliberately a server string the table must replace. */
export function podRow({ name, namespace = 'default', status = 'Running', created = new Date(Date.now() - 30_000), rv = 1, uid = `uid-${namespace}-${name}` }: PodRow): TableRowObject {
  return {
    metadata: { name, namespace, uid, resourceVersion: String(rv), creationTimestamp: created.toISOString().replace(/\.\d{3}Z$/, 'Z') },
    row: { cells: [name, '1/1', status, 0, 'server-age', '10.0.0.1', 'node-a'], object: { metadata: { name, namespace } } },
    columns: POD_COLUMNS,
  };
}

/** A store already holding `rows` (its first list done), and its writer. */
export function listedStore(rows: TableRowObject[]): { writer: StoreWriter<TableRowObject>; store: ReturnType<typeof createStore<TableRowObject>>['store'] } {
  const { store, writer } = createStore<TableRowObject>();
  writer.apply({ type: 'Init' });
  for (const object of rows) writer.apply({ type: 'InitApply', object });
  writer.apply({ type: 'InitDone' });
  return { store, writer };
}

export const NARROW: TableLayout = { wide: false, namespaceColumn: false, labelColumns: [], showLabels: false };

export interface RenderedTable {
  /** Every frame Ink wrote (ink-testing-library writes one per commit). */
  frames: string[];
  lastFrame(): string | undefined;
  stdin: { write(data: string): void };
  live: LiveRows;
  connection: ConnectionStatus;
  dispose(): void;
}

/** Renders the LiveTable over a store into a fake terminal of `rows` lines (ink-testing-library is 100 columns wide). */
export function renderTable(store: ReturnType<typeof createStore<TableRowObject>>['store'], opts: { rows?: number; layout?: TableLayout } = {}): RenderedTable {
  const live = new LiveRows(store);
  const connection = new ConnectionStatus();
  connection.onState('watching');
  const app = render(createElement(LiveTable, { rows: live, connection, layout: opts.layout ?? NARROW, title: { resource: 'pods', context: 'test', namespace: 'default' } }));
  // The fake stdout has no height: give it one and tell the table, as a terminal resize would.
  Object.defineProperty(app.stdout, 'rows', { value: opts.rows ?? 24, configurable: true });
  app.stdout.emit('resize');
  return {
    frames: app.frames,
    lastFrame: app.lastFrame,
    stdin: app.stdin,
    live,
    connection,
    dispose: () => {
      app.unmount();
      live.dispose();
    },
  };
}

/**
 * Lets React run what it scheduled (renders after external updates, passive effects such as key
 * handlers and resize listeners) and Ink flush a pending Escape: all of it runs on setImmediate,
 * which the tests leave real. A few turns, not a sleep.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

const SGR = '\u001B[';

/** The lines of a frame, without colours. */
export function lines(frame: string | undefined): string[] {
  return (frame ?? '').split('\n').map((line) => line.split(SGR).map((part, i) => (i === 0 ? part : part.slice(part.indexOf('m') + 1))).join(''));
}

/** The SGR style codes (`32` green, `9` strikethrough…) that open on the line starting with `name`, reset codes excluded. */
export function styles(frame: string | undefined, name: string): string[] {
  const line = (frame ?? '').split('\n').find((l) => lines(l)[0]!.startsWith(`${name} `)) ?? '';
  return line
    .split(SGR)
    .slice(1)
    .flatMap((part) => part.slice(0, part.indexOf('m')).split(';'))
    .filter((code) => !['0', '22', '23', '24', '27', '29', '39', '49'].includes(code));
}
