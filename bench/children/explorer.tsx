// The explorer (`ktx ui`) in a 160×50 fake terminal: what src/ui/tui/explorer/run.tsx renders (a
// ClusterSource over the session's client and discovery, <Explorer> with the same Ink options),
// so that frames and keys can be timed from inside. It reports when the first frame and the first
// frame with rows were written, in ms since the process started; then, between `start` and `stop`
// lines on stdin, it presses keys and times each from the key to the first frame that shows it:
// `j`/`k` (the inverse-video selected row moves) and a `/` filter typed a character at a time (the
// filter line shows it). Render times come from Ink's onRender. Run with NODE_ENV=production and
// FORCE_COLOR=1 (a terminal has colours, and the selected row is found by its inverse video).
// Usage: node --expose-gc --import tsx bench/children/explorer.tsx NAMESPACE|--all-namespaces [--startup-only]
// (KTX_BENCH_FRAMES=FILE appends every write to the terminal to FILE, to see what a key waited for.)
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PassThrough, Writable } from 'node:stream';
import { render } from 'ink';
import { fromDist } from './dist.js';
import { lagStats, Window } from './window.js';
import type * as ClientModule from '../../src/lib/client.js';
import type * as ConfigModule from '../../src/lib/config/config.js';
import type * as DiscoveryModule from '../../src/lib/discovery/discovery.js';
import type * as ClusterSourceModule from '../../src/ui/tui/explorer/cluster-source.js';
import type * as ExplorerModule from '../../src/ui/tui/explorer/Explorer.js';

const { Client } = await fromDist<typeof ClientModule>('lib/client.js');
const { Config } = await fromDist<typeof ConfigModule>('lib/config/config.js');
const { Discovery } = await fromDist<typeof DiscoveryModule>('lib/discovery/discovery.js');
const { ClusterSource } = await fromDist<typeof ClusterSourceModule>('ui/tui/explorer/cluster-source.js');
const explorerModule = await fromDist<Partial<typeof ExplorerModule>>('ui/tui/explorer/Explorer.js');
const Explorer = explorerModule.Explorer!;
// What run.tsx passes; a build from before EXPLORER_MAX_FPS (a --compare baseline) used 15.
const maxFps = explorerModule.EXPLORER_MAX_FPS ?? 15;
const importMs = performance.now();

const target = process.argv[2] ?? '--all-namespaces';
const allNamespaces = target === '--all-namespaces';
const startupOnly = process.argv.includes('--startup-only');
const COLUMNS = 160;
const ROWS = 50;
/** The seeded pods' names (bench/seed.ts). */
const ROW_NAME = /\bweb-\d{5}\b/;

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

/** A frame Ink wrote: its text without styles, the name on the selected (inverse) row, when it was written. */
interface Frame {
  text: string;
  selected: string | undefined;
  at: number;
}
let firstFrameMs = 0;
let firstRowsMs = 0;
let last: Frame | undefined;
let onFrame: ((f: Frame) => void) | undefined;
const terminal = Object.assign(
  new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      const raw = chunk.toString();
      const at = performance.now();
      // Ink writes each frame whole (erase, then every line) in one write, between writes that
      // only begin and end synchronized output: the frame is the write with text.
      if (!plain(raw).trim()) return void cb();
      const selectedLine = raw.split('\n').find((l) => l.includes('\u001B[7m') && ROW_NAME.test(plain(l)));
      const frame: Frame = { text: plain(raw), selected: selectedLine ? plain(selectedLine).match(ROW_NAME)![0] : undefined, at };
      firstFrameMs ||= at;
      if (!firstRowsMs && ROW_NAME.test(frame.text)) firstRowsMs = at;
      if (process.env.KTX_BENCH_FRAMES) appendFileSync(process.env.KTX_BENCH_FRAMES, `=== ${at.toFixed(0)}\n${JSON.stringify(raw)}\n`);
      last = frame;
      onFrame?.(frame);
      cb();
    },
  }),
  { isTTY: true, columns: COLUMNS, rows: ROWS },
) as unknown as NodeJS.WriteStream;
const keyboard = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => keyboard, ref: () => keyboard, unref: () => keyboard }) as unknown as NodeJS.ReadStream;

