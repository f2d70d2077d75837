import { describe, expect, it } from 'vitest';
import { call, sampleInput, status, statusPath, submit, SUBMIT_PATH, useEmulator, waitUntilEnded } from './helpers.js';

describe('failing jobs', () => {
  it('[fail] ends the job FAILED; its result is a 500 model error', async () => {
    const emulator = await useEmulator();
    const { request_id } = await submit(emulator, await sampleInput({ prompt: 'Make it blue [fail]' }));
    const ended = await waitUntilEnded(emulator, request_id);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'FAILED', error: expect.any(String) });
    expect(ended.body.logs.some((entry: { level: string }) => entry.level === 'ERROR')).toBe(true);
    const result = await call(emulator, 'GET', statusPath(request_id, ''));
    expect(result.status).toBe(500);
    expect(result.headers.get('x-fal-error-type')).toBe('internal_server_error');
    expect(typeof result.body.detail).toBe('string');
  });

  it('[fail-at-result] completes, then its result is a 422 content_policy_violation', async () => {
    const emulator = await useEmulator();
    const { request_id } = await submit(emulator, await sampleInput({ prompt: 'Something [fail-at-result]' }));
    expect((await waitUntilEnded(emulator, request_id)).body.status).toBe('COMPLETED');
    const result = await call(emulator, 'GET', statusPath(request_id, ''));
    expect(result.status).toBe(422);
    expect(result.headers.get('x-fal-error-type')).toBe('content_policy_violation');
    expect(result.headers.get('x-fal-request-id')).toBe(request_id);
    expect(result.body.detail[0]).toMatchObject({ loc: ['body', 'prompt'], msg: expect.any(String), type: 'content_policy_violation' });
  });

  it('lets code choose the outcome with jobOutcome, falling back to the markers', async () => {
    const emulator = await useEmulator({ jobOutcome: (input) => (input.num_images === 2 ? 'failed' : undefined) });
    const chosen = await submit(emulator, await sampleInput({ num_images: 2 }));
    const marked = await submit(emulator, await sampleInput({ prompt: 'x [fail-at-result]' }));
    expect((await waitUntilEnded(emulator, chosen.request_id)).body.status).toBe('FAILED');
    await waitUntilEnded(emulator, marked.request_id);
    expect((await call(emulator, 'GET', statusPath(marked.request_id, ''))).status).toBe(422);
  });

  it('keeps a job whose x-fal-request-timeout is beyond what a timer can hold', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    const ticket = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers: { 'x-fal-request-timeout': '3000000' } });
    expect(ticket.status).toBe(200);
    expect((await status(emulator, ticket.body.request_id as string)).body.status).toBe('IN_PROGRESS');
  });

  it('ends a job past its x-fal-request-timeout with a 504 the client must not retry', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    const ticket = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers: { 'x-fal-request-timeout': '1' } });
    const id = ticket.body.request_id as string;
    expect((await waitUntilEnded(emulator, id, 15_000)).body.status).toBe('COMPLETED');
    const result = await call(emulator, 'GET', statusPath(id, ''));
    expect(result.status).toBe(504);
    expect(result.headers.get('x-fal-request-timeout-type')).toBe('user');
  });
});
