// `--since-time`: RFC 3339 as Go's time.Parse reads it, with Go's error messages.
import { KtxError } from '../errors.js';
import type { LogInstant } from './timestamps.js';

const LAYOUT = '2006-01-02T15:04:05Z07:00';

/** A `--since-time` value that does not parse; the message is Go's `time.ParseError` text. */
export class SinceTimeError extends KtxError {
  override name = 'SinceTimeError';
}

/** Go's quoting of values in time.ParseError messages (enough of it for command-line text). */
const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

/** Seconds since the epoch of a UTC calendar time; unlike Date.UTC, years 0–99 stay as they are. */
function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() / 1000;
}

const daysIn = (month: number, year: number) => {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
};

/**
 * Parses `--since-time` as kubectl does (`time.Parse(time.RFC3339Nano)`, then `time.RFC3339`):
 * `2024-08-30T06:00:00Z`, `2024-08-30T08:00:00.5+02:00`. Failures carry Go's messages, e.g.
 * `parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"`.
 */
export function parseSinceTime(text: string): LogInstant {
  const fail = (elem: string, value: string, message = ''): never => {
    throw new SinceTimeError(
      message ? `parsing time ${quote(text)}${message}` : `parsing time ${quote(text)} as ${quote(LAYOUT)}: cannot parse ${quote(value)} as ${quote(elem)}`,
    );
  };
  let value = text;
  const literal = (lit: string) => {
    if (!value.startsWith(lit)) fail(lit, value);
    value = value.slice(lit.length);
  };
  const number = (elem: string, fixed: boolean, range: [number, number], what: string): number => {
    const got = getnum(value, fixed);
    if (!got) return fail(elem, value);
    value = got[1];
    if (got[0] < range[0] || got[0] > range[1]) fail(elem, value, `: ${what} out of range`);
    return got[0];
  };

  if (value.length < 4 || !/^\d{4}/.test(value)) fail('2006', value);
  const year = Number(value.slice(0, 4));
  value = value.slice(4);
  literal('-');
  const month = number('01', true, [1, 12], 'month');
  literal('-');
  const dayHold = value;
  const dayGot = getnum(value, true);
  if (!dayGot) fail('02', dayHold);
  const day = dayGot![0];
  value = dayGot![1];
  literal('T');
  const hour = number('15', false, [0, 23], 'hour');
  literal(':');
  const minute = number('04', true, [0, 59], 'minute');
  literal(':');
  const second = number('05', true, [0, 59], 'second');
  let nanos = 0;
  if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigit(value, 1)) {
    let n = 2;
    while (isDigit(value, n)) n++;
    nanos = Number(value.slice(1, Math.min(n, 10)).padEnd(9, '0'));
    value = value.slice(n);
  }
  let offset = 0;
  const zoneHold = value;
  if (value.startsWith('Z')) value = value.slice(1);
  else {
    if (value.length < 6 || value[3] !== ':') fail('Z07:00', zoneHold);
    const sign = value[0];
    const hh = getnum(value.slice(1, 3), true);
    const mm = getnum(value.slice(4, 6), true);
    value = value.slice(6);
    if (!hh || !mm) return fail('Z07:00', zoneHold);
    if (hh[0] > 24) fail('Z07:00', value, ': time zone offset hour out of range');
    if (mm[0] > 60) fail('Z07:00', value, ': time zone offset minute out of range');
    if (sign !== '+' && sign !== '-') fail('Z07:00', zoneHold);
    offset = (sign === '-' ? -1 : 1) * (hh[0] * 3600 + mm[0] * 60);
  }
  if (value !== '') fail('', value, `: extra text: ${quote(value)}`);
  if (day < 1 || day > daysIn(month, year)) fail('', value, ': day out of range');
  const seconds = utcSeconds(year, month, day, hour, minute, second) - offset;
  return { seconds, nanos };
}
