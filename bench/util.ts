// Shared pieces of the benchmark harness: a private control plane, process measurement, statistics.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterState } from '../test/cluster/harness.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export const load1 = () => Number(loadavg()[0]!.toFixed(2));

// ---------------------------------------------------------------------------------------------
// A private control plane (test/cluster/harness.ts with its own directory and ports), so that
// 10,000 pods and a churn of 1,000 changes per second never reach the shared test cluster.

export interface PrivateCluster {
  state: ClusterState;
  dir: string;
  down(): Promise<void>;
}

function clusterCli(dir: string, cmd: 'up' | 'down'): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/cluster/cli.ts'), cmd], {
      cwd: repoRoot,
      env: { ...process.env, KTX_CLUSTER_DIR: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`cluster ${cmd} exited ${code}: ${err.trim().split('\n').slice(-10).join('\n')}`))));
  });
}

export async function privateCluster(): Promise<PrivateCluster> {
  const base = mkdtempSync(join(tmpdir(), 'ktx-bench-'));
  const dir = join(base, 'cluster');
  let stopped = false;
  const down = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await clusterCli(dir, 'down');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  };
  try {
    await clusterCli(dir, 'up');
  } catch (err) {
    await down().catch(() => undefined);
    throw err;
  }
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as ClusterState;
  return { state, dir, down };
}

// ---------------------------------------------------------------------------------------------
// One run of a command: wall time (spawn to exit), peak RSS and CPU time (GNU time's wait4
// rusage, when /usr/bin/time exists), exit code.

export interface RunResult {
  wallMs: number;
  maxRssMb: number | undefined;
  cpuMs: number | undefined;
  exitCode: number;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
export const haveGnuTime = existsSync(GNU_TIME);

export async function runOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const timeFile = join(tmpdir(), `ktx-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [file, argv] = haveGnuTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const started = performance.now();
  const child = spawn(file, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exitCode = await new Promise<number>((res, rej) => {
    child.on('error', rej);
    child.on('close', (code) => res(code ?? -1));
  });
  const wallMs = performance.now() - started;
  let maxRssMb: number | undefined;
  let cpuMs: number | undefined;
  if (haveGnuTime) {
    try {
      const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!;
      const [rssKb, user, sys] = line.split(' ').map(Number);
      maxRssMb = rssKb! / 1024;
      cpuMs = (user! + sys!) * 1000;
    } catch {
      // no measurement
    }
    rmSync(timeFile, { force: true });
  }
  return { wallMs, maxRssMb, cpuMs, exitCode, stderr };
}

export interface Variant {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface VariantStats {
  name: string;
  runs: number;
  wallMs: number;
  wallMinMs: number;
  wallMaxMs: number;
  maxRssMb: number | undefined;
  cpuMs: number | undefined;
}

/** Runs the variants interleaved (A B C A B C …) after one warm-up each; medians per variant. */
export async function compare(variants: Variant[], reps: number, baseEnv: NodeJS.ProcessEnv): Promise<VariantStats[]> {
  const results = new Map<string, RunResult[]>(variants.map((v) => [v.name, []]));
  for (let r = -1; r < reps; r++) {
    for (const v of variants) {
      const res = await runOnce(v.cmd, v.args, { ...baseEnv, ...v.env });
      if (res.exitCode !== 0) throw new Error(`${v.name} exited ${res.exitCode}: ${res.stderr.trim().slice(0, 500)}`);
      if (r >= 0) results.get(v.name)!.push(res);
    }
  }
  return variants.map((v) => {
    const rs = results.get(v.name)!;
    const rss = rs.map((x) => x.maxRssMb).filter((x): x is number => x !== undefined);
    const cpu = rs.map((x) => x.cpuMs).filter((x): x is number => x !== undefined);
    return {
      name: v.name,
      runs: rs.length,
      wallMs: median(rs.map((x) => x.wallMs)),
      wallMinMs: Math.min(...rs.map((x) => x.wallMs)),
      wallMaxMs: Math.max(...rs.map((x) => x.wallMs)),
      maxRssMb: rss.length ? median(rss) : undefined,
      cpuMs: cpu.length ? median(cpu) : undefined,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Child processes that report JSON: `READY …` lines on the way and one JSON document at the end.

export interface JsonChild {
  child: ChildProcess;
  /** Resolves with the text after `READY ` of the next such line. */
  ready(): Promise<string>;
  /** Resolves with the last stdout line parsed as JSON, when the child exits 0. */
  result<T>(): Promise<T>;
}

export function jsonChild(args: string[], env: NodeJS.ProcessEnv, opts: { stdin?: boolean } = {}): JsonChild {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const readyWaiters: Array<(s: string) => void> = [];
  const readyLines: string[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith('READY')) {
        const w = readyWaiters.shift();
        if (w) w(line.slice(6));
        else readyLines.push(line.slice(6));
      } else if (line.trim()) {
        last = line;
      }
    }
  });
  let last = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (process.env.KTX_BENCH_VERBOSE) process.stderr.write(d);
  });
  const exited = new Promise<number>((res) => child.on('close', (code) => res(code ?? -1)));
  return {
    child,
    ready: () =>
      new Promise((res, rej) => {
        const l = readyLines.shift();
        if (l !== undefined) return res(l);
        readyWaiters.push(res);
        void exited.then((code) => rej(new Error(`child exited ${code} before READY: ${err.trim().slice(-1500)}`)));
      }),
    result: async <T>() => {
      const code = await exited;
      if (code !== 0) throw new Error(`child ${args.join(' ')} exited ${code}: ${err.trim().slice(-1500)}`);
      return JSON.parse(last) as T;
    },
  };
}

/** Environment for children: the cluster's kubeconfig, no CI flag (Ink renders nothing under CI). */
export function childEnv(kubeconfig: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: kubeconfig, ...extra };
  for (const k of Object.keys(env)) {
    // is-in-ci's test, and npm's own variables from `npm run bench`.
    if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_') || k.startsWith('npm_')) delete env[k];
  }
  return env;
}
