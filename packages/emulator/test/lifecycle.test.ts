import { describe, expect, it } from 'vitest';
import { call, sampleInput, status, statusPath, submit, SUBMIT_PATH, useEmulator, waitFor, waitUntilEnded } from './helpers.js';

describe('submit ticket', () => {
  it("answers AnyAPI's ticket with fal-host URLs on the app id without the model's sub-path", async () => {
    const emulator = await useEmulator();
    const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput() });
    expect(answer.status).toBe(200);
    const id = answer.body.request_id as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(answer.body).toEqual({
      status: 'IN_QUEUE',
      request_id: id,
      response_url: `https://queue.fal.run/fal-ai/flux-pro/requests/${id}`,
      status_url: `https://queue.fal.run/fal-ai/flux-pro/requests/${id}/status`,
      cancel_url: `https://queue.fal.run/fal-ai/flux-pro/requests/${id}/cancel`,
      logs: null,
      metrics: {},
      queue_position: 0,
    });
    expect(answer.headers.get('x-fal-request-id')).toBe(id);
    expect(emulator.counters.submits).toBe(1);
  });

  it('gives reproducible request ids with a seed', async () => {
    const first = await useEmulator({ seed: 7 });
    const second = await useEmulator({ seed: 7 });
    const input = await sampleInput();
    expect((await submit(first, input)).request_id).toBe((await submit(second, input)).request_id);
  });
});

describe('job lifecycle', () => {
  it('moves three jobs through one worker, queue positions counting down from 0', async () => {
    const emulator = await useEmulator({ concurrency: 1, jobDuration: 60_000 });
    const input = await sampleInput();
    const a = await submit(emulator, input);
    const b = await submit(emulator, input);
    const c = await submit(emulator, input);
    expect([a.queue_position, b.queue_position, c.queue_position]).toEqual([0, 0, 1]);

    expect((await status(emulator, a.request_id)).body.status).toBe('IN_PROGRESS');
    const bQueued = await status(emulator, b.request_id);
    expect(bQueued.status).toBe(202);
    expect(bQueued.body).toMatchObject({ status: 'IN_QUEUE', queue_position: 0 });
    expect((await status(emulator, c.request_id)).body).toMatchObject({ status: 'IN_QUEUE', queue_position: 1 });

    expect(emulator.finishRunningJobs()).toBe(1);
    await waitFor(async () => (await status(emulator, a.request_id)).body.status === 'COMPLETED');
    expect((await status(emulator, b.request_id)).body.status).toBe('IN_PROGRESS');
    expect((await status(emulator, c.request_id)).body).toMatchObject({ status: 'IN_QUEUE', queue_position: 0 });

    emulator.finishRunningJobs();
    await waitFor(async () => (await status(emulator, c.request_id)).body.status === 'IN_PROGRESS');
    emulator.finishRunningJobs();
    const done = await waitUntilEnded(emulator, c.request_id);
    expect(done.status).toBe(200);
    expect(done.body.metrics.inference_time).toBeGreaterThan(0);
    expect(done.body.response_url).toBe(`https://queue.fal.run/fal-ai/flux-pro/requests/${c.request_id}`);
  });

  it('runs as many jobs at once as the concurrency, and configure() can raise it', async () => {
    const emulator = await useEmulator({ concurrency: 2, jobDuration: 60_000 });
    const input = await sampleInput();
    const jobs = [await submit(emulator, input), await submit(emulator, input), await submit(emulator, input)];
    const states = async () => Promise.all(jobs.map(async (job) => (await status(emulator, job.request_id)).body.status));
    expect(await states()).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_QUEUE']);
    emulator.configure({ concurrency: 3 });
    expect(await states()).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS']);
  });

  it('gives logs only with logs=1, and they grow while the job runs', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    const { request_id } = await submit(emulator, await sampleInput());
    await waitFor(async () => (await status(emulator, request_id, true)).body.logs?.length > 0);
    const early = await status(emulator, request_id, true);
    expect(early.body.status).toBe('IN_PROGRESS');
    expect(early.body.logs.length).toBeGreaterThanOrEqual(1);
    expect(early.body.logs[0]).toEqual({
      message: expect.any(String),
      level: 'INFO',
      source: 'USER',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await status(emulator, request_id)).body.logs).toBeNull();
    emulator.finishRunningJobs();
    const done = await waitUntilEnded(emulator, request_id);
    expect(done.body.logs.length).toBeGreaterThan(early.body.logs.length);
  });

  it('finishRunningJobs() ends the held running jobs the way they would have ended, and only those', async () => {
    const emulator = await useEmulator({ concurrency: 2, jobDuration: 60_000 });
    const edited = await submit(emulator, await sampleInput());
    const failing = await submit(emulator, await sampleInput({ prompt: 'x [fail]' }));
    const waiting = await submit(emulator, await sampleInput());
    expect(emulator.finishRunningJobs()).toBe(2);

    const done = await waitUntilEnded(emulator, edited.request_id);
    expect(done.body.status).toBe('COMPLETED');
    expect(done.body.logs.map((log: { message: string }) => log.message)).toEqual([
      expect.stringMatching(/^Starting/),
      'Editing: 25% (step 7/28)',
      'Editing: 50% (step 14/28)',
      'Editing: 75% (step 21/28)',
      'Encoding 1 image(s) as jpeg',
    ]);
    expect((await call(emulator, 'GET', statusPath(edited.request_id, ''))).status).toBe(200);
    expect((await waitUntilEnded(emulator, failing.request_id)).body.status).toBe('FAILED');
    // Started after the call, so still held.
    expect((await status(emulator, waiting.request_id)).body.status).toBe('IN_PROGRESS');
  });

  it('answers 404 for an unknown id or a model path that is not the job app', async () => {
    const emulator = await useEmulator();
    const { request_id } = await submit(emulator, await sampleInput());
    expect((await status(emulator, 'no-such-id')).status).toBe(404);
    expect((await call(emulator, 'GET', `/fal-ai/flux-pro/kontext/requests/${request_id}/status`)).status).toBe(404);
    expect((await call(emulator, 'GET', `/fal-ai/other-app/requests/${request_id}/status`)).status).toBe(404);
    expect((await call(emulator, 'GET', statusPath(request_id))).status).toBe(202);
  });

  it('answers 405 for a wrong method and 404 for an unknown path', async () => {
    const emulator = await useEmulator();
    expect((await call(emulator, 'GET', SUBMIT_PATH)).status).toBe(405);
    expect((await call(emulator, 'GET', '/nowhere')).status).toBe(404);
  });
});

