import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl, swapQueueHost, swapQueueUrls } from '../src/portable.js';

describe('swapQueueHost', () => {
  it('moves fal queue URLs onto the base URL, keeping path and query', () => {
    expect(swapQueueHost('https://queue.fal.run/fal-ai/flux-pro/requests/abc/status?logs=1', 'https://www.anyapi.vip')).toBe(
      'https://www.anyapi.vip/fal-ai/flux-pro/requests/abc/status?logs=1',
    );
    expect(swapQueueHost('https://queue.fal.run/fal-ai/flux-pro/requests/abc', 'http://127.0.0.1:8787/relay')).toBe(
      'http://127.0.0.1:8787/relay/fal-ai/flux-pro/requests/abc',
    );
  });

  it('leaves other hosts and non-URLs alone', () => {
    expect(swapQueueHost('https://v3.fal.media/files/x.png', 'https://www.anyapi.vip')).toBe('https://v3.fal.media/files/x.png');
    expect(swapQueueHost('not a url', 'https://www.anyapi.vip')).toBe('not a url');
  });
});

describe('swapQueueUrls', () => {
  const fal = 'https://queue.fal.run/fal-ai/flux-pro/requests/abc';

  it("moves a ticket's three queue URLs and a status's response_url, and nothing else", () => {
    const ticket = { status: 'IN_QUEUE', request_id: 'abc', response_url: fal, status_url: `${fal}/status`, cancel_url: `${fal}/cancel`, queue_position: 0 };
    expect(swapQueueUrls(ticket, 'https://www.anyapi.vip')).toEqual({
      status: 'IN_QUEUE',
      request_id: 'abc',
      response_url: 'https://www.anyapi.vip/fal-ai/flux-pro/requests/abc',
      status_url: 'https://www.anyapi.vip/fal-ai/flux-pro/requests/abc/status',
      cancel_url: 'https://www.anyapi.vip/fal-ai/flux-pro/requests/abc/cancel',
      queue_position: 0,
    });
    const status = { status: 'COMPLETED', response_url: fal, logs: [{ message: `see ${fal}` }], metrics: { inference_time: 1 } };
    expect(swapQueueUrls(status, 'http://127.0.0.1:8787')).toEqual({ ...status, response_url: 'http://127.0.0.1:8787/fal-ai/flux-pro/requests/abc' });
    // The answer it was given is left as it was.
    expect(ticket.status_url).toBe(`${fal}/status`);
  });

  it('returns what is not an object, or holds no queue URL text, as it is', () => {
    for (const body of ['text', null, undefined, 3, [fal]]) expect(swapQueueUrls(body, 'https://www.anyapi.vip')).toBe(body);
    expect(swapQueueUrls({ status: 'IN_PROGRESS', response_url: null }, 'https://www.anyapi.vip')).toEqual({ status: 'IN_PROGRESS', response_url: null });
  });
});

describe('normalizeBaseUrl', () => {
  it('drops trailing slashes and refuses what is not http(s)', () => {
    expect(normalizeBaseUrl('https://www.anyapi.vip///')).toBe('https://www.anyapi.vip');
    expect(() => normalizeBaseUrl('ftp://x')).toThrowError(/baseUrl must be an http\(s\) URL/);
    expect(() => normalizeBaseUrl('www.anyapi.vip')).toThrowError(/baseUrl must be an http\(s\) URL/);
  });
});
