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
    const emulator = await useEmulator({ jobDuration: 60_000, concurrency: 1 });
    await submit(emulator, await sampleInput());
    const ticket = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers: { 'x-fal-request-timeout': '3000000' } });
    expect(ticket.status).toBe(200);
    expect((await status(emulator, ticket.body.request_id as string)).body.status).toBe('IN_QUEUE');
  });
});

describe('x-fal-request-timeout: a deadline for the job to start, as fal documents it', () => {
  it('ends a job still queued at its deadline: COMPLETED, and a 504 the client must not retry', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000, concurrency: 1 });
    const running = await submit(emulator, await sampleInput());
    const behind = await submit(emulator, await sampleInput());
    const ticket = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers: { 'x-fal-request-timeout': '0.3' } });
    const id = ticket.body.request_id as string;
    expect(ticket.body.queue_position).toBe(1);
    const ended = await waitUntilEnded(emulator, id, 15_000);
    expect(ended.body.status).toBe('COMPLETED');
    expect(ended.body.logs.at(-1)).toMatchObject({ level: 'ERROR', message: 'No runner started the request within 0.3 s (x-fal-request-timeout)' });
    const result = await call(emulator, 'GET', statusPath(id, ''));
    expect(result.status).toBe(504);
    expect(result.body).toEqual({ detail: 'Request timed out: it did not start within 0.3 seconds (x-fal-request-timeout).', error_type: 'request_timeout' });
    expect(result.headers.get('x-fal-request-timeout-type')).toBe('user');
    expect(result.headers.get('x-fal-error-type')).toBe('request_timeout');
    expect(result.headers.get('x-fal-retryable')).toBe('false');
    // It left the queue; the job ahead of it and the one running are untouched.
    expect((await status(emulator, behind.request_id)).body).toMatchObject({ status: 'IN_QUEUE', queue_position: 0 });
    expect((await status(emulator, running.request_id)).body.status).toBe('IN_PROGRESS');
  });

  it('lets a job that started before its deadline run on past it', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000, concurrency: 1 });
    const headers = { 'x-fal-request-timeout': '0.3' };
    // The first starts at once; the second, queued behind it with the same deadline set later,
    // times out: by then the first one's deadline, had it still applied, would have fired too.
    const started = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers });
    const queued = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers });
    await waitUntilEnded(emulator, queued.body.request_id as string, 15_000);
    expect((await call(emulator, 'GET', statusPath(queued.body.request_id as string, ''))).status).toBe(504);
    expect((await status(emulator, started.body.request_id as string)).body.status).toBe('IN_PROGRESS');
    emulator.finishRunningJobs();
    await waitUntilEnded(emulator, started.body.request_id as string);
    expect((await call(emulator, 'GET', statusPath(started.body.request_id as string, ''))).status).toBe(200);
  });

  it('refuses a value that is not a number of seconds above 0.1 with a 422 naming the header', async () => {
    const emulator = await useEmulator();
    for (const value of ['0.1', 'soon', '-3', '']) {
      const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput(), headers: { 'x-fal-request-timeout': value } });
      expect(answer.status, value).toBe(422);
      expect(answer.body.detail).toEqual([expect.objectContaining({ loc: ['header', 'x-fal-request-timeout'], type: 'greater_than', input: value })]);
    }
    expect(emulator.counters.submits).toBe(0);
  });
});
