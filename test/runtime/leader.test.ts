// LeaderElector: the pure lease decisions, then electors in this process and in two child processes
// against the real control plane.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src/lib/api/api.js';
import type { Client } from '../../src/lib/client.js';
import { claimedLeaseSpec, formatMicroTime, observeLease, parseMicroTime, releasedLeaseSpec } from '../../src/lib/runtime/leader-lease.js';
import { LeaderElector, type LeaderElectorOptions } from '../../src/lib/runtime/leader.js';
import type { Lease } from '../../src/lib/types/index.js';
import { configMaps, leases } from '../../src/lib/types/resources.js';
import { cluster, useNamespace } from '../helpers/cluster.js';
import { contextClient } from '../helpers/client.js';
import { waitUntil } from '../helpers/wait.js';

const ns = useNamespace('leader');
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const T0 = Date.parse('2026-01-02T03:04:05.678Z');
const at = (ms: number) => formatMicroTime(new Date(ms));

describe('lease decisions (pure, injected clock)', () => {
  const held = { holderIdentity: 'a', leaseDurationSeconds: 4, renewTime: at(T0), acquireTime: at(T0 - 60_000), leaseTransitions: 3 };

  it('formats and parses MicroTime', () => {
    expect(formatMicroTime(new Date(T0))).toBe('2026-01-02T03:04:05.678000Z');
    expect(parseMicroTime('2026-01-02T03:04:05.678901Z')).toBe(T0);
    expect(parseMicroTime('2026-01-02T03:04:05Z')).toBe(T0 - 678);
    expect(parseMicroTime('2026-01-02T05:04:05.678+02:00')).toBe(T0);
    expect(parseMicroTime('yesterday')).toBeUndefined();
    expect(parseMicroTime(undefined)).toBeUndefined();
  });

  it('a missing lease is created, an empty holder is free', () => {
    expect(observeLease(undefined, 'b', T0, 15)).toEqual({ state: 'missing' });
    expect(observeLease({}, 'b', T0, 15)).toEqual({ state: 'free' });
    expect(observeLease({ ...held, holderIdentity: '' }, 'b', T0, 15)).toEqual({ state: 'free' });
  });

  it("another holder's lease is valid through renewTime + leaseDurationSeconds and expired strictly after", () => {
    expect(observeLease(held, 'b', T0 + 1000, 15)).toEqual({ state: 'held', holder: 'a', expiresAt: T0 + 4000 });
    expect(observeLease(held, 'b', T0 + 4000, 15)).toEqual({ state: 'held', holder: 'a', expiresAt: T0 + 4000 });
    expect(observeLease(held, 'b', T0 + 4001, 15)).toEqual({ state: 'expired', holder: 'a', expiredAt: T0 + 4000 });
  });

  it("uses the holder's own duration, the candidate's default only when the lease has none", () => {
    const { leaseDurationSeconds: _, ...noDuration } = held;
    expect(observeLease(noDuration, 'b', T0 + 4001, 15).state).toBe('held');
    expect(observeLease(noDuration, 'b', T0 + 15_001, 15).state).toBe('expired');
  });

  it('falls back to acquireTime without a renewTime, and treats a holder with no times as expired', () => {
    const { renewTime: _, ...noRenew } = held;
    expect(observeLease(noRenew, 'b', T0 - 56_500, 15)).toMatchObject({ state: 'held', expiresAt: T0 - 56_000 });
    expect(observeLease({ holderIdentity: 'a' }, 'b', T0, 15).state).toBe('expired');
  });

  it('its own lease is ours whatever the clock says', () => {
    expect(observeLease(held, 'a', T0 + 3_600_000, 15)).toEqual({ state: 'ours', expiresAt: T0 + 4000 });
  });

  it('renewing moves renewTime only; taking over sets acquireTime and counts a transition', () => {
    const now = new Date(T0 + 10_000);
    expect(claimedLeaseSpec(held, 'a', now, 4)).toEqual({ ...held, renewTime: at(T0 + 10_000) });
    expect(claimedLeaseSpec(held, 'b', now, 15)).toEqual({
      holderIdentity: 'b',
      leaseDurationSeconds: 15,
      acquireTime: at(T0 + 10_000),
      renewTime: at(T0 + 10_000),
      leaseTransitions: 4,
    });
    expect(claimedLeaseSpec(undefined, 'b', now, 15)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 0, acquireTime: at(T0 + 10_000) });
    expect(claimedLeaseSpec({ ...held, strategy: 'OldestEmulationVersion' }, 'b', now, 15).strategy).toBe('OldestEmulationVersion');
  });

  it('releasing clears the holder and shortens the duration to one second, keeping the history', () => {
    const released = releasedLeaseSpec(held, new Date(T0 + 2000));
    expect(released).toEqual({ leaseDurationSeconds: 1, renewTime: at(T0 + 2000), acquireTime: held.acquireTime, leaseTransitions: 3 });
    expect(observeLease(released, 'b', T0 + 2000, 15).state).toBe('free');
    // the next holder after a release counts as a transition
    expect(claimedLeaseSpec(released, 'b', new Date(T0 + 3000), 15).leaseTransitions).toBe(4);
  });

  it('rejects durations that cannot keep one leader', () => {
    const client = {} as Client;
    const base = { name: 'l', namespace: 'n', identity: 'i' };
    expect(() => new LeaderElector(client, { ...base, leaseDurationSeconds: 10, renewDeadlineSeconds: 10 })).toThrow(/leaseDurationSeconds must be greater/);
    expect(() => new LeaderElector(client, { ...base, renewDeadlineSeconds: 2, retryPeriodSeconds: 2 })).toThrow(/renewDeadlineSeconds must be greater/);
    expect(() => new LeaderElector(client, { ...base, retryPeriodSeconds: 0 })).toThrow(/retryPeriodSeconds/);
    expect(() => new LeaderElector(client, { ...base, identity: '' })).toThrow(/identity/);
  });
});

