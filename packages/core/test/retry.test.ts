import { describe, expect, it } from 'vitest';
import { backoffDelay, decideRetry, defaultRetryPolicy, parseRetryAfter } from '../src/portable.js';

const policy = defaultRetryPolicy;
const noJitter = { ...policy, jitter: 0 };
const now = Date.parse('2026-11-23T12:00:00Z');
const response = (status: number, headers: Record<string, string> = {}) => ({ kind: 'response' as const, status, headers });
const networkError = (code: string) => ({
  kind: 'network-error' as const,
  error: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) }),
});

describe('backoffDelay', () => {
  it('doubles from the base delay and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  it('spreads each delay by the jitter share, both ways', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(1500);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(2000);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(2500);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
  });

  it('reads an HTTP date relative to now, never below zero', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  it('retries 429, 502, 503 and 504 on idempotent calls, with backoff', () => {
    for (const status of [429, 502, 503, 504]) {
      expect(decideRetry(response(status), 'idempotent', 0, noJitter, now)).toEqual({ retry: true, delay: 1000 });
    }
  });

  it('does not retry other statuses', () => {
    for (const status of [400, 401, 403, 404, 422, 500]) {
      expect(decideRetry(response(status), 'idempotent', 0, policy, now)).toEqual({ retry: false });
    }
  });

  it('stops after maxRetries', () => {
    expect(decideRetry(response(503), 'idempotent', 2, noJitter, now)).toEqual({ retry: true, delay: 4000 });
    expect(decideRetry(response(503), 'idempotent', 3, noJitter, now)).toEqual({ retry: false });
  });

  it('honours Retry-After instead of the backoff, up to the cap', () => {
    expect(decideRetry(response(429, { 'retry-after': '7' }), 'idempotent', 0, policy, now)).toEqual({ retry: true, delay: 7000 });
    expect(decideRetry(response(429, { 'retry-after': '3600' }), 'idempotent', 0, policy, now)).toEqual({
      retry: true,
      delay: policy.maxRetryAfter,
    });
  });

  it('never repeats a submit that the server may have accepted', () => {
    expect(decideRetry(response(429), 'submit', 0, noJitter, now).retry).toBe(true);
    expect(decideRetry(response(503), 'submit', 0, noJitter, now).retry).toBe(true);
    expect(decideRetry(response(502), 'submit', 0, noJitter, now).retry).toBe(false);
    expect(decideRetry(response(504), 'submit', 0, noJitter, now).retry).toBe(false);
    expect(decideRetry(networkError('ECONNREFUSED'), 'submit', 0, noJitter, now).retry).toBe(true);
    expect(decideRetry(networkError('ECONNRESET'), 'submit', 0, noJitter, now).retry).toBe(false);
    expect(decideRetry(networkError('ECONNRESET'), 'idempotent', 0, noJitter, now).retry).toBe(true);
  });

  it('does not retry the caller\'s own request timeout or what the server calls not retryable', () => {
    expect(decideRetry(response(504, { 'x-fal-request-timeout-type': 'user' }), 'idempotent', 0, policy, now)).toEqual({ retry: false });
    expect(decideRetry(response(503, { 'x-fal-retryable': 'false' }), 'idempotent', 0, policy, now)).toEqual({ retry: false });
  });

  it('never retries an abort or a programming error', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(decideRetry({ kind: 'network-error', error: abort }, 'idempotent', 0, policy, now)).toEqual({ retry: false });
    expect(decideRetry({ kind: 'network-error', error: new RangeError('bug') }, 'idempotent', 0, policy, now)).toEqual({ retry: false });
  });
});
