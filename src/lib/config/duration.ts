import { ConfigError } from '../errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const INVALID_TIMEOUT = 'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a unit (e.g. 1s | 2m | 3h)';

/** Go's `time.ParseDuration` in milliseconds (`1h30m`, `1.5s`, `300ms`, `-2m`); undefined when invalid. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const match = part.exec(rest);
    if (!match) return undefined;
    const [whole, number = '', unit = ''] = match;
    total += Number(number) * (UNIT_MS[unit] ?? Number.NaN);
    rest = rest.slice(whole.length);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/**
 * `--request-timeout` as kubectl reads it (client-go `ParseTimeout`): a bare non-negative integer is
 * seconds, anything else a Go duration (`5s`, `1m`, `1h30m`); `0` means no timeout. Returns
 * milliseconds. Invalid values are a {@link ConfigError} with kubectl's message.
 */
export function parseRequestTimeout(value: string | number): number {
  const text = String(value).trim();
  if (/^\+?\d+$/.test(text)) return Number(text) * 1000;
  const ms = parseGoDuration(text);
  if (ms === undefined) throw new ConfigError(INVALID_TIMEOUT);
  return ms;
}
