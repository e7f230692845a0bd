import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/lib/errors.js';
import { parseRequestTimeout } from '../../../src/lib/config/index.js';

describe('--request-timeout', () => {
  it('reads kubectl durations in milliseconds', () => {
    expect(parseRequestTimeout('0')).toBe(0);
    expect(parseRequestTimeout('5')).toBe(5_000);
    expect(parseRequestTimeout(30)).toBe(30_000);
    expect(parseRequestTimeout('5s')).toBe(5_000);
    expect(parseRequestTimeout('1m')).toBe(60_000);
    expect(parseRequestTimeout('1h30m')).toBe(5_400_000);
    expect(parseRequestTimeout('1.5s')).toBe(1_500);
    expect(parseRequestTimeout('250ms')).toBe(250);
  });

  it('rejects anything else with kubectl message', () => {
    for (const bad of ['', 'soon', '5x', '1m5', '--1s']) {
      expect(() => parseRequestTimeout(bad)).toThrow(
        new ConfigError('Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a unit (e.g. 1s | 2m | 3h)'),
      );
    }
  });
});
