import { describe, expect, it } from 'vitest';
import { call, sampleInput, SUBMIT_PATH, useEmulator } from './helpers.js';

describe('fault knobs', () => {
  it('`times` fails exactly the next N requests of a route, and they are counted', async () => {
    const emulator = await useEmulator({ faults: { usage: { status: 503, times: 2 } } });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await call(emulator, 'GET', '/api/usage/token/')).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect(emulator.counters.usage).toBe(4);
  });

  it('sets Retry-After, X-Fal-Retryable and x-fal-error-type on the error answer', async () => {
    const emulator = await useEmulator({
      faults: { submit: { status: 429, times: 1, retryAfter: 2, retryable: true, errorType: 'rate_limited' } },
    });
    const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput() });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(answer.headers.get('x-fal-retryable')).toBe('true');
    expect(answer.headers.get('x-fal-error-type')).toBe('rate_limited');
    expect(typeof answer.body.detail).toBe('string');
    expect(emulator.counters).toMatchObject({ submit: 1, submits: 0 });
  });

  it('answers a fault before checking the key, like a gateway limiter', async () => {
    const emulator = await useEmulator({ faults: { usage: { status: 502, times: 1 } } });
    const answer = await call(emulator, 'GET', '/api/usage/token/', { headers: { authorization: 'Bearer wrong' } });
    expect(answer.status).toBe(502);
  });

  it('`latency` delays every answer of the route', async () => {
    const emulator = await useEmulator({ faults: { usage: { latency: 120 } } });
    const started = performance.now();
    const answer = await call(emulator, 'GET', '/api/usage/token/');
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('`drop: before-accept` cuts the connection and queues nothing', async () => {
    const emulator = await useEmulator({ faults: { submit: { drop: 'before-accept', times: 1 } } });
    await expect(call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput() })).rejects.toThrow();
    expect(emulator.counters).toMatchObject({ submit: 1, submits: 0 });
    expect((await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput() })).status).toBe(200);
  });

  it('`drop: after-accept` queues the job, then cuts the connection', async () => {
    const emulator = await useEmulator({ faults: { submit: { drop: 'after-accept', times: 1 } } });
    await expect(call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput() })).rejects.toThrow();
    expect(emulator.counters).toMatchObject({ submit: 1, submits: 1 });
  });

  it('`rate` fires on that share of requests (0 never, 1 always)', async () => {
    const emulator = await useEmulator({ seed: 1, faults: { usage: { status: 500, rate: 1 }, status: { status: 500, rate: 0 } } });
    expect((await call(emulator, 'GET', '/api/usage/token/')).status).toBe(500);
    expect((await call(emulator, 'GET', '/fal-ai/flux-pro/requests/x/status')).status).toBe(404);
    emulator.configure({ faults: { usage: { status: 500, rate: 0.5 } } });
    const statuses = [];
    for (let attempt = 0; attempt < 40; attempt += 1) statuses.push((await call(emulator, 'GET', '/api/usage/token/')).status);
    expect(statuses).toContain(500);
    expect(statuses).toContain(200);
  });

  it('configure() replaces the fault table; an empty table clears it', async () => {
    const emulator = await useEmulator();
    emulator.configure({ faults: { usage: { status: 504 } } });
    expect((await call(emulator, 'GET', '/api/usage/token/')).status).toBe(504);
    emulator.configure({ faults: {} });
    expect((await call(emulator, 'GET', '/api/usage/token/')).status).toBe(200);
  });
});