/** An elector with lease 4 s / renew deadline 3 s / retry 1 s that records what it was told. */
function candidate(client: Client, lease: string, identity: string, extra: Partial<LeaderElectorOptions> = {}) {
  const c = {
    identity,
    stop: new AbortController(),
    started: 0,
    stopped: 0,
    startedAt: 0,
    leaders: [] as string[],
    errors: [] as unknown[],
    leadership: undefined as AbortSignal | undefined,
    elector: undefined as unknown as LeaderElector,
    done: undefined as unknown as Promise<void>,
  };
  c.elector = new LeaderElector(client, {
    name: lease,
    namespace: ns.name,
    identity,
    leaseDurationSeconds: 4,
    renewDeadlineSeconds: 3,
    retryPeriodSeconds: 1,
    onStartedLeading: (signal) => {
      c.started++;
      c.startedAt = Date.now();
      c.leadership = signal;
    },
    onStoppedLeading: () => c.stopped++,
    onNewLeader: (id) => c.leaders.push(id),
    onError: (err) => c.errors.push(err),
    ...extra,
  });
  c.done = c.elector.run(c.stop.signal);
  return c;
}

describe('LeaderElector in one process', () => {
  let client: Client;
  let leaseApi: Api<Lease>;
  const running: Array<ReturnType<typeof candidate>> = [];
  const start = (...args: Parameters<typeof candidate>) => {
    const c = candidate(...args);
    running.push(c);
    return c;
  };
  beforeAll(() => {
    client = contextClient('admin');
    leaseApi = Api.namespaced(client, leases, ns.name);
  });
  afterAll(async () => {
    for (const c of running) c.stop.abort();
    await Promise.all(running.map((c) => c.done));
  });

  it('creates the lease, renews it, and releases it on abort', async () => {
    const a = start(client, 'solo', 'solo-a');
    await waitUntil('solo-a leading', () => a.elector.isLeader);
    const first = await leaseApi.get('solo');
    expect(first.spec).toMatchObject({ holderIdentity: 'solo-a', leaseDurationSeconds: 4, leaseTransitions: 0 });
    expect(first.spec?.acquireTime).toMatch(MICRO);
    expect(first.spec?.renewTime).toBe(first.spec?.acquireTime);
    expect(a.leaders).toEqual(['solo-a']);
    const renewed = await waitUntil('a renewal', async () => {
      const l = await leaseApi.get('solo');
      return l.spec?.renewTime !== first.spec?.renewTime ? l : undefined;
    });
    expect(renewed.spec?.acquireTime).toBe(first.spec?.acquireTime);
    expect(renewed.spec?.holderIdentity).toBe('solo-a');

    a.stop.abort();
    await a.done;
    expect({ started: a.started, stopped: a.stopped, leadershipAborted: a.leadership?.aborted, isLeader: a.elector.isLeader }).toEqual({
      started: 1,
      stopped: 1,
      leadershipAborted: true,
      isLeader: false,
    });
    const released = await leaseApi.get('solo');
    expect(released.spec?.holderIdentity ?? '').toBe('');
    expect(released.spec).toMatchObject({ leaseDurationSeconds: 1, leaseTransitions: 0, acquireTime: first.spec?.acquireTime });
  });

  it('two electors: exactly one leads; aborting it hands over at once and counts a transition', async () => {
    const a = start(client, 'pair', 'pair-a');
    const b = start(client, 'pair', 'pair-b');
    await waitUntil('one leader', () => a.elector.isLeader || b.elector.isLeader);
    const [leader, follower] = a.elector.isLeader ? [a, b] : [b, a];
    await waitUntil(`${follower.identity} to see ${leader.identity} as leader`, () => follower.leaders.includes(leader.identity));
    expect(follower.elector.leader).toBe(leader.identity);
    // both are now past their first attempt; only one may have started leading
    expect([leader.started, follower.started, follower.elector.isLeader]).toEqual([1, 0, false]);
    expect((await leaseApi.get('pair')).spec).toMatchObject({ holderIdentity: leader.identity, leaseTransitions: 0 });

    const abortedAt = Date.now();
    leader.stop.abort();
    await leader.done;
    await waitUntil(`${follower.identity} leading`, () => follower.started === 1, { timeoutMs: 10_000, intervalMs: 20 });
    // Without the release the follower would wait for renewTime + 4 s (at least 3 s from here).
    expect(follower.startedAt - abortedAt).toBeLessThan(2500);
    expect(leader.stopped).toBe(1);
    expect(follower.leaders).toEqual([leader.identity, follower.identity]);
    expect((await leaseApi.get('pair')).spec).toMatchObject({ holderIdentity: follower.identity, leaseTransitions: 1, leaseDurationSeconds: 4 });
  });

  it('expiry follows the injected clock: a candidate whose clock is ahead takes over, and the old leader steps down', async () => {
    const a = start(client, 'skew', 'skew-a');
    await waitUntil('skew-a leading', () => a.elector.isLeader);
    const ahead = () => new Date(Date.now() + 60_000);
    const b = start(client, 'skew', 'skew-b', { now: ahead });
    await waitUntil('skew-b leading', () => b.elector.isLeader, { timeoutMs: 10_000 });
    await a.done; // the lease has another holder at a's next renewal: run resolves without an abort
    expect({ aborted: a.stop.signal.aborted, isLeader: a.elector.isLeader, stopped: a.stopped, leadership: a.leadership?.aborted }).toEqual({
      aborted: false,
      isLeader: false,
      stopped: 1,
      leadership: true,
    });
    const lease = await leaseApi.get('skew');
    expect(lease.spec).toMatchObject({ holderIdentity: 'skew-b', leaseTransitions: 1 });
    // b wrote its own clock's time
    expect(parseMicroTime(lease.spec?.acquireTime)! - Date.now()).toBeGreaterThan(50_000);
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    let broken = false;
    const real = contextClient('admin');
    const flaky = new Proxy(real, {
      get(target, prop) {
        if (broken && prop === 'json') return () => Promise.reject(new Error('apiserver unreachable'));
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const a = start(flaky, 'deadline', 'deadline-a');
    await waitUntil('deadline-a leading', () => a.elector.isLeader);
    const brokenAt = Date.now();
    broken = true;
    await a.done;
    const steppedDownAfter = Date.now() - brokenAt;
    // at most renew deadline (3 s, counted from the last success, which was before the break) + one retry period
    expect(steppedDownAfter).toBeLessThan(4500);
    expect(a.stopped).toBe(1);
    expect(a.leadership?.aborted).toBe(true);
    expect(a.errors.length).toBeGreaterThan(0);
    // it could not release: the lease still names it until it expires
    expect((await leaseApi.get('deadline')).spec?.holderIdentity).toBe('deadline-a');
  });
});

interface Child {
  id: string;
  proc: ChildProcess;
  lines: Array<{ at: number; text: string }>;
}

describe('LeaderElector in two processes', () => {
  const children: Child[] = [];
  const watchStop = new AbortController();
  afterAll(async () => {
    watchStop.abort();
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null && c.proc.pid) process.kill(c.proc.pid, 'SIGKILL');
  });

  function spawnCandidate(id: string, lease: string, configMap: string): Child {
    const fixture = fileURLToPath(new URL('./fixtures/leader-process.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', 'tsx', fixture, cluster().kubeconfig, ns.name, lease, id, configMap], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child: Child = { id, proc, lines: [] };
    createInterface({ input: proc.stdout! }).on('line', (text) => child.lines.push({ at: Date.now(), text }));
    createInterface({ input: proc.stderr! }).on('line', (text) => child.lines.push({ at: Date.now(), text: `STDERR ${text}` }));
    children.push(child);
    return child;
  }
  const leadingAt = (c: Child) => c.lines.find((l) => l.text === `LEADING ${c.id}`)?.at;

  it('exactly one reconciles; kill -9 it and the other takes over within the lease duration', async () => {
    const client = contextClient('admin');
    const cmApi = Api.namespaced(client, configMaps, ns.name);
    const created = await cmApi.create({ metadata: { name: 'work' } });

    // Every value the annotation ever takes, in order, from a watch that started before the workers.
    const stamps: string[] = [];
    let modifications = 0;
    const watching = (async () => {
      const events = cmApi.watch({
        fieldSelector: 'metadata.name=work',
        resourceVersion: created.metadata?.resourceVersion,
        timeoutSeconds: 300,
        signal: watchStop.signal,
      });
      for await (const ev of events) {
        const worker = ev.type === 'MODIFIED' ? ev.object.metadata?.annotations?.worker : undefined;
        if (worker && worker !== stamps.at(-1)) stamps.push(worker);
        if (ev.type === 'MODIFIED') modifications++;
      }
    })().catch(() => undefined);

    const a = spawnCandidate('proc-a', 'procs', 'work');
    const b = spawnCandidate('proc-b', 'procs', 'work');
    const leader = await waitUntil('one process leading', () => [a, b].find((c) => leadingAt(c) !== undefined), { timeoutMs: 30_000 });
    const survivor = leader === a ? b : a;
    await waitUntil('both processes running', () => survivor.lines.some((l) => l.text === `CANDIDATE ${survivor.id}`));
    // ~4 s of the leader's work, so the follower has had two retries to (wrongly) take over
    await waitUntil('eight writes by the leader', () => modifications >= 8, { timeoutMs: 20_000 });
    expect(leadingAt(survivor)).toBeUndefined();
    expect(stamps).toEqual([leader.id]);
    const before = await Api.namespaced(client, leases, ns.name).get('procs');
    expect(before.spec?.holderIdentity).toBe(leader.id);

    const killedAt = Date.now();
    process.kill(leader.proc.pid!, 'SIGKILL');
    const tookOverAt = await waitUntil(`${survivor.id} LEADING`, () => leadingAt(survivor), { timeoutMs: 15_000, intervalMs: 20 });
    const takeoverMs = tookOverAt - killedAt;
    process.stdout.write(`leader process killed; ${survivor.id} leading after ${takeoverMs} ms\n`);
    // lease duration 4 s + retry period 2 s (+20% jitter) + margin
    expect(takeoverMs).toBeLessThan(4000 + 2000 + 2000);

    await waitUntil('the ConfigMap to show the survivor', async () => (await cmApi.get('work')).metadata?.annotations?.worker === survivor.id);
    await waitUntil('the watch to see the survivor', () => stamps.includes(survivor.id));
    expect(stamps).toEqual([leader.id, survivor.id]);
    const after = await Api.namespaced(client, leases, ns.name).get('procs');
    expect(after.spec).toMatchObject({ holderIdentity: survivor.id, leaseTransitions: (before.spec?.leaseTransitions ?? 0) + 1 });
    expect([...leader.lines, ...survivor.lines].filter((l) => /^(ERROR|STDERR)/.test(l.text))).toEqual([]);
    expect(survivor.lines.map((l) => l.text)).toEqual([`CANDIDATE ${survivor.id}`, `LEADING ${survivor.id}`]);

    watchStop.abort();
    await watching;
  });
});
