// duration.HumanDuration: the AGE format, including every unit boundary.
import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/ui/print/index.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [119_999, '119s'],
    [120 * s, '2m'],
    [121 * s, '2m1s'],
    [599 * s, '9m59s'],
    [600 * s, '10m'],
    [601 * s, '10m'],
    [59 * m, '59m'],
    [10_799 * s, '179m'],
    [10_800 * s, '3h'],
    [3 * h + m, '3h1m'],
    [3 * h + 12 * m, '3h12m'],
    [28_799 * s, '7h59m'],
    [8 * h, '8h'],
    [24 * h, '24h'],
    [172_799 * s, '47h'],
    [48 * h, '2d'],
    [49 * h, '2d1h'],
    [691_199 * s, '7d23h'],
    [691_200 * s, '8d'],
    [364 * d, '364d'],
    [63_071_999 * s, '729d'],
    [63_072_000 * s, '2y'],
    [2 * y + d, '2y1d'],
    [8 * y - s, '7y364d'],
    [8 * y, '8y'],
    [12 * y + 100 * d, '12y'],
  ])('%d ms is %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});
