// Shared pieces of the streaming tests: workloads on kwok, long-running CLI processes, echo round trips.
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { repoRoot } from '../cluster/harness.js';
import { cluster, kubectlOk } from '../helpers/cluster.js';
import type { CliResult } from '../helpers/differential.js';
import { collect } from '../helpers/process.js';
import { waitUntil } from '../helpers/wait.js';

export const IMAGE = 'registry.invalid/fake:1';

/** A Deployment of fake pods with container port 8080 (kwok forwards it to the harness's echo server). */
export function deployment(
  namespace: string,
  name: string,
  opts: { replicas?: number; sidecar?: boolean; initContainer?: boolean; annotations?: Record<string, string> } = {},
): object {
  const main = { name: 'main', image: IMAGE, ports: [{ name: 'http', containerPort: 8080 }] };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
        spec: {
          containers: [main, ...(opts.sidecar ? [{ name: 'sidecar', image: IMAGE }] : [])],
          ...(opts.initContainer ? { initContainers: [{ name: 'init', image: IMAGE }] } : {}),
        },
      },
    },
  };
}

/** A Service in front of a Deployment's pods: port 80 → the named container port `http` (8080). */
export function service(namespace: string, name: string, app: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] },
  };
}

export async function apply(...objects: object[]): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
}

interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  terminating: boolean;
}

/** The pods of an `app` label, as kubectl sees them. */
export async function podsOf(namespace: string, app: string): Promise<PodSummary[]> {
  const list = JSON.parse(await kubectlOk(['get', 'pods', '-n', namespace, '-l', `app=${app}`, '-o', 'json'])) as {
    items: Array<{ metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string; conditions?: Array<{ type: string; status: string }> } }>;
  };
  return list.items.map((p) => ({
    name: p.metadata.name,
    phase: p.status?.phase ?? '',
    ready: !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    terminating: !!p.metadata.deletionTimestamp,
  }));
}

/** Waits until `count` pods of `app` are Running and Ready (and none is terminating); returns their names. */
export async function readyPods(namespace: string, app: string, count = 1): Promise<string[]> {
  return waitUntil(`${count} ready pods of ${app}`, async () => {
    const pods = await podsOf(namespace, app);
    const ready = pods.filter((p) => p.phase === 'Running' && p.ready && !p.terminating);
    return ready.length === count && pods.length === count ? ready.map((p) => p.name) : undefined;
  });
}

/** A CLI process left running (port-forward, attach), its output collected as it comes. */
export interface Running {
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number | undefined;
  /** Polls until `re` matches the output of `stream`; returns the match. */
  waitFor(re: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  /** Sends `signal` (default SIGINT) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  /** Resolves with how the process ended, without signalling it. */
  exited(): Promise<CliResult>;
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
    waitFor: (re, stream = 'stdout') =>
      waitUntil(`${re} in ${stream} (stdout: ${JSON.stringify(p.stdout)}, stderr: ${JSON.stringify(p.stderr)})`, () => (stream === 'stdout' ? p.stdout : p.stderr).match(re) ?? undefined),
    stop: (signal = 'SIGINT') => p.stop(signal),
    exited: () => p.ended,
  };
}

const env = () => ({ KUBECONFIG: cluster().kubeconfig });

/** Starts `ktx ARGS` (bin/ktx.js → dist/) in the background; `extraEnv` adds environment variables. */
export function startKtx(args: string[], extraEnv: Record<string, string> = {}): Running {
  return running(execa(process.execPath, [join(repoRoot, 'bin/ktx.js'), ...args], { reject: false, env: { ...env(), ...extraEnv }, timeout: 120_000 }));
}

/** Starts the reference kubectl in the background. */
export function startKubectl(args: string[]): Running {
  return running(execa(cluster().kubectl, args, { reject: false, env: env(), timeout: 120_000 }));
}

/** The local port of the first `Forwarding from 127.0.0.1:PORT` line. */
export async function forwardedPort(r: Running): Promise<number> {
  const m = await r.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) ->/);
  return Number(m[1]);
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Sends `payload` through a forwarded port to the echo server and reads the same number of bytes
 * back, then closes; resolves with what came back. It does not wait for the far side to close:
 * kwok never ends the pod side after a FIN, so through kubectl's SPDY tunnel (and ktx's) a
 * half-closed connection stays open.
 */
export function echoRoundTrip(port: number, payload: Buffer, host = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = connect({ port, host }, () => socket.write(payload));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      received += d.length;
      if (received >= payload.length) {
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${received} of ${payload.length} bytes`)));
  });
}

/** Random bytes, for payloads whose checksum means something. */
export const payload = (size: number) => randomBytes(size);
