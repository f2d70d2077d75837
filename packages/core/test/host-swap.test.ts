import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl, swapQueueHost } from '../src/portable.js';

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

describe('normalizeBaseUrl', () => {
  it('drops trailing slashes and refuses what is not http(s)', () => {
    expect(normalizeBaseUrl('https://www.anyapi.vip///')).toBe('https://www.anyapi.vip');
    expect(() => normalizeBaseUrl('ftp://x')).toThrowError(/baseUrl must be an http\(s\) URL/);
    expect(() => normalizeBaseUrl('www.anyapi.vip')).toThrowError(/baseUrl must be an http\(s\) URL/);
  });
});
