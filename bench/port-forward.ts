// port-forward throughput: bytes through `ktx port-forward` and `kubectl port-forward` to a pod's
// port 8080, which kwok forwards to the harness's TCP echo server. Each connection writes its
// payload and reads the echo back; a transfer ends when every byte has come back. MB/s counts the
// payload once (one direction), over one connection and over 20 concurrent ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { median, sleep } from './util.js';

export interface PortForwardResults {
  single: { payloadMb: number; ktxMbPerSecond: number; kubectlMbPerSecond: number; ktx: number[]; kubectl: number[] };
  concurrent: { connections: number; payloadMbEach: number; ktxMbPerSecond: number; kubectlMbPerSecond: number; ktx: number[]; kubectl: number[] };
  ktxCpuPercent?: number;
}

interface Forward {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startForward(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Forward> {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} port-forward printed no port in 30 s: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('close', (code) => reject(new Error(`${cmd} port-forward exited ${code}: ${err}`)));
  });
  child.stdout!.resume();
  return {
    port,
    child,
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('close', r));
    },
  };
}

/** Writes `payload` and reads it back; resolves with the milliseconds it took. */
function echo(port: number, payload: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0;
    const t0 = performance.now();
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(payload));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`echo timed out after ${received} of ${payload.length} bytes`));
    }, 120_000);
    socket.on('data', (d: Buffer) => {
      received += d.length;
      if (received >= payload.length) {
        clearTimeout(timer);
        resolve(performance.now() - t0);
        socket.destroy();
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      if (received < payload.length) {
        clearTimeout(timer);
        reject(new Error(`connection closed after ${received} of ${payload.length} bytes`));
      }
    });
  });
}

async function throughput(port: number, connections: number, payload: Buffer): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, () => echo(port, payload)));
  const seconds = (performance.now() - t0) / 1000;
  return (connections * payload.length) / 2 ** 20 / seconds;
}

export async function portForwardThroughput(o: { ktxBin: string; kubectl: string; env: NodeJS.ProcessEnv; namespace: string; pod: string; reps: number }): Promise<PortForwardResults> {
  const args = ['port-forward', `pod/${o.pod}`, ':8080', '-n', o.namespace];
  const single = randomBytes(32 * 2 ** 20);
  const each = randomBytes(4 * 2 ** 20);
  const CONNS = 20;
  const r = { single: { ktx: [] as number[], kubectl: [] as number[] }, concurrent: { ktx: [] as number[], kubectl: [] as number[] } };
  const tools = {
    ktx: () => startForward(process.execPath, [o.ktxBin, ...args], o.env),
    kubectl: () => startForward(o.kubectl, args, o.env),
  };
  let ktxCpu: number | undefined;
  for (let i = -1; i < o.reps; i++) {
    for (const tool of ['ktx', 'kubectl'] as const) {
      const f = await tools[tool]();
      try {
        // Warm the path (websocket or SPDY session, kwok's forward) once per process.
        await echo(f.port, Buffer.from('warm-up'));
        const cpu0 = tool === 'ktx' ? cpuSeconds(f.child.pid!) : 0;
        const t0 = performance.now();
        const s = await throughput(f.port, 1, single);
        const c = await throughput(f.port, CONNS, each);
        if (tool === 'ktx' && i >= 0) ktxCpu = ((cpuSeconds(f.child.pid!) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
        if (i >= 0) {
          r.single[tool].push(s);
          r.concurrent[tool].push(c);
        }
      } finally {
        await f.stop();
      }
      await sleep(200);
    }
  }
  return {
    single: { payloadMb: 32, ktxMbPerSecond: median(r.single.ktx), kubectlMbPerSecond: median(r.single.kubectl), ...r.single },
    concurrent: { connections: CONNS, payloadMbEach: 4, ktxMbPerSecond: median(r.concurrent.ktx), kubectlMbPerSecond: median(r.concurrent.kubectl), ...r.concurrent },
    ...(ktxCpu !== undefined ? { ktxCpuPercent: ktxCpu } : {}),
  };
}

/** utime + stime of a process, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
