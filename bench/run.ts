// `npm run bench`: ktx side by side with the reference kubectl, @kubernetes/client-node and curl,
// on a private control plane (started here, stopped at the end). Writes bench/results/latest.json
// and the figures section of BENCHMARKS.md. See BENCHMARKS.md for what each figure means.
//
// Options: --reps N (CLI repetitions, default 7), --pods N (default 10000), --rate N (changes per
// second, default 1000), --seconds N (churn duration, default 30), --only startup,get,get-large,
// library,reflector,live-table,explorer,port-forward (default all), --no-write (leave BENCHMARKS.md
// and bench/results/latest.json alone: the results go to bench/results/no-write-<time>.json),
// --report FILE (no measuring: re-render BENCHMARKS.md from a results JSON such as latest.json),
// --merge FILE (take the sections this run skips from an earlier results JSON, with a note),
// --compare DIR (live table and explorer: also measure the build in DIR, e.g. a copy of dist/
// from before a change, alternating with dist/ in the same conditions; --rounds N of each).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '../src/lib/client.js';
import { Config } from '../src/lib/config/config.js';
import { portForwardThroughput, type PortForwardResults } from './port-forward.js';
import { renderReport, type ChurnResult, type ExplorerInteraction, type ExplorerStartup, type Results } from './report.js';
import { seedPods } from './seed.js';
import { childEnv, compare, haveGnuTime, jsonChild, load1, log, median, privateCluster, repoRoot, runOnce, sleep, type PrivateCluster } from './util.js';

