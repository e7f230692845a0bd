// The value order of --sort-by: quantities, numbers, nulls, and Go's sort.Sort.
import { describe, expect, it } from 'vitest';
import { goSortArray } from '../../src/ui/print/gosort.js';
import { parseQuantity, sortValueLess, UnsortableError } from '../../src/ui/print/sort-values.js';

describe('parseQuantity', () => {
  it.each([
    ['0', 0n],
    ['1', 1_000_000_000n],
    ['500m', 500_000_000n],
    ['1.5', 1_500_000_000n],
    ['1Ki', 1024n * 1_000_000_000n],
    ['1.5Gi', 1_610_612_736n * 1_000_000_000n],
    ['1e3', 1000n * 1_000_000_000n],
    ['1n', 1n],
    ['0.0000000001', 1n],
    ['-0.0000000001', -1n],
    ['-1.5k', -1_500_000_000_000n],
    ['m', 0n],
    ['-', 0n],
    ['.', 0n],
    ['e-9', 0n],
  ])('%s is %s nano-units', (q, nano) => {
    expect(parseQuantity(q)).toBe(nano);
  });

  it.each(['', 'abc', 'Pending', '2024-01-01T00:00:00Z', '1.5.5', 'e-10', '1e', 'mum', 'Kii'])('%j is not a quantity', (s) => {
    expect(parseQuantity(s)).toBeUndefined();
  });

  it('caps binary quantities at 2^63-1', () => {
    expect(parseQuantity('16Ei')).toBe(parseQuantity('9223372036854775807'));
  });
});

describe('sortValueLess', () => {
  it('compares like kubectl isLess', () => {
    expect(sortValueLess(2, 10)).toBe(true);
    expect(sortValueLess(1.5, 2.5)).toBe(true);
    expect(sortValueLess('9', '10')).toBe(true);
    expect(sortValueLess('100Mi', '1Gi')).toBe(true);
    expect(sortValueLess('b10', 'b9')).toBe(true);
    expect(sortValueLess(null, 'a')).toBe(true);
    expect(sortValueLess('a', null)).toBe(false);
    expect(sortValueLess(null, null)).toBe(false);
  });

  it('rejects mixed and non-scalar types', () => {
    expect(() => sortValueLess(1, 1.5)).toThrow(new UnsortableError('unsortable interface: interface'));
    expect(() => sortValueLess('a', 1)).toThrow('unsortable interface: interface');
    expect(() => sortValueLess(true, false)).toThrow('unsortable type: bool');
    expect(() => sortValueLess([1], [2])).toThrow('unsortable type: []interface {}');
  });
});

describe('goSortArray', () => {
  it("reproduces Go's sort.Sort order, including for ties", () => {
    const keys = Array.from({ length: 20 }, (_, i) => ({ i, k: i % 2 }));
    expect(goSortArray(keys, (a, b) => a.k < b.k).map((x) => x.i)).toEqual([10, 18, 2, 16, 4, 0, 6, 14, 8, 12, 5, 11, 9, 13, 7, 15, 3, 17, 1, 19]);
    const many = Array.from({ length: 300 }, (_, i) => (i * 7919) % 301);
    expect(goSortArray([...many], (a, b) => a < b)).toEqual([...many].sort((a, b) => a - b));
  });
});
