import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from '../../src/lib/http/backoff.js';
import { redactHeaders } from '../../src/lib/http/request-log.js';
import { statusForBareResponse } from '../../src/lib/http/status-messages.js';
import { parseWarnings } from '../../src/lib/http/transport.js';

describe('transport helpers', () => {
  it('parses Warning headers as the apiserver sends them', () => {
    expect(parseWarnings('299 - "unknown field \\"spec.x\\""')).toEqual(['unknown field "spec.x"']);
    expect(parseWarnings(['299 - "a", 299 - "b"', '299 - "c"'])).toEqual(['a', 'b', 'c']);
    expect(parseWarnings(undefined)).toEqual([]);
  });

  it('backs off exponentially with jitter and honours Retry-After', () => {
    expect(backoffDelay(0, 200, 5000, () => 0)).toBe(100);
    expect(backoffDelay(3, 200, 5000, () => 1)).toBe(1600);
    expect(backoffDelay(10, 200, 5000, () => 1)).toBe(5000);
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('120')).toBe(10_000);
    expect(retryAfterMs(new Date(Date.parse('2026-01-01T00:00:03Z')).toUTCString(), 10_000, Date.parse('2026-01-01T00:00:00Z'))).toBe(3000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('masks credentials but keeps the scheme', () => {
    expect(redactHeaders({ authorization: 'Bearer abc', 'proxy-authorization': 'xyz', accept: 'a' })).toEqual({
      authorization: 'Bearer <masked>',
      'proxy-authorization': '<masked>',
      accept: 'a',
    });
  });

  it("builds client-go's messages for bare error responses", () => {
    expect(statusForBareResponse(404, '404 page not found', { verb: 'GET', resource: 'pods' }).message).toBe(
      'the server could not find the requested resource (get pods)',
    );
    expect(statusForBareResponse(409, '', { verb: 'POST' }).reason).toBe('AlreadyExists');
    expect(statusForBareResponse(500, 'boom', { verb: 'GET' }).message).toBe('an error on the server ("boom") has prevented the request from succeeding');
    expect(statusForBareResponse(403, 'nope', { verb: 'GET' }).message).toBe('nope');
  });
});