const { values: opts } = parseArgs({
  options: {
    reps: { type: 'string', default: '7' },
    pods: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    // Re-render BENCHMARKS.md from a results file without measuring (after a change to report.ts).
    report: { type: 'string' },
    compare: { type: 'string' },
    merge: { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
});
const reps = Number(opts.reps);
const podCount = Number(opts.pods);
const rate = Number(opts.rate);
const churnSeconds = Number(opts.seconds);
const only = new Set((opts.only ?? 'startup,get,get-large,library,reflector,live-table,explorer,port-forward').split(','));
const compareDist = opts.compare ? resolve(opts.compare) : undefined;
const rounds = Math.max(1, Number(opts.rounds));

const SMALL_NS = 'bench-50';
const LARGE_NS = Array.from({ length: 10 }, (_, i) => `bench-10k-${i}`);
const ktxBin = join(repoRoot, 'bin/ktx.js');

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

function writeReport(results: Results): void {
  const report = renderReport(results);
  process.stdout.write(report);
  if (opts['no-write']) return;
  const file = join(repoRoot, 'BENCHMARKS.md');
  const md = readFileSync(file, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const i = md.indexOf(begin);
  const j = md.indexOf(end);
  if (i < 0 || j < i) throw new Error(`BENCHMARKS.md has no ${begin} … ${end} section`);
  writeFileSync(file, `${md.slice(0, i + begin.length)}\n${report}${md.slice(j)}`);
  log('BENCHMARKS.md updated');
}

async function main(): Promise<void> {
  if (opts.report) {
    writeReport(JSON.parse(readFileSync(opts.report, 'utf8')) as Results);
    return;
  }
  const results: Results = {
    date: new Date().toISOString(),
    command: 'npm run bench',
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), os: `${osType()} ${release()}` },
    versions: {
      node: process.version,
      ktx: (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
      clientNode: versionOf('@kubernetes/client-node'),
      undici: versionOf('undici'),
      kubectl: '',
      server: '',
      curl: execFileSync('curl', ['--version'], { encoding: 'utf8' }).split(' ')[1] ?? '',
    },
    load: { start: load1(), samples: [] },
    settings: { reps, pods: podCount, rate, churnSeconds },
    notes: [],
  };
  if (!haveGnuTime) results.notes.push('/usr/bin/time is missing: no peak RSS or CPU figures for command runs.');
  const sample = (what: string) => results.load.samples.push({ what, load1: load1() });

  log('starting a private control plane');
  const cluster: PrivateCluster = await privateCluster();
  const cleanup = async () => {
    log('stopping the private control plane');
    await cluster.down();
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { state } = cluster;
    const env = childEnv(state.kubeconfig);
    const kubectl = state.kubectl;
    results.versions.kubectl = execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8', env }).match(/"gitVersion": "([^"]+)"/)?.[1] ?? '';
    results.versions.server = execFileSync(kubectl, ['version', '-o', 'json'], { encoding: 'utf8', env }).match(/"serverVersion": \{[^}]*"gitVersion": "([^"]+)"/s)?.[1] ?? '';
    const client = new Client(await Config.load({ kubeconfig: state.kubeconfig }));

    log(`seeding ${SMALL_NS} with 50 pods`);
    await seedPods(client, [SMALL_NS], 50);

    if (only.has('startup')) {
      log('startup and small get');
      sample('startup');
      results.startup = await compare(
        [
          { name: 'ktx --help', cmd: process.execPath, args: [ktxBin, '--help'] },
          { name: 'kubectl --help', cmd: kubectl, args: ['--help'] },
          { name: 'ktx version --client', cmd: process.execPath, args: [ktxBin, 'version', '--client'] },
          { name: 'kubectl version --client', cmd: kubectl, args: ['version', '--client'] },
          { name: 'ktx --help (unbundled dist/)', cmd: process.execPath, args: [ktxBin, '--help'], env: { KTX_NO_BUNDLE: '1' } },
          { name: 'node -e 0 (floor)', cmd: process.execPath, args: ['-e', '0'] },
        ],
        reps,
        env,
      );
    }
    if (only.has('get')) {
      sample('get');
      results.getSmall = await compare(
        [
          { name: 'ktx get pods', cmd: process.execPath, args: [ktxBin, 'get', 'pods', '-n', SMALL_NS] },
          { name: 'kubectl get pods', cmd: kubectl, args: ['get', 'pods', '-n', SMALL_NS] },
          { name: 'ktx get pods (unbundled dist/)', cmd: process.execPath, args: [ktxBin, 'get', 'pods', '-n', SMALL_NS], env: { KTX_NO_BUNDLE: '1' } },
        ],
        reps,
        env,
      );
    }

    const needLarge = ['get-large', 'library', 'reflector', 'live-table', 'explorer'].some((s) => only.has(s));
    if (needLarge) {
      log(`seeding ${podCount} pods over ${LARGE_NS.length} namespaces`);
      const t = Date.now();
      await seedPods(client, LARGE_NS, podCount);
      results.seedSeconds = (Date.now() - t) / 1000;
      // Let kwok's status updates and the controllers settle before measuring.
      await sleep(5000);
    }

    if (only.has('get-large')) {
      log(`get pods -A over ${podCount + 50} pods`);
      sample('get-large');
      const largeReps = Math.max(5, Math.ceil(reps / 2));
      results.getLarge = await compare(
        [
          { name: 'ktx get pods -A', cmd: process.execPath, args: [ktxBin, 'get', 'pods', '-A'] },
          { name: 'kubectl get pods -A', cmd: kubectl, args: ['get', 'pods', '-A'] },
          { name: 'ktx get pods -A -o json', cmd: process.execPath, args: [ktxBin, 'get', 'pods', '-A', '-o', 'json'] },
          { name: 'kubectl get pods -A -o json', cmd: kubectl, args: ['get', 'pods', '-A', '-o', 'json'] },
        ],
        largeReps,
        env,
      );
    }

    if (only.has('library')) {
      log('library: list every pod (ktx Api, client-node, curl)');
      sample('library');
      results.library = await libraryBench(cluster, env, Math.max(5, reps - 2));
    }

    if (only.has('reflector')) {
      log(`reflector: relist, then ${rate} changes/s for ${churnSeconds} s`);
      sample('reflector');
      const args = ['--expose-gc', '--import', 'tsx', 'bench/children/reflector.ts'];
      results.reflector = { replay: await replayBench(cluster, args, env), cluster: await churnBench(args, env) };
    }

    if (only.has('live-table')) {
      log(`live table: relist, then ${rate} changes/s for ${churnSeconds} s`);
      sample('live-table');
      const args = ['--expose-gc', '--import', 'tsx', 'bench/children/live-table.tsx'];
      const liveEnv = { ...env, NODE_ENV: 'production' };
      if (!compareDist) {
        results.liveTable = { replay: await replayBench(cluster, args, liveEnv), cluster: await churnBench(args, liveEnv) };
      } else {
        // dist/ and the other build alternately, so that both see the same load.
        const variants = { current: { replay: [] as ChurnResult[], cluster: [] as ChurnResult[] }, baseline: { replay: [] as ChurnResult[], cluster: [] as ChurnResult[] } };
        const baseEnv = { ...liveEnv, KTX_BENCH_DIST: compareDist };
        for (let round = 0; round < rounds; round++) {
          for (const [name, e] of [['current', liveEnv], ['baseline', baseEnv]] as const) {
            log(`  ${name} build, round ${round + 1}/${rounds}`);
            variants[name].replay.push(await replayBench(cluster, args, e));
            variants[name].cluster.push(await churnBench(args, e));
          }
        }
        results.liveTable = { replay: variants.current.replay[0]!, cluster: variants.current.cluster[0]! };
        results.comparison = { ...results.comparison, baseline: compareDist, rounds, liveTable: variants };
      }
    }

    if (only.has('explorer')) {
      log('explorer: startup to first rows, then keys under churn');
      sample('explorer');
      results.explorer = await explorerBench(client, env, results);
    }

    if (only.has('port-forward')) {
      log('port-forward throughput');
      sample('port-forward');
      results.portForward = (await portForwardThroughput({ ktxBin, kubectl, env, namespace: SMALL_NS, pod: 'web-00000', reps: 5 })) as PortForwardResults;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
  results.load.end = load1();
  if (opts.merge) mergeEarlier(results, JSON.parse(readFileSync(opts.merge, 'utf8')) as Results);

  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, opts['no-write'] ? `no-write-${results.date.replace(/[:.]/g, '-')}.json` : 'latest.json');
  writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  log(`results in ${out}`);
  writeReport(results);
}

/**
 * `--merge FILE`: the sections this run did not measure come from an earlier results file (a
 * re-run of one section after a change), and a note says which, and when they were measured.
 */
function mergeEarlier(results: Results, earlier: Results): void {
  const sections = ['seedSeconds', 'startup', 'getSmall', 'getLarge', 'library', 'reflector', 'liveTable', 'explorer', 'portForward'] as const;
  const taken: string[] = [];
  for (const key of sections) {
    if (results[key] !== undefined || earlier[key] === undefined) continue;
    (results as unknown as Record<string, unknown>)[key] = earlier[key];
    taken.push(key);
  }
  if (taken.length === 0) return;
  const measured = new Set(results.load.samples.map((x) => x.what));
  results.load.samples.push(...earlier.load.samples.filter((x) => !measured.has(x.what)));
  results.notes.push(`Sections ${taken.join(', ')} are from the run of ${earlier.date.slice(0, 16).replace('T', ' ')} UTC (load average at its start ${earlier.load.start.toFixed(2)}); this run measured only ${[...only].join(', ')}.`);
}

/**
 * Library list, interleaved round by round (the server's own time varies a lot under load): per
 * round a fresh ktx process and a fresh client-node process (each: one warm-up list, one timed),
 * then curl with gzip and without.
 */
async function libraryBench(cluster: PrivateCluster, env: NodeJS.ProcessEnv, n: number) {
  const run = (mode: string) => jsonChild(['--expose-gc', '--import', 'tsx', 'bench/children/list.ts', mode, '1'], env).result<LibraryChild>();
  const ktx: LibraryChild[] = [];
  const clientNode: LibraryChild[] = [];
  const curl = curlCommands(cluster);
  const curlTimes: number[] = [];
  const curlGzipTimes: number[] = [];
  for (let i = 0; i < n; i++) {
    ktx.push(await run('ktx'));
    clientNode.push(await run('client-node'));
    curlGzipTimes.push(await curlOnce(curl.gzip, env));
    curlTimes.push(await curlOnce(curl.plain, env));
  }
  const size = (args: string[]) => Number(execFileSync('curl', [...args, '-w', '%{size_download}'], { encoding: 'utf8', env }));
  return {
    ktx: summarize(ktx),
    clientNode: summarize(clientNode),
    curl: { timeMs: median(curlTimes), times: curlTimes, gzipTimeMs: median(curlGzipTimes), gzipTimes: curlGzipTimes, bytes: size(curl.plain), gzipBytes: size(curl.gzip) },
  };
}

interface LibraryChild {
  importMs: number;
  items: number;
  times: number[];
  retainedMb: number[];
  peakHeapMb: number;
  maxRssMb: number;
}

function summarize(runs: LibraryChild[]) {
  const times = runs.flatMap((c) => c.times);
  return {
    items: runs[0]!.items,
    importMs: median(runs.map((c) => c.importMs)),
    timeMs: median(times),
    times,
    retainedMb: median(runs.flatMap((c) => c.retainedMb)),
    peakHeapMb: median(runs.map((c) => c.peakHeapMb)),
    maxRssMb: median(runs.map((c) => c.maxRssMb)),
  };
}

async function curlOnce(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const r = await runOnce('curl', args, env);
  if (r.exitCode !== 0) throw new Error(`curl exited ${r.exitCode}: ${r.stderr}`);
  return r.wallMs;
}

/**
 * curl of GET /api/v1/pods with the admin client certificate: transfer only, nothing parsed. ktx
 * and client-node ask for gzip (as kubectl does), and the server compresses large lists; curl
 * --compressed is the same request, and it decompresses too.
 */
function curlCommands(cluster: PrivateCluster): { plain: string[]; gzip: string[] } {
  const kc = JSON.parse(readFileSync(cluster.state.kubeconfig, 'utf8')) as {
    clusters: Array<{ cluster: { 'certificate-authority-data': string } }>;
    users: Array<{ name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }>;
  };
  const admin = kc.users.find((u) => u.name === 'admin') ?? kc.users[0]!;
  const file = (name: string, b64: string) => {
    const p = join(cluster.dir, name);
    writeFileSync(p, Buffer.from(b64, 'base64'), { mode: 0o600 });
    return p;
  };
  const ca = file('bench-ca.crt', kc.clusters[0]!.cluster['certificate-authority-data']);
  const cert = file('bench-admin.crt', admin.user['client-certificate-data']);
  const key = file('bench-admin.key', admin.user['client-key-data']);
  const plain = ['-sS', '--fail', '-o', '/dev/null', '--cacert', ca, '--cert', cert, '--key', key, '-H', 'Accept: application/json', `${cluster.state.server}/api/v1/pods`];
  return { plain, gzip: ['--compressed', ...plain] };
}

interface ChurnChildReady {
  relistMs?: number;
  firstRowsMs?: number;
  objects: number;
}

/**
 * A watcher child (reflector or live table) against the replay server: the cluster's pods, then
 * exactly `rate` changes per second for `churnSeconds`.
 */
async function replayBench(cluster: PrivateCluster, args: string[], env: NodeJS.ProcessEnv): Promise<ChurnResult> {
  const server = jsonChild(['--import', 'tsx', 'bench/children/replay-server.ts'], helperEnv(env));
  try {
    const port = Number(await server.ready());
    const kubeconfig = join(cluster.dir, 'replay.kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'replay', cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: 'replay', user: {} }],
        contexts: [{ name: 'replay', context: { cluster: 'replay', user: 'replay' } }],
        'current-context': 'replay',
      }),
    );
    const child = jsonChild(args, { ...env, KUBECONFIG: kubeconfig }, { stdin: true });
    const ready = JSON.parse(await child.ready()) as ChurnChildReady;
    log(`  replay: relisted ${ready.objects} objects in ${((ready.relistMs ?? NaN) / 1000).toFixed(2)} s`);
    child.child.stdin!.write('start\n');
    await fetch(`http://127.0.0.1:${port}/bench/start?rate=${rate}&seconds=${churnSeconds}`, { method: 'POST' });
    await sleep(churnSeconds * 1000 + 2000);
    child.child.stdin!.write('stop\n');
    const result = await child.result<Omit<ChurnResult, 'churn' | 'load1'>>();
    const stats = (await (await fetch(`http://127.0.0.1:${port}/bench/stats`)).json()) as { sent: number; seconds: number };
    const churn = { achievedPerSecond: stats.sent / stats.seconds, sent: stats.sent, ok: stats.sent, failed: 0, patchP50Ms: NaN, patchP99Ms: NaN, lastError: '' };
    return { ...result, churn, load1: load1() };
  } finally {
    server.child.kill('SIGTERM');
  }
}

