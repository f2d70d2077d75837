import { describe, expect, it } from 'vitest';
import { call, sampleInput, SUBMIT_PATH, useEmulator } from './helpers.js';

describe('auth', () => {
  it('refuses a missing key with 401 and a detail text', async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'GET', '/api/usage/token/', { headers: { authorization: '' } });
    expect(answer.status).toBe(401);
    expect(typeof answer.body.detail).toBe('string');
  });

  it("refuses a wrong key and fal's `Key` scheme without echoing what was sent", async () => {
    const emulator = await useEmulator();
    for (const authorization of ['Bearer secret-wrong-key', `Key ${emulator.apiKey}`]) {
      const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers: { authorization } });
      expect(answer.status).toBe(401);
      expect(JSON.stringify(answer.body)).not.toContain('secret-wrong-key');
      expect(JSON.stringify(answer.body)).not.toContain(emulator.apiKey);
    }
    expect(emulator.counters.submits).toBe(0);
  });

  it('guards every queue route but not the image files', async () => {
    const emulator = await useEmulator();
    const headers = { authorization: 'Bearer nope' };
    for (const [method, path] of [
      ['GET', '/fal-ai/flux-pro/requests/x/status'],
      ['GET', '/fal-ai/flux-pro/requests/x/status/stream'],
      ['GET', '/fal-ai/flux-pro/requests/x'],
      ['PUT', '/fal-ai/flux-pro/requests/x/cancel'],
      ['GET', '/api/usage/token/'],
    ] as const) {
      expect((await call(emulator, method, path, { headers })).status).toBe(401);
    }
    // An unknown file is a 404, not a 401: files are public like fal's file host.
    expect((await call(emulator, 'GET', '/files/x/0.jpg', { headers })).status).toBe(404);
  });

  it('accepts a key changed with configure()', async () => {
    const emulator = await useEmulator({ apiKey: 'first' });
    emulator.configure({ apiKey: 'second' });
    expect(emulator.apiKey).toBe('second');
    expect((await call(emulator, 'GET', '/api/usage/token/')).status).toBe(200);
    expect((await call(emulator, 'GET', '/api/usage/token/', { headers: { authorization: 'Bearer first' } })).status).toBe(401);
  });
});
