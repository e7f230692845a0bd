// The change stream: merge-patches pod annotations at a fixed rate, round robin over the seeded
// pods. Each patch stamps `bench.ktx.dev/ts` with the time it was sent, so a watcher can tell the
// lag from change to arrival (and to screen).
// Usage: node --import tsx bench/children/churn.ts RATE SECONDS COUNT NS1,NS2,…
// Prints `READY` when connected, then one JSON line when done.
import { fromDist } from './dist.js';
import type * as ApiModule from '../../src/lib/api/api.js';
import type * as ClientModule from '../../src/lib/client.js';
import type * as ConfigModule from '../../src/lib/config/config.js';
import type * as ResourcesModule from '../../src/lib/types/resources.js';

const { Api } = await fromDist<typeof ApiModule>('lib/api/api.js');
const { Client } = await fromDist<typeof ClientModule>('lib/client.js');
const { Config } = await fromDist<typeof ConfigModule>('lib/config/config.js');
const { pods } = await fromDist<typeof ResourcesModule>('lib/types/resources.js');

const [rateArg, secondsArg, countArg, nsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const count = Number(countArg);
const namespaceNames = nsArg!.split(',');
const MAX_IN_FLIGHT = 256;

const client = new Client(await Config.load(), { maxRetries: 0 });
const apis = namespaceNames.map((ns) => Api.namespaced(client, pods, ns));
// Warm the connection pool before the clock starts.
await Promise.all(apis.map((a) => a.list({ limit: 1 })));
process.stdout.write('READY\n');

let sent = 0;
let ok = 0;
let failed = 0;
let inFlight = 0;
const latencies: number[] = [];
let lastError = '';
const started = performance.now();
const end = started + seconds * 1000;

function send(seq: number): void {
  const i = seq % count;
  const api = apis[i % apis.length]!;
  const name = `web-${String(i).padStart(5, '0')}`;
  const t0 = performance.now();
  inFlight++;
  api
    .patch(name, { type: 'merge', body: { metadata: { annotations: { 'bench.ktx.dev/ts': String(Date.now()), 'bench.ktx.dev/seq': String(seq) } } } })
    .then(
      () => {
        ok++;
        latencies.push(performance.now() - t0);
      },
      (e: unknown) => {
        failed++;
        lastError = e instanceof Error ? e.message : String(e);
      },
    )
    .finally(() => inFlight--);
}

await new Promise<void>((resolve) => {
  const tick = () => {
    const now = performance.now();
    if (now >= end) return resolve();
    const due = Math.floor(((now - started) / 1000) * rate);
    while (sent < due && inFlight < MAX_IN_FLIGHT) send(sent++);
    setTimeout(tick, 5);
  };
  tick();
});
const elapsed = (performance.now() - started) / 1000;
while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ rate, seconds: elapsed, sent, ok, failed, achievedPerSecond: ok / elapsed, patchP50Ms: q(0.5), patchP99Ms: q(0.99), lastError })}\n`,
);
process.exit(0);