/** The environment of the harness's own helpers (replay server, churn): always dist/, whichever build is measured. */
function helperEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { KTX_BENCH_DIST: _measured, ...rest } = env;
  return rest;
}

/** A watcher child (reflector or live table) through its relist and then real churn on the control plane. */
async function churnBench(args: string[], env: NodeJS.ProcessEnv): Promise<ChurnResult> {
  const child = jsonChild(args, env, { stdin: true });
  const ready = JSON.parse(await child.ready()) as ChurnChildReady;
  log(`  control plane: ${ready.objects} objects, ${ready.relistMs !== undefined ? `relisted in ${(ready.relistMs / 1000).toFixed(2)} s` : `first rows after ${((ready.firstRowsMs ?? NaN) / 1000).toFixed(2)} s`}`);
  const churn = jsonChild(['--import', 'tsx', 'bench/children/churn.ts', String(rate), String(churnSeconds), String(podCount), LARGE_NS.join(',')], helperEnv(env));
  await churn.ready();
  child.child.stdin!.write('start\n');
  const load = await churn.result<{ achievedPerSecond: number; sent: number; ok: number; failed: number; patchP50Ms: number; patchP99Ms: number; lastError: string }>();
  // Let the last changes arrive before the window closes.
  await sleep(2000);
  child.child.stdin!.write('stop\n');
  const result = await child.result<Omit<ChurnResult, 'churn' | 'load1'>>();
  return { ...result, churn: load, load1: load1() };
}

