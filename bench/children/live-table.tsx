// The live table under load: what `ktx get pods -A -w` runs on a terminal (src/ui/tui/watch-table.tsx:
// a TableRowsApi watcher → Store → LiveRows → <LiveTable> rendered by Ink with the same options),
// drawing into a 160×50 fake terminal. Between `start` and `stop` lines on stdin it reports frames
// per second, the lag from a change being sent (`bench.ktx.dev/ts`) to the first frame rendered
// after it, CPU and memory. Run with NODE_ENV=production (React's production build, as bundled).
// Usage: node --expose-gc --import tsx bench/children/live-table.tsx
import { createInterface } from 'node:readline';
import { PassThrough, Writable } from 'node:stream';
import { render } from 'ink';
import { Window } from './window.js';
import { fromDist } from './dist.js';
import type * as TableRowsModule from '../../src/lib/api/table-rows.js';
import type * as ClientModule from '../../src/lib/client.js';
import type * as ConfigModule from '../../src/lib/config/config.js';
import type * as StoreModule from '../../src/lib/runtime/store.js';
import type * as WatcherModule from '../../src/lib/runtime/watcher.js';
import type * as ResourcesModule from '../../src/lib/types/resources.js';
import type * as ConnectionModule from '../../src/ui/tui/live-table/connection.js';
import type * as LiveRowsModule from '../../src/ui/tui/live-table/live-rows.js';
import type * as LivetableModule from '../../src/ui/tui/live-table/LiveTable.js';
import type { TableRowObject } from '../../src/lib/api/table-rows.js';

const { TableRowsApi } = await fromDist<typeof TableRowsModule>('lib/api/table-rows.js');
const { Client } = await fromDist<typeof ClientModule>('lib/client.js');
const { Config } = await fromDist<typeof ConfigModule>('lib/config/config.js');
const { createStore, runReflector } = await fromDist<typeof StoreModule>('lib/runtime/store.js');
const { watcher } = await fromDist<typeof WatcherModule>('lib/runtime/watcher.js');
const { pods } = await fromDist<typeof ResourcesModule>('lib/types/resources.js');
const { ConnectionStatus } = await fromDist<typeof ConnectionModule>('ui/tui/live-table/connection.js');
const { LiveRows } = await fromDist<typeof LiveRowsModule>('ui/tui/live-table/live-rows.js');
const { LiveTable } = await fromDist<typeof LivetableModule>('ui/tui/live-table/LiveTable.js');

const COLUMNS = 160;
const ROWS = 50;

let writes = 0;
let bytes = 0;
const terminal = Object.assign(
  new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      writes++;
      bytes += chunk.length;
      cb();
    },
  }),
  { isTTY: true, columns: COLUMNS, rows: ROWS },
) as unknown as NodeJS.WriteStream;
const keyboard = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => keyboard, ref: () => keyboard, unref: () => keyboard }) as unknown as NodeJS.ReadStream;

const t0 = performance.now();
const client = new Client(await Config.load());
const api = new TableRowsApi(client, pods, undefined);
const { store, writer } = createStore<TableRowObject>();
const connection = new ConnectionStatus();
const stop = new AbortController();
const window = new Window();

// Changes the store applied and LiveRows has not published yet, then published and not yet drawn.
let applied: number[] = [];
let published: number[] = [];
store.subscribe((changes) => {
  const now = Date.now();
  for (const c of changes) {
    const ts = c.object.metadata.annotations?.['bench.ktx.dev/ts'];
    if (!ts || !window.running) continue;
    window.applied(now - Number(ts));
    applied.push(Number(ts));
  }
});
const pump = runReflector(writer, watcher(api, { signal: stop.signal, onState: connection.onState, onError: connection.onError }));
const rows = new LiveRows(store);
rows.subscribe(() => {
  // Registered before Ink's subscription: this publish is what the next render commits.
  published = published.concat(applied);
  applied = [];
});

let firstFrameWithRows = 0;
const app = render(<LiveTable rows={rows} connection={connection} layout={{ wide: false, namespaceColumn: true, labelColumns: [], showLabels: false }} title={{ resource: 'pods', allNamespaces: true }} />, {
  stdout: terminal,
  stdin: keyboard,
  stderr: terminal,
  exitOnCtrlC: false,
  patchConsole: false,
  maxFps: 15,
  onRender: ({ renderTime }) => {
    const now = Date.now();
    if (!firstFrameWithRows && rows.getSnapshot().ready) firstFrameWithRows = performance.now() - t0;
    window.frame(renderTime);
    for (const ts of published) window.screen(now - ts);
    published = [];
  },
});

await store.ready();
const relistMs = performance.now() - t0;
while (!firstFrameWithRows) await new Promise((r) => setTimeout(r, 20));
for (let i = 0; i < 4; i++) (globalThis as { gc?: () => void }).gc?.();
process.stdout.write(`READY ${JSON.stringify({ relistMs, firstFrameMs: firstFrameWithRows, objects: store.size })}\n`);

let writesAtStart = 0;
let bytesAtStart = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'start') {
    writesAtStart = writes;
    bytesAtStart = bytes;
    window.start();
  }
  if (line === 'stop') break;
}
const result = window.stop();
const written = { writes: writes - writesAtStart, writesPerSecond: (writes - writesAtStart) / result.seconds, mbPerSecond: (bytes - bytesAtStart) / result.seconds / 2 ** 20 };
app.unmount();
stop.abort();
rows.dispose();
await pump;
process.stdout.write(`${JSON.stringify({ relistMs, firstFrameMs: firstFrameWithRows, objects: store.size, ...result, terminal: written })}\n`);
process.exit(0);
