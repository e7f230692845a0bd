// Shared pieces of the logs tests: fake pods on kwok, long-running `logs -f` processes, and
// comparing two reads of a log that grows by one line a second.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk } from '../helpers/cluster.js';
import { ktx, normalise, refKubectl, type CliResult } from '../helpers/differential.js';
import { collect } from '../helpers/process.js';
import { waitUntil } from '../helpers/wait.js';

export const IMAGE = 'registry.invalid/fake:1';

/** A bare pod with the given containers (each logs the harness's shared lines). */
export function pod(
  namespace: string,
  name: string,
  opts: { labels?: Record<string, string>; containers?: string[]; initContainers?: string[]; annotations?: Record<string, string> } = {},
): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: opts.labels ?? { app: name }, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      containers: (opts.containers ?? ['main']).map((c) => ({ name: c, image: IMAGE })),
      ...(opts.initContainers ? { initContainers: opts.initContainers.map((c) => ({ name: c, image: IMAGE })) } : {}),
    },
  };
}

/** A Deployment whose pods have one container, `main`. */
export function deployment(namespace: string, name: string, replicas: number): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: IMAGE }] } },
    },
  };
}

export async function apply(...objects: object[]): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
}

interface PodState {
  metadata: { name: string; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}

/** Waits until the pods matching `selector` are `count` Running, Ready pods (none terminating); returns their names, sorted. */
export async function runningPods(namespace: string, selector: string, count: number): Promise<string[]> {
  return waitUntil(`${count} running pods for ${selector}`, async () => {
    const list = JSON.parse(await kubectlOk(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json'])) as { items: PodState[] };
    const ready = list.items.filter(
      (p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    return ready.length === count && list.items.length === count ? ready.map((p) => p.metadata.name).sort() : undefined;
  });
}

/** The numbers of the harness's `ktx test log line N` lines in `text`, in order. */
export function lineNumbers(text: string): number[] {
  return [...text.matchAll(/ktx test log line (\d+)/g)].map((m) => Number(m[1]));
}

/** Asserts that the numbers go up by exactly one each time: nothing repeated, nothing skipped. */
export function expectConsecutive(numbers: number[]): void {
  const first = numbers[0] ?? 0;
  expect(numbers).toEqual(numbers.map((_, i) => first + i));
}

const exact = { stripFinalNewline: false } as const;
const view = (r: CliResult) => ({ exitCode: r.exitCode, stdout: normalise(r.stdout), stderr: normalise(r.stderr) });

/**
 * Runs ktx and kubectl side by side and asserts the same stdout, stderr and exit code, byte for
 * byte (only the program name is normalised, as everywhere). The log under test grows by one line
 * a second, so two concurrent reads can straddle a new line: a differing pair is run again, up to
 * three times in all. A real difference shows on every attempt; the last one is asserted.
 * `unordered` compares stdout as a sorted list of lines, for output whose order kubectl
 * randomises (several streams read in Go map order).
 */
export async function expectSameLogs(args: string[], options: { unordered?: boolean } = {}): Promise<CliResult> {
  const shape = (r: CliResult) => {
    const v = view(r);
    return options.unordered ? { ...v, stdout: v.stdout.split('\n').sort() } : v;
  };
  for (let attempt = 1; ; attempt++) {
    const [mine, theirs] = await Promise.all([ktx(args, exact), refKubectl(args, exact)]);
    if (attempt === 3 || JSON.stringify(shape(mine)) === JSON.stringify(shape(theirs))) {
      expect(shape(mine), `ktx ${args.join(' ')}`).toEqual(shape(theirs));
      return mine;
    }
  }
}

/** A CLI process left running (`logs -f`), its output collected as it comes. */
export interface Running {
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number | undefined;
  /** Polls until `check` holds for the output (stdout by default); returns its value. */
  waitFor<T>(what: string, check: (out: string) => T, options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<NonNullable<T>>;
  /** Sends `signal` (default SIGTERM) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

function running(proc: ResultPromise): Running {
  const p = collect(proc);
  return {
    get stdout() {
      return p.stdout;
    },
    get stderr() {
      return p.stderr;
    },
    pid: p.pid,
    waitFor: (what, check, options = {}) =>
      waitUntil(
        `${what} (stdout: ${JSON.stringify(p.stdout.slice(-2000))}, stderr: ${JSON.stringify(p.stderr)})`,
        () => check(options.stream === 'stderr' ? p.stderr : p.stdout),
        { timeoutMs: options.timeoutMs ?? 30_000 },
      ),
    stop: (signal = 'SIGTERM') => p.stop(signal),
  };
}

/** Starts `ktx ARGS` (bin/ktx.js → dist/) in the background, against `kubeconfig` (the shared cluster's by default). */
export function startKtx(args: string[], opts: { env?: Record<string, string>; kubeconfig?: string } = {}): Running {
  return running(
    execa(process.execPath, [join(repoRoot, 'bin/ktx.js'), ...args], {
      reject: false,
      env: { KUBECONFIG: opts.kubeconfig ?? cluster().kubeconfig, ...opts.env },
      timeout: 120_000,
    }),
  );
}

/** Starts the reference kubectl in the background. */
export function startKubectl(args: string[]): Running {
  return running(execa(cluster().kubectl, args, { reject: false, env: { KUBECONFIG: cluster().kubeconfig }, timeout: 120_000 }));
}