// What openSession builds for `ktx ui`.
const config = await Config.load();
const client = new Client(config);
const source = new ClusterSource({ client, discovery: Discovery.forClient(client), namespace: allNamespaces ? config.namespace : target, context: config.contextName, config });

const window = new Window();
const app = render(<Explorer source={source} {...(allNamespaces ? { allNamespaces: true } : {})} />, {
  stdout: terminal,
  stdin: keyboard,
  stderr: terminal,
  exitOnCtrlC: false,
  patchConsole: false,
  maxFps,
  onRender: ({ renderTime }) => window.frame(renderTime),
});

const readyBy = performance.now() + 120_000;
while (!firstRowsMs) {
  if (performance.now() > readyBy) throw new Error(`no rows on screen after 2 minutes; last frame:\n${last?.text ?? '(none)'}`);
  await new Promise((r) => setTimeout(r, 10));
}
const rowsOnScreen = Number(last?.text.match(/(\d+) objects/)?.[1] ?? NaN);
const startup = { importMs, firstFrameMs, firstRowsMs, objects: rowsOnScreen };
if (startupOnly) {
  process.stdout.write(`${JSON.stringify(startup)}\n`);
  process.exit(0);
}
// Let the first list settle (the rest of a paged list, the watch) before keys are timed.
await new Promise((r) => setTimeout(r, 1000));
for (let i = 0; i < 4; i++) (globalThis as { gc?: () => void }).gc?.();
process.stdout.write(`READY ${JSON.stringify(startup)}\n`);

const KEY_TIMEOUT_MS = 3000;
const lags = { move: [] as number[], filter: [] as number[] };
let missed = 0;
let running = false;

/** Presses `key` and resolves with the ms until a frame satisfies `shows` (undefined after the timeout). */
function press(key: string, shows: (f: Frame) => boolean): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const timer = setTimeout(() => {
      onFrame = undefined;
      resolve(undefined);
    }, KEY_TIMEOUT_MS);
    onFrame = (f) => {
      if (!shows(f)) return;
      clearTimeout(timer);
      onFrame = undefined;
      resolve(f.at - t0);
    };
    keyboard.write(key);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function keys(): Promise<void> {
  const record = (kind: keyof typeof lags, ms: number | undefined) => {
    if (!running) return;
    if (ms === undefined) missed++;
    else lags[kind].push(ms);
  };
  for (let round = 0; running; round++) {
    // Ten moves down (or back up), each shown as a different selected row.
    for (let i = 0; i < 10 && running; i++) {
      const before = last?.selected;
      record('move', await press(round % 2 ? 'k' : 'j', (f) => f.selected !== undefined && f.selected !== before));
      await pause(150);
    }
    // A filter, typed: `/` opens the filter line, each character shows in it.
    if (!running) break;
    record('filter', await press('/', (f) => /^\/ /m.test(f.text)));
    let typed = '';
    for (const ch of `web-0${round % 10}1`) {
      if (!running) break;
      typed += ch;
      const expected = `/${typed}`;
      record('filter', await press(ch, (f) => f.text.includes(expected)));
      await pause(150);
    }
    // Esc clears the filter: wait for the filter line to go before the next round.
    await press('\u001B', (f) => !f.text.includes(`/${typed}`));
    await pause(150);
  }
}

let keyLoop: Promise<void> = Promise.resolve();
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'start') {
    window.start();
    running = true;
    keyLoop = keys();
  }
  if (line === 'stop') break;
}
running = false;
const result = window.stop();
await keyLoop;
app.unmount();
const { applied, appliedPerSecond, applyLag, screenLag, ...rest } = result;
void applied;
void appliedPerSecond;
void applyLag;
void screenLag;
process.stdout.write(`${JSON.stringify({ ...startup, ...rest, keyToFrame: { move: lagStats(lags.move), filter: lagStats(lags.filter), missed } })}\n`);
process.exit(0);
