/**
 * go-yaml v2's implicit typing, as the encoder uses it to decide whether a string may be
 * written plain: a string that would read back as anything but a string (bool, null, int,
 * float, timestamp, or a YAML 1.1 base-60 number) is double-quoted instead.
 */

/** Plain scalars that are not strings by table lookup (YAML 1.1 booleans, nulls, special floats). */
const RESOLVE_MAP = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
  ...['', '~', 'null', 'Null', 'NULL'],
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'],
]);

/** True when go-yaml would read `s`, written plain, as a string (resolve() gives !!str). */
export function resolvesToString(s: string): boolean {
  // The first byte hints at the type: sign, digit, one of "yYnNtTfFoO~", or '.'.
  const hint = s === '' ? 'N' : hintOf(s[0]!);
  if (hint === undefined) return true;
  if (RESOLVE_MAP.has(s)) return false;
  switch (hint) {
    case 'M':
      return true;
    case '.':
      return !isGoDecimalFloat(s);
    default: {
      if (isTimestamp(s)) return false;
      const plain = s.replaceAll('_', '');
      if (isGoIntBase0(plain)) return false;
      return !(YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain)));
    }
  }
}

function hintOf(c: string): string | undefined {
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds (underscores already removed). */
function isGoIntBase0(s: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const body = m[2]!;
  let value: bigint;
  if (/^0[xXbBoO]/.test(body)) value = BigInt(`0${body[1]!.toLowerCase()}${body.slice(2)}`);
  else if (body.length > 1 && body[0] === '0') value = BigInt(`0o${body.slice(1)}`);
  else value = BigInt(body);
  if (m[1] === '-') value = -value;
  // int64 range for ParseInt; ParseUint (no sign allowed) takes the rest of uint64.
  if (value >= -(2n ** 63n) && value < 2n ** 63n) return true;
  return m[1] === '' && value < 2n ** 64n;
}

/**
 * strconv.ParseFloat succeeds for a string starting with '.': Go's decimal float syntax, where
 * an underscore may only sit between digits, and no overflow to infinity (an overflow is an
 * error, so such strings stay plain).
 */
function isGoDecimalFloat(s: string): boolean {
  return /^\.[0-9]+(_[0-9]+)*([eE][+-]?[0-9]+(_[0-9]+)*)?$/.test(s) && Number.isFinite(Number(s.replaceAll('_', '')));
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** YAML 1.1 sexagesimal numbers (`1:20`), which go-yaml quotes for other parsers' sake. */
export function isBase60Float(s: string): boolean {
  return BASE60_FLOAT.test(s);
}

/**
 * go-yaml's parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (also with a
 * lower-case t), "2006-1-2 15:4:5.999999999" or "2006-1-2".
 */
function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  const date = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/.exec(s);
  if (!date) return false;
  const year = Number(date[1]);
  const month = Number(date[2]);
  const day = Number(date[3]);
  if (month < 1 || month > 12) return false;
  const rest = s.slice(date[0].length);
  if (rest !== '' && !isTimeOfDay(rest)) return false;
  return day >= 1 && day <= daysIn(month, year);
}

/** The part after the date: `T15:4:5[.frac]Z|±hh:mm`, `t…`, or ` 15:4:5[.frac]` (spaces run). */
function isTimeOfDay(rest: string): boolean {
  const withZone = /^[Tt]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})([.,][0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))$/.exec(rest);
  if (withZone) {
    if (!clockInRange(withZone)) return false;
    return withZone[5] === 'Z' || (Number(withZone[6]) <= 24 && Number(withZone[7]) <= 60);
  }
  const spaced = /^ +([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})([.,][0-9]+)?$/.exec(rest);
  return !!spaced && clockInRange(spaced);
}

function clockInRange(m: RegExpExecArray): boolean {
  return Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) < 60;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
