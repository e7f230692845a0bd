import { setTimeout as delay } from 'node:timers/promises';
import { Api } from '../api/api.js';
import type { Client } from '../client.js';
import { ApiError } from '../errors.js';
import type { Lease } from '../types/coordination/v1.js';
import { leases } from '../types/resources.js';
import { claimedLeaseSpec, observeLease, releasedLeaseSpec } from './leader-lease.js';

/**
 * Settings for a {@link LeaderElector}. The three durations follow client-go's
 * `LeaderElectionConfig` and must satisfy `leaseDurationSeconds > renewDeadlineSeconds >
 * retryPeriodSeconds > 0`.
 */
export interface LeaderElectorOptions {
  /** Name of the `coordination.k8s.io/v1` Lease all candidates compete for. */
  name: string;
  /** Namespace of the Lease. */
  namespace: string;
  /**
   * This candidate's identity, written to `spec.holderIdentity`. It must be unique among live
   * candidates (e.g. pod name plus a random suffix): two processes with the same identity both
   * believe they hold the lease.
   */
  identity: string;
  /**
   * `spec.leaseDurationSeconds`: how long, counted from the holder's last `renewTime`, other
   * candidates wait before they may take the lease over (default 15, kube-controller-manager's
   * default). A holder that dies without releasing is replaced after at most this plus one
   * (jittered) retry period.
   */
  leaseDurationSeconds?: number;
  /**
   * How long the leader keeps retrying a failed renewal before it gives up leadership (default
   * 10). Being shorter than the lease duration is what makes the leader stop working before
   * anyone else may start.
   */
  renewDeadlineSeconds?: number;
  /** How often candidates try to acquire and the leader renews (default 2); acquiring adds up to 20% jitter. */
  retryPeriodSeconds?: number;
  /**
   * Called when this candidate becomes the leader. Do the leader-only work here until `signal`
   * aborts (lost the lease, or `run`'s signal aborted). A rejected promise is reported to
   * `onError` and does not end the election; `run` waits for this promise before it releases the
   * lease, so leader-only work never overlaps with the next leader's.
   */
  onStartedLeading?: (signal: AbortSignal) => void | Promise<void>;
  /** Called once after leadership ends, whatever the reason; never called if it never started. */
  onStoppedLeading?: () => void;
  /** Called whenever the observed holder changes to a new, non-empty identity (this one included). */
  onNewLeader?: (identity: string) => void;
  /** Receives failed API calls and callback errors; the elector itself retries on its schedule. */
  onError?: (error: unknown) => void;
  /** Whether `run` clears the lease when its signal aborts while leading (default true). */
  releaseOnCancel?: boolean;
  /** The clock for the Lease's timestamps and for expiry decisions (default `new Date()`). */
  now?: () => Date;
}