/** The namespace with 1,000 pods: one of the large ones when they hold that many, else one seeded for it. */
const THOUSAND_NS = 'bench-1k';

/**
 * The explorer: startup to the first frame with rows of the real `ktx ui` (bin/ktx.js, the bundle)
 * on a pseudo-terminal, for a namespace of 1,000 pods and for all namespaces; then, in a child
 * that renders it into a fake terminal, frame times and key-to-frame latency over all namespaces
 * while the control plane churns.
 */
async function explorerBench(client: Client, env: NodeJS.ProcessEnv, results: Results): Promise<{ startup: ExplorerStartup[]; interaction: ExplorerInteraction }> {
  let ns = THOUSAND_NS;
  if (podCount / LARGE_NS.length === 1000) {
    ns = LARGE_NS[0]!;
  } else {
    log(`seeding ${THOUSAND_NS} with 1000 pods`);
    await seedPods(client, [THOUSAND_NS], 1000);
  }
  const targets = [
    { name: `ktx ui -n ${ns}`, args: ['ui', '-n', ns], pods: 1000 },
    { name: 'ktx ui -A', args: ['ui', '-A'], pods: NaN },
  ];
  const times = new Map<string, Array<{ firstFrameMs: number; firstRowsMs: number }>>(targets.map((t) => [t.name, []]));
  const startupReps = Math.max(5, Math.ceil(reps / 2));
  // One warm-up each (discovery's disk cache, the page cache), then interleaved runs.
  for (let r = -1; r < startupReps; r++) {
    for (const t of targets) {
      const run = await uiFirstRows(t.args, env);
      if (r >= 0) times.get(t.name)!.push(run);
    }
  }
  const objects = await countPods(client);
  const startup = targets.map((t) => {
    const runs = times.get(t.name)!;
    const ts = runs.map((x) => x.firstRowsMs);
    return {
      name: t.name,
      pods: Number.isNaN(t.pods) ? objects : t.pods,
      runs: ts.length,
      firstFrameMs: median(runs.map((x) => x.firstFrameMs)),
      firstRowsMs: median(ts),
      minMs: Math.min(...ts),
      maxMs: Math.max(...ts),
      times: ts,
    };
  });
  for (const s of startup) log(`  ${s.name}: first rows after ${s.firstRowsMs.toFixed(0)} ms (median of ${s.runs})`);

  const args = ['--expose-gc', '--import', 'tsx', 'bench/children/explorer.tsx', '--all-namespaces'];
  const liveEnv = { ...env, NODE_ENV: 'production', FORCE_COLOR: '1' };
  const once = (e: NodeJS.ProcessEnv) => churnBench(args, e) as unknown as Promise<ExplorerInteraction>;
  if (!compareDist) return { startup, interaction: await once(liveEnv) };
  const variants = { current: [] as ExplorerInteraction[], baseline: [] as ExplorerInteraction[] };
  for (let round = 0; round < rounds; round++) {
    variants.current.push(await once(liveEnv));
    variants.baseline.push(await once({ ...liveEnv, KTX_BENCH_DIST: compareDist }));
  }
  results.comparison = { ...results.comparison, baseline: compareDist, rounds, explorer: variants };
  return { startup, interaction: variants.current[0]! };
}

