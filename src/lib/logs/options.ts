// kubectl's `logs` flags → the pods/log request (its ToLogOptions and Validate).
import type { LogParams } from '../api/params.js';
import { KtxError } from '../errors.js';
import { sinceTimeParam, type LogInstant } from './timestamps.js';

/** The request-shaping flags of `kubectl logs`, already parsed. */
export interface LogFlags {
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  /** `--since` in milliseconds (0 or undefined: not given). */
  sinceMs?: number;
  /** `--since-time`, parsed. */
  sinceTime?: LogInstant;
  /** `--tail` as given; undefined when the flag was not given. */
  tail?: number;
  /** `--limit-bytes` (0 or undefined: no limit). */
  limitBytes?: number;
  /** True when pods are chosen by a label selector (`-l`): the default tail is then 10. */
  selector?: boolean;
  insecureSkipTLSVerifyBackend?: boolean;
}

/** The tail kubectl applies to each stream when a selector is used and `--tail` is not given. */
export const SELECTOR_DEFAULT_TAIL = 10;

/**
 * The request parameters kubectl sends for these flags (its `ToLogOptions`): `sinceSeconds` is
 * `--since` rounded to whole seconds (half away from zero), `sinceTime` whole seconds in UTC,
 * `tailLines` is `--tail` unless -1 (all), or 10 with a selector when `--tail` was not given.
 */
export function logParams(flags: LogFlags): LogParams {
  const p: LogParams = {};
  if (flags.follow) p.follow = true;
  if (flags.previous) p.previous = true;
  if (flags.timestamps) p.timestamps = true;
  if (flags.insecureSkipTLSVerifyBackend) p.insecureSkipTLSVerifyBackend = true;
  if (flags.sinceTime) p.sinceTime = sinceTimeParam(flags.sinceTime);
  if (flags.limitBytes) p.limitBytes = flags.limitBytes;
  if (flags.sinceMs) p.sinceSeconds = Math.sign(flags.sinceMs) * Math.round(Math.abs(flags.sinceMs) / 1000);
  const tail = flags.tail ?? -1;
  if (flags.selector && flags.tail === undefined) p.tailLines = SELECTOR_DEFAULT_TAIL;
  else if (tail !== -1) p.tailLines = tail;
  return p;
}

/**
 * kubectl's checks of the flags (its `Validate`), with its messages. `inlineContainer` is the
 * legacy second argument (`logs POD CONTAINER`), `container` the `-c` flag.
 */
export function validateLogFlags(flags: LogFlags & { allContainers?: boolean; container?: string; inlineContainer?: string }): void {
  if (flags.sinceTime && flags.sinceMs) throw new KtxError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  const container = flags.inlineContainer ?? flags.container;
  if (flags.allContainers && container) throw new KtxError(`--all-containers=true should not be specified with container name ${container}`);
  if (flags.container !== undefined && flags.inlineContainer !== undefined) throw new KtxError('only one of -c or an inline [CONTAINER] arg is allowed');
  if ((flags.limitBytes ?? 0) < 0) throw new KtxError('--limit-bytes must be greater than 0');
  const params = logParams(flags);
  if ((params.sinceSeconds ?? 0) < 0) throw new KtxError('--since must be greater than 0');
  if ((params.tailLines ?? 0) < -1) throw new KtxError('--tail must be greater than or equal to -1');
}
