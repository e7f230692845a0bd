// ktx port-forward against the reference kubectl and the library's PortForwarder: kwok forwards
// container port 8080 of every pod to the harness's TCP echo server.
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { PortForwarder } from '../../src/lib/streaming/port-forwarder.js';
import { resolvePodTarget } from '../../src/lib/targets/resolve.js';
import { contextClient } from '../helpers/client.js';
import { kubectlOk, useNamespace } from '../helpers/cluster.js';
import { normalise } from '../helpers/differential.js';
import { waitUntil } from '../helpers/wait.js';
import { apply, deployment, echoRoundTrip, forwardedPort, payload, readyPods, service, sha256, startKtx, startKubectl, type Running } from './helpers.js';

const ns = useNamespace('pf');
let pod = '';

beforeAll(async () => {
  await apply(deployment(ns.name, 'web'), deployment(ns.name, 'roll'), deployment(ns.name, 'single'), service(ns.name, 'web', 'web'));
  [pod = ''] = await readyPods(ns.name, 'web');
  await readyPods(ns.name, 'roll');
  await readyPods(ns.name, 'single');
});

/**
 * Runs one forwarding session (one connection, then SIGINT) and returns what it printed, ports
 * normalised. The connection only says hello; the echo is checked elsewhere.
 */
async function session(start: (args: string[]) => Running, args: string[]) {
  const r = start(args);
  const port = await forwardedPort(r);
  await r.waitFor(/Forwarding from \[::1\]:\d+ ->/);
  const socket = connect({ port, host: '127.0.0.1' }, () => socket.write('hello'));
  socket.on('error', () => undefined);
  await r.waitFor(/Handling connection for \d+/);
  socket.destroy();
  const end = await r.stop('SIGINT');
  const n = { replace: [[new RegExp(`\\b${port}\\b`, 'g'), 'PORT']] as Array<[RegExp, string]> };
  return { exitCode: end.exitCode, stdout: normalise(end.stdout, n), stderr: normalise(end.stderr, n) };
}

describe('ktx port-forward, compared with kubectl', () => {
  it('prints the same lines for pod/NAME :8080 and exits 0 on SIGINT', async () => {
    const args = ['port-forward', `pod/${pod}`, ':8080', '-n', ns.name];
    const [mine, theirs] = await Promise.all([session(startKtx, args), session(startKubectl, args)]);
    expect(mine).toEqual(theirs);
    expect(mine.stdout).toBe('Forwarding from 127.0.0.1:PORT -> 8080\nForwarding from [::1]:PORT -> 8080\nHandling connection for PORT\n');
  });

  it('maps a Service port to its named targetPort as kubectl does', async () => {
    const args = ['port-forward', 'svc/web', ':80', '-n', ns.name];
    const [mine, theirs] = await Promise.all([session(startKtx, args), session(startKubectl, args)]);
    expect(mine).toEqual(theirs);
    expect(mine.stdout).toContain('Forwarding from 127.0.0.1:PORT -> 8080');
  });

  it('refuses bad invocations in kubectl words', async () => {
    for (const args of [
      ['port-forward', `pod/${pod}`],
      ['port-forward', `pod/${pod}`, 'nope'],
      ['port-forward', `pod/${pod}`, '99999'],
      ['port-forward', `pod/${pod}`, '0'],
      ['port-forward', 'svc/web', 'nope'],
      ['port-forward', 'svc/web', '81'],
      ['port-forward', 'svc/missing', '80'],
    ]) {
      const [mine, theirs] = await Promise.all([startKtx([...args, '-n', ns.name]).exited(), startKubectl([...args, '-n', ns.name]).exited()]);
      expect(normalise(mine.stderr), args.join(' ')).toBe(normalise(theirs.stderr));
      expect(mine.exitCode).toBe(theirs.exitCode);
    }
  });
});

