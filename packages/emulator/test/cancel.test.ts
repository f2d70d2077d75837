import { describe, expect, it } from 'vitest';
import { call, sampleInput, status, statusPath, submit, useEmulator, waitFor } from './helpers.js';

describe('cancel', () => {
  it('cancels a queued job: 202, it leaves the queue, ends COMPLETED and its result is an error', async () => {
    const emulator = await useEmulator({ concurrency: 1, jobDuration: 60_000 });
    const input = await sampleInput();
    await submit(emulator, input);
    const queued = await submit(emulator, input);
    const behind = await submit(emulator, input);
    expect((await status(emulator, behind.request_id)).body.queue_position).toBe(1);

    const answer = await call(emulator, 'PUT', statusPath(queued.request_id, '/cancel'));
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ status: 'CANCELLATION_REQUESTED' });

    expect((await status(emulator, behind.request_id)).body.queue_position).toBe(0);
    expect((await status(emulator, queued.request_id)).body.status).toBe('COMPLETED');
    const result = await call(emulator, 'GET', statusPath(queued.request_id, ''));
    expect(result.status).toBe(400);
    expect(result.body.detail).toMatch(/cancel/i);
  });

  it('stops a running job and frees its worker for the next one', async () => {
    const emulator = await useEmulator({ concurrency: 1, jobDuration: 60_000 });
    const input = await sampleInput();
    const running = await submit(emulator, input);
    const next = await submit(emulator, input);
    expect((await status(emulator, running.request_id)).body.status).toBe('IN_PROGRESS');
    expect((await call(emulator, 'PUT', statusPath(running.request_id, '/cancel'))).status).toBe(202);
    expect((await status(emulator, running.request_id)).body.status).toBe('COMPLETED');
    expect((await status(emulator, next.request_id)).body.status).toBe('IN_PROGRESS');
    expect(emulator.counters.cancels).toBe(1);
  });

  it('answers 400 ALREADY_COMPLETED once the job has ended, and 404 NOT_FOUND for an unknown id', async () => {
    const emulator = await useEmulator({ jobDuration: 0 });
    const { request_id } = await submit(emulator, await sampleInput());
    await waitFor(async () => (await status(emulator, request_id)).body.status === 'COMPLETED');
    const late = await call(emulator, 'PUT', statusPath(request_id, '/cancel'));
    expect(late.status).toBe(400);
    expect(late.body).toEqual({ status: 'ALREADY_COMPLETED' });
    const unknown = await call(emulator, 'PUT', statusPath('unknown', '/cancel'));
    expect([unknown.status, unknown.body]).toEqual([404, { status: 'NOT_FOUND' }]);
    // A known job under another app's path is not found either, as on fal.
    const otherApp = await call(emulator, 'PUT', `/fal-ai/flux-dev/requests/${request_id}/cancel`);
    expect([otherApp.status, otherApp.body]).toEqual([404, { status: 'NOT_FOUND' }]);
    expect(emulator.counters).toMatchObject({ cancel: 3, cancels: 1 });
  });
});
