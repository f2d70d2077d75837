import { describe, expect, it } from 'vitest';
import { call, sampleInput, statusPath, submit, useEmulator, waitUntilEnded } from './helpers.js';

describe('usage', () => {
  it("answers AnyAPI's token usage, growing with completed images only", async () => {
    const emulator = await useEmulator({ quota: { granted: 1000, costPerImage: 10 } });
    const before = await call(emulator, 'GET', '/api/usage/token/');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      code: true,
      message: 'ok',
      data: {
        object: 'token_usage',
        name: expect.any(String),
        total_granted: 1000,
        total_used: 0,
        total_available: 1000,
        unlimited_quota: false,
        expires_at: 0,
      },
    });
    const ok = await submit(emulator, await sampleInput({ num_images: 3 }));
    const failed = await submit(emulator, await sampleInput({ prompt: '[fail]' }));
    await waitUntilEnded(emulator, ok.request_id);
    await waitUntilEnded(emulator, failed.request_id);
    const after = await call(emulator, 'GET', '/api/usage/token');
    expect(after.body.data).toMatchObject({ total_used: 30, total_available: 970 });
  });
});

describe('counters', () => {
  it('counts requests per route, accepted jobs, and everything in total', async () => {
    const emulator = await useEmulator({ jobDuration: 0 });
    const { request_id } = await submit(emulator, await sampleInput());
    await waitUntilEnded(emulator, request_id);
    const result = await call(emulator, 'GET', statusPath(request_id, ''));
    await fetch(result.body.images[0].url);
    await call(emulator, 'PUT', statusPath(request_id, '/cancel'));
    await call(emulator, 'GET', '/api/usage/token/');
    await call(emulator, 'GET', '/not/a/route');
    const counters = emulator.counters;
    expect(counters).toMatchObject({ submit: 1, submits: 1, result: 1, files: 1, cancel: 1, cancels: 1, usage: 1, stream: 0 });
    expect(counters.status).toBeGreaterThanOrEqual(1);
    expect(counters.total).toBe(counters.submit + counters.status + counters.result + counters.files + counters.cancel + counters.usage + 1);
  });

  it('gives snapshots, and resetCounters() zeroes them', async () => {
    const emulator = await useEmulator();
    const before = emulator.counters;
    await call(emulator, 'GET', '/api/usage/token/');
    expect(before.usage).toBe(0);
    expect(emulator.counters.usage).toBe(1);
    emulator.resetCounters();
    expect(Object.values(emulator.counters).every((value) => value === 0)).toBe(true);
  });
});
