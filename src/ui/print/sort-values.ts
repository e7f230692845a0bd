/**
 * The value ordering of `kubectl get --sort-by` (k8s.io/kubectl/pkg/cmd/get/sorter.go isLess):
 * - numbers by value when both sides have the same Go type (int64 or float64);
 * - strings as resource quantities when both parse as one (`100Mi` < `1Gi`, `9` < `10`),
 *   else bytewise (so RFC 3339 timestamps sort chronologically);
 * - a null sorts before anything; anything else (bools, maps, lists, mixed types) is an error.
 */
import { compareCodePoints, goTypeName } from './gofmt.js';

export class UnsortableError extends Error {
  override name = 'UnsortableError';
}

/** isLess for two JSON values taken from objects; throws UnsortableError with kubectl's reason. */
export function sortValueLess(a: unknown, b: unknown): boolean {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && !bn;
  const ta = goTypeName(a);
  if (ta === 'int64' || ta === 'float64') {
    if (goTypeName(b) === ta) return (a as number) < (b as number);
  } else if (ta === 'string') {
    if (typeof b === 'string') {
      const qa = parseQuantity(a as string);
      const qb = qa === undefined ? undefined : parseQuantity(b);
      if (qa !== undefined && qb !== undefined) return qa < qb;
      return compareCodePoints(a as string, b) < 0;
    }
  } else {
    throw new UnsortableError(`unsortable type: ${ta}`);
  }
  throw new UnsortableError('unsortable interface: interface');
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_BINARY_NANO = (2n ** 63n - 1n) * 10n ** 9n;
/** Beyond this decimal exponent values are compared as if clamped (kubectl would build huge numbers). */
const EXPONENT_CLAMP = 10_000;

/**
 * resource.ParseQuantity as a comparable number: the value in nano-units, rounded up away from
 * zero as ParseQuantity rounds to nano precision, binary quantities capped at 2^63-1.
 * Undefined when the string is not a quantity.
 */
export function parseQuantity(str: string): bigint | undefined {
  if (str.length === 0) return undefined;
  if (str === '0') return 0n;
  const parts = splitQuantity(str);
  if (!parts) return undefined;
  const { positive, value, num, denom, suffix } = parts;
  let base: 2 | 10;
  let exponent: number;
  if (suffix in DECIMAL_SUFFIXES) {
    base = 10;
    exponent = DECIMAL_SUFFIXES[suffix]!;
  } else if (suffix in BINARY_SUFFIXES) {
    base = 2;
    exponent = BINARY_SUFFIXES[suffix]!;
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const e = BigInt(suffix.slice(1));
    if (e > 2n ** 63n - 1n || e < -(2n ** 63n)) return undefined;
    base = 10;
    exponent = Number(BigInt.asIntN(32, e));
  } else {
    return undefined;
  }
  const digits = BigInt(num + denom);
  if (!fastPath(base, exponent, num, denom, digits) && !/[0-9]/.test(value)) return undefined;
  // value = digits × 10^-len(denom) × base^exponent; in nano-units multiply by 10^9.
  let pow10 = 9 - denom.length;
  let pow2 = 0;
  if (base === 10) pow10 += Math.max(-EXPONENT_CLAMP, Math.min(EXPONENT_CLAMP, exponent));
  else pow2 = exponent;
  let numerator = digits * 2n ** BigInt(pow2);
  let denominator = 1n;
  if (pow10 >= 0) numerator *= 10n ** BigInt(pow10);
  else denominator = 10n ** BigInt(-pow10);
  let nano = (numerator + denominator - 1n) / denominator;
  if (base === 2 && nano > MAX_BINARY_NANO) nano = MAX_BINARY_NANO;
  return positive ? nano : -nano;
}

/** resource's parseQuantityString: sign, digits, fraction, then a suffix of `eEinumkKMGTP` chars and signed digits. */
function splitQuantity(str: string): { positive: boolean; value: string; num: string; denom: string; suffix: string } | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && str[i]! >= '0' && str[i]! <= '9') i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num, denom: '', suffix: '' };
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && str[i]! >= '0' && str[i]! <= '9') i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  for (i = pos; i < end && 'eEinumkKMGTP'.includes(str[i]!); i++);
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  for (i = pos; i < end && str[i]! >= '0' && str[i]! <= '9'; i++);
  if (i < end) return undefined;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/**
 * Whether ParseQuantity takes its int64 fast path. Only the slow path parses the numeric text
 * again (inf.Dec), which fails when it holds no digit at all (`e-10`, unlike `e-9` or `m`).
 */
function fastPath(base: 2 | 10, exponent: number, num: string, denom: string, digits: bigint): boolean {
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  } else if (denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - num.length - (exponent * 3) / 10 - 1;
  } else {
    precision = -1;
  }
  if (precision < 0 || scale - denom.length < -9) return false;
  const product = digits * mantissa;
  return product <= 2n ** 63n - 1n;
}
