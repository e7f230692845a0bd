/**
 * How Go's fmt and strconv print the values kubectl decodes from JSON. kubectl holds objects
 * as `map[string]interface{}` with integers as int64 and other numbers as float64, so a JSON
 * value is printed by its Go type: a whole number (within int64) as an integer, anything
 * else as a float64.
 */

/** The Go type a JSON value has after kubectl's unstructured decoding. */
export type GoKind = 'nil' | 'bool' | 'int64' | 'float64' | 'string' | 'slice' | 'map';

const INT64_LIMIT = 2 ** 63;

export function goKind(v: unknown): GoKind {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isGoInt(v) ? 'int64' : 'float64';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/** True when kubectl would have decoded this JSON number as an int64. */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && n < INT64_LIMIT && n >= -INT64_LIMIT;
}

/** The Go type name as `%v` of a reflect.Type prints it. */
export function goTypeName(v: unknown): string {
  switch (goKind(v)) {
    case 'nil':
      return 'interface {}';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    default:
      return goKind(v);
  }
}

/** A number as fmt's `%v` prints its Go type: int64 in decimal, float64 as `%g` (1e+06, 1.5e-05). */
export function formatGoNumber(n: number): string {
  if (isGoInt(n)) return Object.is(n, -0) ? '0' : BigInt(n).toString();
  return formatGoFloat(n);
}

/**
 * strconv.FormatFloat(f, 'g', -1, 64), which is also fmt's `%v`: the shortest digits that
 * round-trip, in exponent form when the exponent is < -4 or >= 6 (two-digit minimum exponent).
 */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const neg = f < 0;
  const [mant = '', expText = '0'] = Math.abs(f).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  let body: string;
  if (exp < -4 || exp >= 6) {
    const frac = digits.slice(1);
    const e = Math.abs(exp);
    body = `${digits[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    body = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${body}` : body;
}

/** fmt.Sprint of a decoded JSON value: `map[a:1 b:[x y]]`, `<nil>`, strings raw. */
export function goSprint(v: unknown): string {
  switch (goKind(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return String(v);
    case 'int64':
    case 'float64':
      return formatGoNumber(v as number);
    case 'string':
      return v as string;
    case 'slice':
      return `[${(v as unknown[]).map(goSprint).join(' ')}]`;
    default: {
      const m = v as Record<string, unknown>;
      return `map[${sortedKeys(m)
        .map((k) => `${k}:${goSprint(m[k])}`)
        .join(' ')}]`;
    }
  }
}

/** fmt's `%#v` (Go syntax) of a decoded JSON value, as kubectl's jsonpath error dump shows it. */
export function goSyntax(v: unknown, inInterface = false): string {
  switch (goKind(v)) {
    case 'nil':
      return inInterface ? 'interface {}(nil)' : '<nil>';
    case 'bool':
      return String(v);
    case 'int64':
    case 'float64':
      return formatGoNumber(v as number);
    case 'string':
      return goQuote(v as string);
    case 'slice':
      return `[]interface {}{${(v as unknown[]).map((x) => goSyntax(x, true)).join(', ')}}`;
    default: {
      const m = v as Record<string, unknown>;
      return `map[string]interface {}{${sortedKeys(m)
        .map((k) => `${goQuote(k)}:${goSyntax(m[k], true)}`)
        .join(', ')}}`;
    }
  }
}

/** strconv.Quote: double-quoted with Go escapes; non-printable runes as \xNN, \uNNNN or \UNNNNNNNN. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (isGoPrint(cp)) out += ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** fmt's `%#U`: `U+0041 'A'`, or just `U+0007` for a rune strconv.IsPrint rejects. */
export function goRuneU(cp: number): string {
  const code = `U+${hex(cp, 4).toUpperCase()}`;
  return isGoPrint(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}

/** strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isGoPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Object keys in Go's string order (bytewise UTF-8, which is code point order). */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort(compareCodePoints);
}

/** Compares strings by code point, which orders them like Go compares their UTF-8 bytes. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP character in code point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