describe('ktx port-forward', () => {
  it('carries 100 concurrent connections of 1 MB each, byte for byte', async () => {
    const r = startKtx(['port-forward', `deploy/web`, ':8080', '-n', ns.name]);
    const port = await forwardedPort(r);
    const started = Date.now();
    const sums = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const data = payload(1 << 20);
        return [sha256(data), sha256(await echoRoundTrip(port, data))];
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    for (const [sent, got] of sums) expect(got).toBe(sent);
    const end = await r.stop('SIGTERM');
    expect(end.exitCode).toBe(0);
    expect(end.stdout.match(/Handling connection for/g)).toHaveLength(100);
    // 100 MiB each way; printed for the record, not asserted.
    process.stdout.write(`port-forward: 100 x 1 MiB echoed in ${seconds.toFixed(2)} s (${(200 / seconds).toFixed(1)} MiB/s both ways)\n`);
  }, 120_000);

  it('carries 32 MiB over one connection, then 20 concurrent connections of 4 MiB, byte for byte', async () => {
    const r = startKtx(['port-forward', `pod/${pod}`, ':8080', '-n', ns.name]);
    const port = await forwardedPort(r);
    const big = payload(32 << 20);
    expect(sha256(await echoRoundTrip(port, big))).toBe(sha256(big));
    const sums = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const data = payload(4 << 20);
        return [sha256(data), sha256(await echoRoundTrip(port, data))];
      }),
    );
    for (const [sent, got] of sums) expect(got).toBe(sent);
    const end = await r.stop('SIGINT');
    expect(end.exitCode).toBe(0);
    expect(end.stdout.match(/Handling connection for/g)).toHaveLength(21);
  }, 120_000);

  it('follows a Deployment rollout to a new pod', async () => {
    const [before = ''] = await readyPods(ns.name, 'roll');
    const r = startKtx(['port-forward', 'deploy/roll', ':8080', '-n', ns.name]);
    const port = await forwardedPort(r);
    expect((await echoRoundTrip(port, Buffer.from('before'))).toString()).toBe('before');
    await kubectlOk(['rollout', 'restart', 'deploy/roll', '-n', ns.name]);
    await kubectlOk(['rollout', 'status', 'deploy/roll', '-n', ns.name, '--timeout=60s']);
    const [after = ''] = await readyPods(ns.name, 'roll');
    expect(after).not.toBe(before);
    await r.waitFor(new RegExp(`Pod ${before} is gone; forwarding to pod ${after}`), 'stderr');
    expect((await echoRoundTrip(port, Buffer.from('after'))).toString()).toBe('after');
    const end = await r.stop('SIGINT');
    expect(end.exitCode).toBe(0);
  }, 90_000);

  it('ends with `lost connection to pod` when a named pod is deleted', async () => {
    const [target = ''] = await readyPods(ns.name, 'single');
    const r = startKtx(['port-forward', target, ':8080', '-n', ns.name]);
    const port = await forwardedPort(r);
    expect((await echoRoundTrip(port, Buffer.from('x'))).toString()).toBe('x');
    await kubectlOk(['delete', 'pod', target, '-n', ns.name, '--wait=false']);
    const end = await r.exited();
    expect(end.exitCode).toBe(1);
    expect(end.stderr).toBe('error: lost connection to pod\n');
  }, 60_000);
});

describe('PortForwarder', () => {
  const client = contextClient('admin');

  it('closes every connection and listener on stop, leaving nothing open', async () => {
    const target = await resolvePodTarget(client, ns.name, `pod/${pod}`);
    const lines: string[] = [];
    const f = new PortForwarder(client, { target, ports: [':8080', ':http'], onOutput: (l) => lines.push(l) });
    await f.start();
    expect(f.listeners.map((l) => `${l.address} ${l.remote}`)).toEqual(['127.0.0.1 8080', '::1 8080', '127.0.0.1 8080', '::1 8080']);
    const port = f.listeners[0]!.local;

    // Two connections left open, as a client that never hangs up; each sees its echo.
    const open = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const s = connect({ port, host: '127.0.0.1' });
            s.once('data', () => resolve(s));
            s.on('error', () => undefined);
            s.on('connect', () => s.write('hi'));
          }),
      ),
    );
    expect(f.activeConnections).toBe(2);
    const closed = Promise.all(open.map((s) => new Promise((resolve) => s.once('close', resolve))));
    await f.stop();
    await closed;
    expect(f.activeConnections).toBe(0);
    await f.done;
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.on('connect', () => resolve('connected'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(lines.filter((l) => l.startsWith('Handling connection'))).toHaveLength(2);
  });

  it('holds the data for a client that stops reading, and delivers all of it, in order, once it reads again', async () => {
    const target = await resolvePodTarget(client, ns.name, `pod/${pod}`);
    const f = new PortForwarder(client, { target, ports: [':8080'] });
    await f.start();
    const data = payload(24 << 20);
    const socket = connect({ port: f.listeners[0]!.local, host: '127.0.0.1' });
    socket.pause();
    socket.write(data);
    // Several MiB are on their way back while nobody reads: both directions are held up.
    await waitUntil('the upload to get going', () => socket.bytesWritten >= 4 << 20);
    const chunks: Buffer[] = [];
    let received = 0;
    const echoed = new Promise<Buffer>((resolve, reject) => {
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        received += d.length;
        if (received >= data.length) resolve(Buffer.concat(chunks));
      });
      socket.on('error', reject);
    });
    socket.resume();
    expect(sha256(await echoed)).toBe(sha256(data));
    socket.destroy();
    await f.stop();
  }, 60_000);

  it('reports a port nothing listens on as a connection error and keeps forwarding', async () => {
    const target = await resolvePodTarget(client, ns.name, pod);
    const errors: string[] = [];
    const f = new PortForwarder(client, { target, ports: [':9999', ':8080'], onError: (e) => errors.push(e.message) });
    await f.start();
    const [bad, good] = [f.listeners[0]!.local, f.listeners[2]!.local];
    await new Promise<void>((resolve) => {
      const s = connect({ port: bad, host: '127.0.0.1' }, () => s.write('x'));
      s.on('error', () => undefined);
      s.on('close', () => resolve());
    });
    await waitUntil('the forwarding error', () => errors.length === 1);
    expect(errors[0]).toMatch(new RegExp(`^an error occurred forwarding ${bad} -> 9999: .*no forward found for port 9999`));
    expect((await echoRoundTrip(good, Buffer.from('still'))).toString()).toBe('still');
    await f.stop();
  });
});
