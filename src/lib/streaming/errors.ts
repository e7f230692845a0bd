// Failures of streaming sessions, as kubectl reports them.
import { KtxError, type Status } from '../errors.js';

/**
 * The remote command could not run or failed for a reason other than its exit code: the
 * `Failure` Status the server sent on the error channel (e.g. `Internal error occurred: …
 * executable file not found`). kubectl prints its message after `error: `.
 */
export class StreamStatusError extends KtxError {
  override name = 'StreamStatusError';
  constructor(readonly status: Status) {
    super(status.message || `the remote command failed (${status.reason ?? 'unknown reason'})`);
  }
}

/**
 * One forwarded connection failed: the text the kubelet wrote on the port's error channel (e.g.
 * `error forwarding port 5000 to pod …: connection refused`). kubectl logs it as
 * `an error occurred forwarding <local> -> <remote>: <message>`.
 */
export class PortForwardError extends KtxError {
  override name = 'PortForwardError';
  constructor(
    readonly remotePort: number,
    message: string,
  ) {
    super(message);
  }
}

/** A port-forward to a named pod ended because the pod went away: kubectl's `lost connection to pod`. */
export class LostConnectionError extends KtxError {
  override name = 'LostConnectionError';
  constructor(readonly pod: string) {
    super('lost connection to pod');
  }
}