async function countPods(client: Client): Promise<number> {
  const list = await client.json<{ metadata: { remainingItemCount?: number }; items: unknown[] }>({ path: '/api/v1/pods', query: { limit: '1' } });
  return list.items.length + (list.metadata.remainingItemCount ?? 0);
}

// eslint-disable-next-line no-control-regex
const plainText = (s: string) => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

/**
 * One `ktx ui …` on a 160×50 pseudo-terminal (script(1)): ms from spawning it to its first frame
 * (the status line) and to the first output that shows a seeded pod; then `q`, and it must end.
 */
async function uiFirstRows(args: string[], env: NodeJS.ProcessEnv): Promise<{ firstFrameMs: number; firstRowsMs: number }> {
  const command = `stty cols 160 rows 50; exec '${process.execPath}' '${ktxBin}' ${args.join(' ')}`;
  const started = performance.now();
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let firstFrameMs = 0;
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number>((res) => child.on('close', (code) => res(code ?? -1)));
  const ms = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`ktx ${args.join(' ')} showed no rows in 60 s: ${plainText(out).slice(-500)} ${err}`));
    }, 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!firstFrameMs && / objects /.test(plainText(out))) firstFrameMs = performance.now() - started;
      if (/\bweb-\d{5}\b/.test(plainText(out))) {
        clearTimeout(timer);
        res(performance.now() - started);
      }
    });
    void exited.then((code) => rej(new Error(`ktx ${args.join(' ')} exited ${code} before showing rows: ${plainText(out).slice(-500)} ${err}`)));
  });
  child.stdin!.write('q');
  const killer = setTimeout(() => child.kill('SIGTERM'), 5000);
  await exited;
  clearTimeout(killer);
  return { firstFrameMs, firstRowsMs: ms };
}

await main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