const JITTER_FACTOR = 0.2;

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, with the semantics of client-go's
 * `leaderelection` package (kube-rs has none: kube-rs#485).
 *
 * The Lease contract every candidate follows:
 * - `spec.holderIdentity` names the current leader; empty means nobody holds it.
 * - `spec.renewTime` is when the holder last confirmed it is alive, `spec.leaseDurationSeconds`
 *   how long that confirmation is good for. A candidate may take the lease when it is free or
 *   when `renewTime + leaseDurationSeconds` lies in the past.
 * - `spec.acquireTime` is when the current holder took the lease, `spec.leaseTransitions` how many
 *   times it changed hands.
 * - Every write is a `PUT` guarded by the `resourceVersion` just read, so of two candidates that
 *   race for an expired lease exactly one wins; the loser gets 409 Conflict and retries later.
 *
 * Clock skew: expiry compares the holder's `renewTime` (written from the holder's clock) with
 * this candidate's clock. If the clocks disagree by δ, a candidate may take over δ early (or
 * late). Keep the nodes' clocks synchronised and leave `leaseDurationSeconds -
 * renewDeadlineSeconds` larger than any plausible skew; the leader stops its work after
 * `renewDeadlineSeconds` without a successful renewal, before a correctly-clocked candidate may
 * start. Leader election narrows, but does not rule out, overlapping leaders (a paused process
 * can still act on stale belief); make the protected work idempotent or fence it.
 */
export class LeaderElector {
  private readonly api: Api<Lease>;
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => Date;
  private leading = false;
  private running = false;
  private observedHolder = '';

  constructor(
    client: Client,
    private readonly options: LeaderElectorOptions,
  ) {
    const { name, namespace, identity } = options;
    if (!name || !namespace || !identity) throw new TypeError('leader election needs a lease name, a namespace and an identity');
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? 15;
    const renewDeadline = options.renewDeadlineSeconds ?? 10;
    const retryPeriod = options.retryPeriodSeconds ?? 2;
    if (!(retryPeriod > 0)) throw new TypeError('retryPeriodSeconds must be greater than zero');
    if (!(renewDeadline > retryPeriod)) throw new TypeError('renewDeadlineSeconds must be greater than retryPeriodSeconds');
    if (!(this.leaseDurationSeconds > renewDeadline)) throw new TypeError('leaseDurationSeconds must be greater than renewDeadlineSeconds');
    if (!Number.isInteger(this.leaseDurationSeconds)) throw new TypeError('leaseDurationSeconds must be a whole number of seconds');
    this.renewDeadlineMs = renewDeadline * 1000;
    this.retryPeriodMs = retryPeriod * 1000;
    this.now = options.now ?? (() => new Date());
    this.api = Api.namespaced(client, leases, namespace);
  }

  /** Whether this candidate currently believes it holds the lease. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** The holder identity last seen on the lease (`''` when nobody holds it or it was not read yet). */
  get leader(): string {
    return this.observedHolder;
  }

  /**
   * Competes for the lease until `signal` aborts or this candidate loses leadership, whichever
   * comes first: acquire (create the Lease, or take it when free or expired, every
   * `retryPeriodSeconds`), then renew every `retryPeriodSeconds` while running
   * `onStartedLeading`. Leadership ends when a renewal has not succeeded for
   * `renewDeadlineSeconds` or the lease is found with another holder; `onStoppedLeading` is
   * called and `run` resolves. Call `run` again to stand as a candidate once more (client-go
   * programs usually exit instead). On abort while leading, the lease is released so another
   * candidate takes over on its next retry rather than after the lease duration. One `run` at a
   * time per elector.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('this LeaderElector is already running');
    this.running = true;
    try {
      await this.campaign(signal);
    } finally {
      this.running = false;
    }
  }

  private async campaign(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leadership = new AbortController();
    const stopLeading = () => leadership.abort();
    signal.addEventListener('abort', stopLeading, { once: true });
    const work = this.startWork(leadership.signal);
    try {
      await this.renewWhileLeading(signal, leadership.signal);
    } finally {
      signal.removeEventListener('abort', stopLeading);
      leadership.abort();
      await work;
      const stillHeld = this.leading;
      this.leading = false;
      if (stillHeld && signal.aborted && this.options.releaseOnCancel !== false) await this.release();
      this.callback(() => this.options.onStoppedLeading?.());
    }
  }

  private async startWork(signal: AbortSignal): Promise<void> {
    try {
      await this.options.onStartedLeading?.(signal);
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /** Retries every retry period (with jitter) until this candidate holds the lease; false if aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(signal, 'acquire')) return true;
      await sleep(this.retryPeriodMs * (1 + Math.random() * JITTER_FACTOR), signal);
    }
    return false;
  }

  /**
   * Renews every retry period. A failed renewal is retried on the same schedule until the renew
   * deadline, counted from the last success, has passed; each request is cut off at that
   * deadline so a hanging connection cannot keep a stale leader working.
   */
  private async renewWhileLeading(signal: AbortSignal, leadership: AbortSignal): Promise<void> {
    let lastRenewal = this.now().getTime();
    for (;;) {
      await sleep(this.retryPeriodMs, leadership);
      if (leadership.aborted) return;
      const remaining = lastRenewal + this.renewDeadlineMs - this.now().getTime();
      const renewed = remaining > 0 && (await this.tryAcquireOrRenew(AbortSignal.any([signal, AbortSignal.timeout(remaining)]), 'renew'));
      if (signal.aborted) return;
      if (renewed) {
        lastRenewal = this.now().getTime();
      } else if (!this.leading || this.now().getTime() >= lastRenewal + this.renewDeadlineMs) {
        this.leading = false;
        return;
      }
    }
  }

  /**
   * One round of the protocol: read the lease and, when it is missing, free, expired or ours,
   * write it with this identity. True when this candidate holds the lease afterwards.
   *
   * A leader (`renew`) that finds the lease with another holder, or cleared, has lost it even if
   * that holder has since expired: re-taking it would hide a gap in which someone else led, so
   * it sets `leading` to false and steps down instead. A deleted lease may be re-created, since
   * creation is exclusive.
   */
  private async tryAcquireOrRenew(signal: AbortSignal, mode: 'acquire' | 'renew'): Promise<boolean> {
    const { name, namespace, identity } = this.options;
    try {
      const lease = await this.api.getOpt(name, { signal });
      const now = this.now();
      const seen = observeLease(lease?.spec, identity, now.getTime(), this.leaseDurationSeconds);
      if (seen.state === 'held') this.noteHolder(seen.holder);
      if (seen.state === 'held' || (mode === 'renew' && (seen.state === 'expired' || seen.state === 'free'))) {
        this.leading = false;
        return false;
      }
      const spec = claimedLeaseSpec(lease?.spec, identity, now, this.leaseDurationSeconds);
      if (lease) {
        await this.api.replace(name, { ...lease, spec }, { signal });
      } else {
        await this.api.create({ metadata: { name, namespace }, spec }, { signal });
      }
      this.leading = true;
      this.noteHolder(identity);
      return true;
    } catch (err) {
      // Conflict / AlreadyExists: another candidate wrote first; the next round reads its record.
      if (!(err instanceof ApiError && (err.isConflict() || err.isAlreadyExists())) && !signal.aborted) this.options.onError?.(err);
      return false;
    }
  }

  /** Clears the holder (only if it is still this candidate) so the next candidate need not wait for expiry. */
  private async release(): Promise<void> {
    const { name, identity } = this.options;
    const signal = AbortSignal.timeout(this.renewDeadlineMs);
    try {
      const lease = await this.api.getOpt(name, { signal });
      if (!lease?.spec || lease.spec.holderIdentity !== identity) return;
      await this.api.replace(name, { ...lease, spec: releasedLeaseSpec(lease.spec, this.now()) }, { signal });
      this.observedHolder = '';
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  private noteHolder(holder: string): void {
    if (holder === this.observedHolder) return;
    this.observedHolder = holder;
    this.callback(() => this.options.onNewLeader?.(holder));
  }

  private callback(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // aborted: the caller checks the signal
  }
}
