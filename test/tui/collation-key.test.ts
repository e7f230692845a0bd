// Collation keys against the collator they stand in for: plain `<` on keys must order strings
// exactly as Intl.Collator('en', { numeric: true }) does, equal keys exactly where it finds a tie.
import { describe, expect, it } from 'vitest';
import { collationKey, collator } from '../../src/ui/tui/live-table/collation-key.js';

const sign = (x: number) => (x < 0 ? -1 : x > 0 ? 1 : 0);

function keyCompare(a: string, b: string): number {
  const x = collationKey(a);
  const y = collationKey(b);
  if (x === undefined || y === undefined) throw new Error(`no key for ${JSON.stringify(x === undefined ? a : b)}`);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

describe('collationKey', () => {
  it('orders every string of up to two printable ASCII characters as the collator does', () => {
    const all = ['', ...PRINTABLE];
    for (const a of PRINTABLE) for (const b of PRINTABLE) all.push(a + b);
    all.sort(collator.compare);
    // Both orders are total preorders: agreeing on every neighbour in one means agreeing everywhere.
    const disagreements = [];
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      if (keyCompare(a, b) !== sign(collator.compare(a, b))) disagreements.push([a, b]);
    }
    expect(disagreements).toEqual([]);
  });

  it('orders random strings with numbers, case, punctuation and spaces as the collator does', () => {
    const next = random(42);
    const pick = (s: string | string[]) => s[Math.floor(next() * s.length)]!;
    // Mostly what table cells hold (names, counts, ages, IPs, statuses), sometimes anything printable.
    const common = 'aAbBkKzZ0123456789-_./:() <>';
    const string = () => {
      let s = '';
      for (let n = Math.floor(next() * 10); n > 0; n--) s += next() < 0.7 ? pick(common) : pick(PRINTABLE);
      return s;
    };
    const disagreements = [];
    for (let i = 0; i < 50_000; i++) {
      const a = string();
      // Half the pairs share a prefix, so that later characters and case decide.
      const b = next() < 0.5 ? a.slice(0, Math.floor(next() * a.length)) + string() : string();
      if (keyCompare(a, b) !== sign(collator.compare(a, b))) disagreements.push([a, b]);
    }
    expect(disagreements).toEqual([]);
  });

  it('compares digit runs by value, leading zeros ignored, up to long runs', () => {
    const next = random(7);
    const digits = (n: number) => Array.from({ length: n }, () => (next() < 0.2 ? '0' : String(Math.floor(next() * 10)))).join('');
    const disagreements = [];
    for (let i = 0; i < 5_000; i++) {
      const n = Math.floor(next() * 120);
      const a = `pod-${digits(n)}${next() < 0.5 ? 'a' : 'B'}`;
      const b = `pod-${next() < 0.5 ? digits(n) : digits(Math.floor(next() * 120))}${next() < 0.5 ? 'A' : 'b'}`;
      if (keyCompare(a, b) !== sign(collator.compare(a, b))) disagreements.push([a, b]);
    }
    expect(disagreements).toEqual([]);
    expect(keyCompare('web-9', 'web-10')).toBe(-1);
    expect(keyCompare('a01', 'a1')).toBe(0);
    expect(keyCompare('0', '00')).toBe(0);
  });

  it('has no key for what it does not model: controls, tabs, non-ASCII, very long digit runs', () => {
    for (const s of ['a\tb', 'line\n', '\u0001', 'café', 'naïve', '日本', '🙂', '1'.repeat(201)]) expect(collationKey(s), JSON.stringify(s)).toBeUndefined();
    expect(collationKey('1'.repeat(200))).toBeDefined();
  });
});
