// Turns bench results into the Markdown section of BENCHMARKS.md.
import type { PortForwardResults } from './port-forward.js';
import type { VariantStats } from './util.js';

export interface LagStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ChurnResult {
  relistMs: number;
  firstFrameMs?: number;
  objects: number;
  afterRelist?: { rssMb: number; heapMb: number };
  states?: string[];
  seconds: number;
  applied: number;
  appliedPerSecond: number;
  applyLag: LagStats;
  frames: number;
  framesPerSecond: number;
  renderMs: LagStats;
  screenLag: LagStats;
  cpuPercent: number;
  maxRssMb: number;
  maxHeapMb: number;
  terminal?: { writes: number; writesPerSecond: number; mbPerSecond: number };
  churn: { achievedPerSecond: number; sent: number; ok: number; failed: number; patchP50Ms: number; patchP99Ms: number; lastError: string };
  load1: number;
}

/** One `ktx ui` startup measured on a pseudo-terminal: spawn to the first output showing a pod. */
export interface ExplorerStartup {
  name: string;
  pods: number;
  runs: number;
  /** Median ms to the first frame (the status line, before any rows). */
  firstFrameMs: number;
  firstRowsMs: number;
  minMs: number;
  maxMs: number;
  times: number[];
}

/** The explorer child (bench/children/explorer.tsx) through churn on the control plane. */
export interface ExplorerInteraction {
  importMs: number;
  firstFrameMs: number;
  firstRowsMs: number;
  objects: number;
  seconds: number;
  frames: number;
  framesPerSecond: number;
  renderMs: LagStats;
  keyToFrame: { move: LagStats; filter: LagStats; missed: number };
  cpuPercent: number;
  maxRssMb: number;
  maxHeapMb: number;
  churn: ChurnResult['churn'];
  load1: number;
}

interface LibraryEntry {
  items: number;
  importMs: number;
  timeMs: number;
  times: number[];
  retainedMb: number;
  peakHeapMb: number;
  maxRssMb: number;
}

export interface Results {
  date: string;
  command: string;
  machine: { cpu: string; cores: number; memoryGb: number; os: string };
  versions: Record<string, string>;
  load: { start: number; end?: number; samples: Array<{ what: string; load1: number }> };
  settings: { reps: number; pods: number; rate: number; churnSeconds: number };
  notes: string[];
  seedSeconds?: number;
  startup?: VariantStats[];
  getSmall?: VariantStats[];
  getLarge?: VariantStats[];
  library?: { ktx: LibraryEntry; clientNode: LibraryEntry; curl: { timeMs: number; times: number[]; gzipTimeMs: number; gzipTimes: number[]; bytes: number; gzipBytes: number } };
  reflector?: { replay: ChurnResult; cluster: ChurnResult };
  liveTable?: { replay: ChurnResult; cluster: ChurnResult };
  explorer?: { startup: ExplorerStartup[]; interaction: ExplorerInteraction };
  portForward?: PortForwardResults;
  /** `--compare DIR`: the live table and explorer measured for dist/ (current) and DIR (baseline), alternately. */
  comparison?: {
    baseline: string;
    rounds: number;
    liveTable?: Record<'current' | 'baseline', { replay: ChurnResult[]; cluster: ChurnResult[] }>;
    explorer?: Record<'current' | 'baseline', ExplorerInteraction[]>;
  };
}

