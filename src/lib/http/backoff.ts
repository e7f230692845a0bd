/**
 * Exponential backoff with full jitter: attempt 0 waits up to `baseMs`, each later attempt up to
 * twice as long, never more than `maxMs`. The watcher uses 800 ms to 30 s as kube-rs does.
 */
export function backoffDelay(attempt: number, baseMs = 200, maxMs = 5_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The delay asked for by a `Retry-After` header (seconds, or an HTTP date), capped at `maxMs`. */
export function retryAfterMs(header: string | string[] | undefined, maxMs = 10_000, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.min(maxMs, Math.max(0, seconds * 1000));
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.min(maxMs, Math.max(0, at - now));
}