describe('job times and per-job durations', () => {
  it('runs each job for the duration jobDurationFor picks, and records when it ended and when its result was asked for', async () => {
    const emulator = await useEmulator({
      concurrency: 2,
      jobDuration: 60_000,
      jobDurationFor: (input) => (input.prompt.includes('quick') ? 0 : undefined),
    });
    const quick = await submit(emulator, await sampleInput({ prompt: 'a quick one' }));
    const held = await submit(emulator, await sampleInput({ prompt: 'a held one' }));

    expect((await waitUntilEnded(emulator, quick.request_id)).body.status).toBe('COMPLETED');
    expect((await status(emulator, held.request_id)).body.status).toBe('IN_PROGRESS');
    const ended = emulator.jobTimes(quick.request_id)!;
    expect(ended.resultRequestedAt).toBeUndefined();
    expect(ended.receivedAt).toBeLessThanOrEqual(ended.submittedAt);
    expect(ended.submittedAt).toBeLessThanOrEqual(ended.startedAt!);
    expect(ended.startedAt).toBeLessThanOrEqual(ended.endedAt!);

    await call(emulator, 'GET', `/fal-ai/flux-pro/requests/${quick.request_id}`);
    await call(emulator, 'GET', `/fal-ai/flux-pro/requests/${quick.request_id}`);
    const fetched = emulator.jobTimes(quick.request_id)!;
    expect(fetched.resultRequestedAt).toBeGreaterThanOrEqual(ended.endedAt!);
    // The first request counts: a client that asks twice does not move it.
    const again = await call(emulator, 'GET', `/fal-ai/flux-pro/requests/${quick.request_id}`);
    expect(again.status).toBe(200);
    expect(emulator.jobTimes(quick.request_id)!.resultRequestedAt).toBe(fetched.resultRequestedAt);
    expect(emulator.jobTimes(held.request_id)!.endedAt).toBeUndefined();
    expect(emulator.jobTimes('no-such-job')).toBeUndefined();
    emulator.finishRunningJobs();
  });
});

describe('jobs that log nothing', () => {
  it('writes no progress lines with jobLogs: false, and still reports the states and inference_time', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000, jobLogs: false });
    const { request_id } = await submit(emulator, await sampleInput());
    const running = await status(emulator, request_id, true);
    expect(running.body).toMatchObject({ status: 'IN_PROGRESS', logs: [] });
    emulator.finishRunningJobs();
    const done = await waitUntilEnded(emulator, request_id);
    expect(done.body.status).toBe('COMPLETED');
    expect(done.body.logs).toEqual([]);
    expect(done.body.metrics.inference_time).toBeGreaterThan(0);
  });
});