// NaN becomes null in results JSON.
const missing = (x: number | null | undefined): x is null | undefined => x === undefined || x === null || Number.isNaN(x);
const ms = (x: number | null | undefined) => (missing(x) ? 'n/a' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const mb = (x: number | null | undefined) => (missing(x) ? 'n/a' : `${x.toFixed(0)} MB`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? 'n/a' : `${(a / b).toFixed(2)}×`);
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

function pairTable(stats: VariantStats[], pairs: Array<[string, string]>): string {
  const by = new Map(stats.map((s) => [s.name, s]));
  const rows = ['| command | wall (median) | min–max | peak RSS | CPU | ktx / kubectl wall | ktx / kubectl RSS |', '|---|---|---|---|---|---|---|'];
  const seen = new Set<string>();
  for (const [a, b] of pairs) {
    for (const name of [a, b]) {
      const s = by.get(name);
      if (!s || seen.has(name)) continue;
      seen.add(name);
      const other = by.get(b);
      const isKtx = name === a && other && name !== b;
      rows.push(
        `| \`${s.name}\` | ${ms(s.wallMs)} | ${ms(s.wallMinMs)}–${ms(s.wallMaxMs)} | ${mb(s.maxRssMb)} | ${ms(s.cpuMs)} | ${isKtx ? ratio(s.wallMs, other.wallMs) : ''} | ${isKtx ? ratio(s.maxRssMb, other.maxRssMb) : ''} |`,
      );
    }
  }
  for (const s of stats) {
    if (seen.has(s.name)) continue;
    rows.push(`| \`${s.name}\` | ${ms(s.wallMs)} | ${ms(s.wallMinMs)}–${ms(s.wallMaxMs)} | ${mb(s.maxRssMb)} | ${ms(s.cpuMs)} | | |`);
  }
  return rows.join('\n');
}

function lag(l: LagStats | undefined): string {
  return l && l.count ? `p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}, p99 ${ms(l.p99Ms)}, max ${ms(l.maxMs)}` : 'n/a';
}

export function renderReport(r: Results): string {
  const out: string[] = [];
  const v = r.versions;
  out.push(`## Latest figures`);
  out.push('');
  out.push(`Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC with \`${r.command}\` on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memoryGb} GB, ${r.machine.os}).`);
  out.push(
    `Node ${v.node}; ktx ${v.ktx}; kubectl ${v.kubectl}; server ${v.server}; @kubernetes/client-node ${v.clientNode} (undici ${v.undici} via npm overrides); curl ${v.curl}.`,
  );
  out.push(
    `Load average (1 min) at start ${r.load.start}, at the end ${r.load.end ?? 'n/a'}; per section: ${r.load.samples.map((s) => `${s.what} ${s.load1}`).join(', ')}. ` +
      `Medians of ${r.settings.reps} interleaved runs after one warm-up (large lists: ${Math.max(5, Math.ceil(r.settings.reps / 2))}).`,
  );
  if (r.seedSeconds) out.push(`Seeding ${r.settings.pods} Running pods took ${r.seedSeconds.toFixed(0)} s.`);
  for (const n of r.notes) out.push(`Note: ${n}`);
  out.push('');

  const targets: string[] = ['| target | figure | verdict |', '|---|---|---|'];

  if (r.startup || r.getSmall) {
    out.push('### 1. Startup and `get pods` (50 pods)');
    out.push('');
    const stats = [...(r.getSmall ?? []), ...(r.startup ?? [])];
    out.push(
      pairTable(stats, [
        ['ktx get pods', 'kubectl get pods'],
        ['ktx --help', 'kubectl --help'],
        ['ktx version --client', 'kubectl version --client'],
      ]),
    );
    out.push('');
    const by = new Map(stats.map((s) => [s.name, s]));
    const k = by.get('ktx get pods');
    const c = by.get('kubectl get pods');
    if (k && c) {
      targets.push(`| \`get pods\` (50) wall ≤ kubectl | ${ms(k.wallMs)} vs ${ms(c.wallMs)} (${ratio(k.wallMs, c.wallMs)}) | ${verdict(k.wallMs <= c.wallMs)} |`);
      targets.push(`| \`get pods\` (50) memory ≤ kubectl | ${mb(k.maxRssMb)} vs ${mb(c.maxRssMb)} (${ratio(k.maxRssMb, c.maxRssMb)}) | ${verdict((k.maxRssMb ?? Infinity) <= (c.maxRssMb ?? 0))} |`);
    }
  }

  if (r.getLarge) {
    out.push(`### 2. \`get pods -A\` over ${r.settings.pods + 50} pods`);
    out.push('');
    out.push(
      pairTable(r.getLarge, [
        ['ktx get pods -A', 'kubectl get pods -A'],
        ['ktx get pods -A -o json', 'kubectl get pods -A -o json'],
      ]),
    );
    out.push('');
    const by = new Map(r.getLarge.map((s) => [s.name, s]));
    for (const [a, b] of [
      ['ktx get pods -A', 'kubectl get pods -A'],
      ['ktx get pods -A -o json', 'kubectl get pods -A -o json'],
    ] as const) {
      const k = by.get(a);
      const c = by.get(b);
      if (!k || !c) continue;
      targets.push(`| \`${a.slice(4)}\` (10k) wall ≤ kubectl | ${ms(k.wallMs)} vs ${ms(c.wallMs)} (${ratio(k.wallMs, c.wallMs)}) | ${verdict(k.wallMs <= c.wallMs)} |`);
      targets.push(`| \`${a.slice(4)}\` (10k) memory ≤ kubectl | ${mb(k.maxRssMb)} vs ${mb(c.maxRssMb)} (${ratio(k.maxRssMb, c.maxRssMb)}) | ${verdict((k.maxRssMb ?? Infinity) <= (c.maxRssMb ?? 0))} |`);
    }
  }

  if (r.library) {
    const { ktx, clientNode, curl } = r.library;
    const floor = curl.gzipTimeMs;
    // In-process list times against a new curl process per run: at or under the floor means "at the floor".
    const over = (t: number) => (t - floor > 0 ? ms(t - floor) : 'none (at the floor)');
    const overRatio = ktx.timeMs > floor && clientNode.timeMs > floor ? ratio(clientNode.timeMs - floor, ktx.timeMs - floor) : `n/a (ktx at the floor; client-node ${over(clientNode.timeMs)} over it)`;
    out.push(
      `### 3. Library: list all ${ktx.items} pods (\`GET /api/v1/pods\`, one response: ${(curl.bytes / 2 ** 20).toFixed(1)} MB of JSON, ${(curl.gzipBytes / 2 ** 20).toFixed(1)} MB gzipped)`,
    );
    out.push('');
    out.push('| client | time per list (median) | over the curl floor | retained heap (the result) | peak heap | peak RSS | import |');
    out.push('|---|---|---|---|---|---|---|');
    out.push(`| ktx \`Api.all(client, pods).list()\` | ${ms(ktx.timeMs)} | ${over(ktx.timeMs)} | ${mb(ktx.retainedMb)} | ${mb(ktx.peakHeapMb)} | ${mb(ktx.maxRssMb)} | ${ms(ktx.importMs)} |`);
    out.push(
      `| client-node \`CoreV1Api.listPodForAllNamespaces()\` | ${ms(clientNode.timeMs)} | ${over(clientNode.timeMs)} | ${mb(clientNode.retainedMb)} | ${mb(clientNode.peakHeapMb)} | ${mb(clientNode.maxRssMb)} | ${ms(clientNode.importMs)} |`,
    );
    out.push(`| curl --compressed (gzip like both clients; transfer and gunzip, no parsing; new process and TLS handshake per run) | ${ms(curl.gzipTimeMs)} | | | | | |`);
    out.push(`| curl (identity encoding) | ${ms(curl.timeMs)} | | | | | |`);
    out.push('');
    out.push(
      `client-node / ktx: time ${ratio(clientNode.timeMs, ktx.timeMs)}, time over the curl floor ${overRatio}, retained heap ${ratio(clientNode.retainedMb, ktx.retainedMb)}. ktx / curl --compressed: ${ratio(ktx.timeMs, floor)}.`,
    );
    out.push('');
    targets.push(`| library list ≥ 3× faster than client-node | ${ms(ktx.timeMs)} vs ${ms(clientNode.timeMs)} (${ratio(clientNode.timeMs, ktx.timeMs)}; time over the curl floor: ${overRatio}) | ${verdict(clientNode.timeMs >= 3 * ktx.timeMs)} |`);
    targets.push(`| library list within 1.5× of curl | ${ms(ktx.timeMs)} vs ${ms(floor)} (${ratio(ktx.timeMs, floor)}) | ${verdict(ktx.timeMs <= 1.5 * floor)} |`);
  }

  const churnSection = (title: string, pair: { replay: ChurnResult; cluster: ChurnResult }, live: boolean) => {
    const { replay: a, cluster: b } = pair;
    const row = (what: string, f: (c: ChurnResult) => string) => out.push(`| ${what} | ${f(a)} | ${f(b)} |`);
    out.push(title);
    out.push('');
    out.push(`| figure | replay server: exactly ${r.settings.rate}/s | local control plane: real patches, ${r.settings.rate}/s asked |`);
    out.push('|---|---|---|');
    row(`initial relist (${a.objects} ${live ? 'rows' : 'pods'})`, (c) => `${ms(c.relistMs)}${c.states ? ` (${c.states.join(' → ')})` : ''}`);
    if (live) row('first frame with rows', (c) => ms(c.firstFrameMs));
    if (!live) row('memory after relist (after GC)', (c) => (c.afterRelist ? `RSS ${mb(c.afterRelist.rssMb)}, heap ${mb(c.afterRelist.heapMb)}` : 'n/a'));
    row('changes sent', (c) => `${c.churn.achievedPerSecond.toFixed(0)}/s (${c.churn.ok}${c.churn.failed ? `, ${c.churn.failed} failed` : ''}${missing(c.churn.patchP50Ms) ? '' : `; patch p50 ${ms(c.churn.patchP50Ms)}, p99 ${ms(c.churn.patchP99Ms)}`})`);
    row('events applied to the store', (c) => `${c.appliedPerSecond.toFixed(0)}/s over ${c.seconds.toFixed(1)} s (${c.applied})`);
    row('lag, change sent → store', (c) => lag(c.applyLag));
    if (live) {
      row('frames rendered (Ink maxFps 15)', (c) => `${c.framesPerSecond.toFixed(1)}/s; render ${lag(c.renderMs)}`);
      row('terminal writes', (c) => (c.terminal ? `${c.terminal.writesPerSecond.toFixed(1)}/s, ${c.terminal.mbPerSecond.toFixed(2)} MB/s` : 'n/a'));
      row('lag, change sent → frame on screen', (c) => lag(c.screenLag));
    }
    row('CPU of the process (one core = 100%)', (c) => `${c.cpuPercent.toFixed(0)}%`);
    row('peak memory during the changes', (c) => `RSS ${mb(c.maxRssMb)}, heap ${mb(c.maxHeapMb)}`);
    row('load average at the end', (c) => String(c.load1));
    out.push('');
  };
  if (r.reflector) {
    churnSection(`### 4. Reflector: relist, then ${r.settings.rate} changes/s for ${r.settings.churnSeconds} s`, r.reflector, false);
    const c = r.reflector.replay;
    targets.push(`| reflector lag ≤ 200 ms at 1,000 events/s (replay) | p95 ${ms(c.applyLag.p95Ms)}, p99 ${ms(c.applyLag.p99Ms)} at ${c.appliedPerSecond.toFixed(0)}/s | ${verdict(c.applyLag.p95Ms <= 200 && c.appliedPerSecond >= 0.95 * r.settings.rate)} |`);
  }
  if (r.liveTable) {
    churnSection(`### 5. Live table (Ink, 160×50): the same streams`, r.liveTable, true);
    const c = r.liveTable.replay;
    targets.push(`| live table lag ≤ 200 ms at 1,000 events/s (replay) | p95 ${ms(c.screenLag.p95Ms)}, p99 ${ms(c.screenLag.p99Ms)} at ${c.appliedPerSecond.toFixed(0)}/s | ${verdict(c.screenLag.p95Ms <= 200 && c.appliedPerSecond >= 0.95 * r.settings.rate)} |`);
  }

  if (r.portForward) {
    const p = r.portForward;
    out.push('### 6. port-forward throughput (echo through kwok; payload counted once)');
    out.push('');
    out.push('| connections | ktx | kubectl | ktx / kubectl |');
    out.push('|---|---|---|---|');
    out.push(`| 1 × ${p.single.payloadMb} MB | ${p.single.ktxMbPerSecond.toFixed(1)} MB/s | ${p.single.kubectlMbPerSecond.toFixed(1)} MB/s | ${ratio(p.single.ktxMbPerSecond, p.single.kubectlMbPerSecond)} |`);
    out.push(
      `| ${p.concurrent.connections} × ${p.concurrent.payloadMbEach} MB | ${p.concurrent.ktxMbPerSecond.toFixed(1)} MB/s | ${p.concurrent.kubectlMbPerSecond.toFixed(1)} MB/s | ${ratio(p.concurrent.ktxMbPerSecond, p.concurrent.kubectlMbPerSecond)} |`,
    );
    out.push('');
    if (p.ktxCpuPercent !== undefined) out.push(`ktx port-forward process CPU during the transfers: ${p.ktxCpuPercent.toFixed(0)}% of one core.`);
    out.push('');
    targets.push(`| port-forward, 1 connection ≥ kubectl | ${ratio(p.single.ktxMbPerSecond, p.single.kubectlMbPerSecond)} | ${verdict(p.single.ktxMbPerSecond >= p.single.kubectlMbPerSecond)} |`);
    targets.push(`| port-forward, 20 connections ≥ kubectl | ${ratio(p.concurrent.ktxMbPerSecond, p.concurrent.kubectlMbPerSecond)} | ${verdict(p.concurrent.ktxMbPerSecond >= p.concurrent.kubectlMbPerSecond)} |`);
  }

  if (r.explorer) {
    const { startup, interaction: x } = r.explorer;
    out.push('### 7. Explorer (`ktx ui`, 160×50)');
    out.push('');
    out.push('Startup: the real `ktx ui` (bin/ktx.js) on a pseudo-terminal (script(1)), from spawning the process to its first frame and to the first output that shows a pod; medians of interleaved runs after one warm-up each.');
    out.push('');
    out.push('| command | pods | first frame (median) | first rows (median) | min–max |');
    out.push('|---|---|---|---|---|');
    for (const s of startup) out.push(`| \`${s.name}\` | ${s.pods} | ${ms(s.firstFrameMs)} | ${ms(s.firstRowsMs)} | ${ms(s.minMs)}–${ms(s.maxMs)} |`);
    out.push('');
    out.push(`All namespaces, rendered into a fake terminal in-process, while the control plane churns (keys: \`j\`/\`k\` until the selected row moves; a \`/\` filter typed one character at a time until the filter line shows it; one key at a time, 150 ms apart):`);
    out.push('');
    out.push(`| figure | local control plane: real patches, ${r.settings.rate}/s asked |`);
    out.push('|---|---|');
    out.push(`| process start → first frame, → first frame with rows (${x.objects} rows; this child runs under tsx on unbundled dist/, so it starts slower than \`ktx ui\`) | ${ms(x.firstFrameMs)}, ${ms(x.firstRowsMs)} (modules loaded after ${ms(x.importMs)}) |`);
    out.push(`| changes sent | ${x.churn.achievedPerSecond.toFixed(0)}/s (${x.churn.ok}${x.churn.failed ? `, ${x.churn.failed} failed` : ''}) |`);
    out.push(`| frames rendered (table snapshots at most every 67 ms, keys at once; Ink maxFps 60) | ${x.framesPerSecond.toFixed(1)}/s; render ${lag(x.renderMs)} |`);
    out.push(`| key → frame, moving the selection | ${lag(x.keyToFrame.move)} |`);
    out.push(`| key → frame, typing a filter | ${lag(x.keyToFrame.filter)}${x.keyToFrame.missed ? ` (${x.keyToFrame.missed} keys not shown within 3 s)` : ''} |`);
    out.push(`| CPU of the process (one core = 100%) | ${x.cpuPercent.toFixed(0)}% |`);
    out.push(`| peak memory | RSS ${mb(x.maxRssMb)}, heap ${mb(x.maxHeapMb)} |`);
    out.push(`| load average at the end | ${x.load1} |`);
    out.push('');
    const thousand = startup.find((s) => s.pods === 1000);
    if (thousand) targets.push(`| explorer first rows (1,000 pods) ≤ 1 s | ${ms(thousand.firstRowsMs)} (${ms(thousand.minMs)}–${ms(thousand.maxMs)}) | ${verdict(thousand.firstRowsMs <= 1000)} |`);
    const all = startup.find((s) => s.pods !== 1000);
    const keyP95 = Math.max(x.keyToFrame.move.p95Ms, x.keyToFrame.filter.p95Ms);
    if (all) {
      targets.push(
        `| explorer smooth with ${all.pods} pods: key → frame p95 ≤ 100 ms under churn | first rows ${ms(all.firstRowsMs)}; move p95 ${ms(x.keyToFrame.move.p95Ms)}, filter p95 ${ms(x.keyToFrame.filter.p95Ms)}; render p95 ${ms(x.renderMs.p95Ms)} | ${verdict(keyP95 <= 100 && !x.keyToFrame.missed)} |`,
      );
    }
  }

  if (r.comparison) {
    const c = r.comparison;
    out.push(`### Comparison: dist/ (current) and ${c.baseline} (baseline), alternating, ${c.rounds} round(s)`);
    out.push('');
    if (c.liveTable) {
      out.push('| live table | build | lag, change sent → frame on screen | render | CPU | load |');
      out.push('|---|---|---|---|---|---|');
      for (const stream of ['replay', 'cluster'] as const) {
        for (const build of ['current', 'baseline'] as const) {
          c.liveTable[build][stream].forEach((x, i) => out.push(`| ${stream} #${i + 1} | ${build} | ${lag(x.screenLag)} | ${lag(x.renderMs)} | ${x.cpuPercent.toFixed(0)}% | ${x.load1} |`));
        }
      }
      out.push('');
    }
    if (c.explorer) {
      out.push('| explorer (all namespaces, churn) | build | key → frame, move | key → frame, filter | render | CPU | load |');
      out.push('|---|---|---|---|---|---|---|');
      for (const build of ['current', 'baseline'] as const) {
        c.explorer[build].forEach((x, i) => out.push(`| #${i + 1} | ${build} | ${lag(x.keyToFrame.move)} | ${lag(x.keyToFrame.filter)} | ${lag(x.renderMs)} | ${x.cpuPercent.toFixed(0)}% | ${x.load1} |`));
      }
      out.push('');
    }
  }

  out.push('### Targets');
  out.push('');
  out.push(targets.join('\n'));
  out.push('');
  return out.join('\n');
}
