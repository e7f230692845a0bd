// One library listing every pod of the cluster (GET /api/v1/pods, one response), several times in
// one process: the time of each call (request to parsed objects) and the heap the result holds.
// Usage: node --expose-gc --import tsx bench/children/list.ts ktx|client-node REPS
// Prints one JSON line: { importMs, items, times[], retainedMb[], peakHeapMb, maxRssMb }.
import { getHeapStatistics } from 'node:v8';
import { fromDist } from './dist.js';
import type * as IndexModule from '../../src/lib/index.js';

const [mode, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const rawGc = (globalThis as { gc?: () => void }).gc;
if (!rawGc) throw new Error('run with --expose-gc');
// Several full collections: after one, heapUsed still counts memory that is being swept.
const gc = () => {
  for (let i = 0; i < 4; i++) rawGc();
};

const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;

let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size)), 5);

const importStarted = performance.now();
let listOnce: () => Promise<unknown[]>;
if (mode === 'ktx') {
  // The built library (npm run build), as a program that installed ktx would load it.
  const { Api, Client, Config, pods } = await fromDist<typeof IndexModule>('lib/index.js');
  const client = new Client(await Config.load());
  const api = Api.all(client, pods);
  listOnce = async () => (await api.list()).items;
} else if (mode === 'client-node') {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  listOnce = async () => (await core.listPodForAllNamespaces()).items;
} else {
  throw new Error(`unknown mode ${mode}`);
}
const importMs = performance.now() - importStarted;

// One warm-up call: JIT, TLS session, discovery-free path.
let items = (await listOnce()).length;
const times: number[] = [];
const retainedMb: number[] = [];
const sinceBeforeMb: number[] = [];
/**
 * One timed call; the heap it retains is the heap with the result held minus the heap after it is
 * dropped (measured after another turn of the event loop, so no async frame still refers to it).
 */
async function measure(): Promise<{ ms: number; retained: number; sinceBefore: number; n: number }> {
  gc();
  const before = heapMb();
  const t0 = performance.now();
  let held: unknown[] | undefined = await listOnce();
  const ms = performance.now() - t0;
  gc();
  const withResult = heapMb();
  const n = held.length;
  held = undefined;
  await new Promise((r) => setTimeout(r, 0));
  gc();
  return { ms, retained: withResult - heapMb(), sinceBefore: withResult - before, n };
}
for (let i = 0; i < reps; i++) {
  const m = await measure();
  times.push(m.ms);
  retainedMb.push(m.retained);
  sinceBeforeMb.push(m.sinceBefore);
  items = m.n;
}
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({ importMs, items, times, retainedMb, sinceBeforeMb, peakHeapMb: peakHeap / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
process.exit(0);
