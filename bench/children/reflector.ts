// The reflector under load: a watcher over every pod feeding a Store. Reports the initial relist,
// then (between `start` and `stop` lines on stdin) the changes applied per second, the lag from a
// change being sent (`bench.ktx.dev/ts`) to the store applying it, CPU and memory.
// Usage: node --expose-gc --import tsx bench/children/reflector.ts
import { createInterface } from 'node:readline';
import { Window } from './window.js';
import { fromDist } from './dist.js';
import type * as ApiModule from '../../src/lib/api/api.js';
import type * as ClientModule from '../../src/lib/client.js';
import type * as ConfigModule from '../../src/lib/config/config.js';
import type * as StoreModule from '../../src/lib/runtime/store.js';
import type * as WatcherModule from '../../src/lib/runtime/watcher.js';
import type * as ResourcesModule from '../../src/lib/types/resources.js';
import type { Pod } from '../../src/lib/types/index.js';

const { Api } = await fromDist<typeof ApiModule>('lib/api/api.js');
const { Client } = await fromDist<typeof ClientModule>('lib/client.js');
const { Config } = await fromDist<typeof ConfigModule>('lib/config/config.js');
const { createStore, runReflector } = await fromDist<typeof StoreModule>('lib/runtime/store.js');
const { watcher } = await fromDist<typeof WatcherModule>('lib/runtime/watcher.js');
const { pods } = await fromDist<typeof ResourcesModule>('lib/types/resources.js');

const rawGc = (globalThis as { gc?: () => void }).gc!;
const gc = () => {
  for (let i = 0; i < 4; i++) rawGc();
};
const t0 = performance.now();
const client = new Client(await Config.load());
const { store, writer } = createStore<Pod>();
const stop = new AbortController();
const modes: string[] = [];
const pump = runReflector(writer, watcher(Api.all(client, pods), { signal: stop.signal, onState: (s) => modes.push(s) }));

const window = new Window();
store.subscribe((changes) => {
  const now = Date.now();
  for (const c of changes) {
    const ts = c.object.metadata?.annotations?.['bench.ktx.dev/ts'];
    window.applied(ts ? now - Number(ts) : undefined);
  }
});

await store.ready();
const relistMs = performance.now() - t0;
gc();
const afterRelist = { rssMb: process.memoryUsage().rss / 2 ** 20, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
process.stdout.write(`READY ${JSON.stringify({ relistMs, objects: store.size, ...afterRelist })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'start') window.start();
  if (line === 'stop') break;
}
const result = window.stop();
stop.abort();
await pump;
process.stdout.write(`${JSON.stringify({ relistMs, objects: store.size, afterRelist, states: [...new Set(modes)], ...result })}\n`);
process.exit(0);
