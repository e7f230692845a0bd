// The pure half of leader election: reading a Lease's spec at a given instant and writing the
// next one. No I/O and no clock of its own, so the decisions are unit-testable with any "now".
import type { LeaseSpec } from '../types/coordination/v1.js';

/**
 * Formats an instant as a Kubernetes `MicroTime` (RFC 3339 with exactly six fractional digits,
 * UTC), the format of `Lease.spec.acquireTime`/`renewTime` and `Event.eventTime`. JavaScript
 * clocks have millisecond resolution, so the last three digits are always zero.
 */
export function formatMicroTime(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Parses a `MicroTime` or `Time` string to milliseconds since the epoch (sub-millisecond digits
 * are dropped), or undefined when it is absent or unparseable.
 */
export function parseMicroTime(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m) return undefined;
  const ms = (m[2] ?? '').slice(0, 3).padEnd(3, '0');
  const t = Date.parse(`${m[1]}.${ms}${m[3]}`);
  return Number.isNaN(t) ? undefined : t;
}

/** What a candidate sees when it looks at the Lease. */
export type LeaseObservation =
  /** No Lease object exists yet: create it. */
  | { state: 'missing' }
  /** Nobody holds it (released, or never held): take it. */
  | { state: 'free' }
  /** Someone else held it but did not renew within their lease duration: take it over. */
  | { state: 'expired'; holder: string; expiredAt: number }
  /** This candidate holds it: renew it. */
  | { state: 'ours'; expiresAt: number }
  /** Someone else holds it and it is still valid: wait. */
  | { state: 'held'; holder: string; expiresAt: number };

/**
 * Classifies a Lease for candidate `identity` at instant `now` (ms since the epoch).
 *
 * The lease is valid until `renewTime + leaseDurationSeconds` (falling back to `acquireTime` when
 * no renewTime was written, and to `defaultDurationSeconds` when the holder wrote no duration); at
 * or before that instant it is held, strictly after it, expired. An empty `holderIdentity` means
 * free. A holder with neither time is treated as expired, since nothing says when it last lived.
 */
export function observeLease(spec: LeaseSpec | undefined, identity: string, now: number, defaultDurationSeconds: number): LeaseObservation {
  if (!spec) return { state: 'missing' };
  const holder = spec.holderIdentity ?? '';
  if (!holder) return { state: 'free' };
  const durationMs = (spec.leaseDurationSeconds ?? defaultDurationSeconds) * 1000;
  const since = parseMicroTime(spec.renewTime) ?? parseMicroTime(spec.acquireTime);
  const expiresAt = since === undefined ? Number.NEGATIVE_INFINITY : since + durationMs;
  if (holder === identity) return { state: 'ours', expiresAt };
  if (now > expiresAt) return { state: 'expired', holder, expiredAt: expiresAt };
  return { state: 'held', holder, expiresAt };
}

/**
 * The spec a candidate writes to take or keep the lease. Renewing keeps `acquireTime` and
 * `leaseTransitions` and moves `renewTime`; taking it from anyone else (including from nobody,
 * after a release) sets `acquireTime` and increments `leaseTransitions`, as client-go does.
 * Fields this library does not manage (`strategy`, `preferredHolder`) are kept.
 */
export function claimedLeaseSpec(previous: LeaseSpec | undefined, identity: string, now: Date, leaseDurationSeconds: number): LeaseSpec {
  const stamp = formatMicroTime(now);
  const renewing = previous?.holderIdentity === identity;
  return {
    ...previous,
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: renewing && previous?.acquireTime ? previous.acquireTime : stamp,
    renewTime: stamp,
    leaseTransitions: previous ? (previous.leaseTransitions ?? 0) + (renewing ? 0 : 1) : 0,
  };
}

/**
 * The spec a holder writes when it steps down voluntarily: no holder and a one-second duration,
 * so that any candidate (including one running an older client that ignores an empty holder)
 * takes over on its next retry instead of waiting out the full lease duration.
 */
export function releasedLeaseSpec(previous: LeaseSpec, now: Date): LeaseSpec {
  const { holderIdentity: _holder, ...rest } = previous;
  return { ...rest, leaseDurationSeconds: 1, renewTime: formatMicroTime(now) };
}
