import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import {
  createFetchTransport,
  createKontextClient,
  createQueueLifecycle,
  downloadImage,
  nodeSleep,
  JobFailedError,
  UnprocessableEntityError,
  type KontextClient,
  type QueueUpdate,
} from '../src/index.js';
import { createRawClient } from '../src/fetch.js';
import { defaultPollTuning, plausibleRange, windowSpacing } from '../src/queue/poll-plan.js';
import { pngDataUrl, pngSize } from './support/png.js';
import { waitFor } from './support/wait-for.js';

let emulator: Emulator;
let kontext: KontextClient;
const image_url = pngDataUrl(64, 48);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 60, concurrency: 1 });
  kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.configure({ stream: true, jobDuration: 60, faults: {} });
  // A test that failed while holding jobs must not hold up the next one.
  emulator.finishRunningJobs();
  emulator.resetCounters();
});

describe('run over the status stream', () => {
  it('submits, follows the stream, and returns the edited images', async () => {
    const updates: QueueUpdate[] = [];
    const result = await kontext.run(
      { prompt: 'Make it night', image_url, num_images: 2, output_format: 'png' },
      { onUpdate: (update) => updates.push(update) },
    );

    expect(result.data.images).toHaveLength(2);
    expect(result.data.prompt).toBe('Make it night');
    expect(result.data.has_nsfw_concepts).toEqual([false, false]);
    for (const image of result.data.images) {
      expect(image.content_type).toBe('image/png');
      const downloaded = await downloadImage(image);
      expect(downloaded.extension).toBe('png');
      // The 64x48 input's 4:3 at Kontext's 1 MP size.
      expect(pngSize(downloaded.bytes)).toEqual({ width: 1184, height: 880 });
    }
    expect(updates.map((u) => u.status)).toContain('IN_PROGRESS');
    expect(updates.at(-1)?.status).toBe('COMPLETED');
    expect(updates.every((u) => u.requestId === result.requestId)).toBe(true);

    const counters = emulator.counters;
    expect(counters.submits).toBe(1);
    expect(counters.stream).toBe(1);
    expect(counters.status).toBe(0);
    expect(counters.result).toBe(1);
  });

  it('reports queue positions that move down while jobs wait for the single worker', async () => {
    emulator.configure({ jobDuration: 60_000 });
    const positions: number[][] = [[], [], []];
    const running = Promise.all(
      positions.map((seen, n) =>
        kontext.run(
          { prompt: `job ${n}`, image_url },
          { onUpdate: (u) => u.queuePosition !== undefined && seen.push(u.queuePosition) },
        ),
      ),
    );
    // The first job is held until all three are queued; the others then run without delay.
    await waitFor(() => positions[0]!.length + positions[1]!.length + positions[2]!.length >= 2);
    emulator.configure({ jobDuration: 0 });
    emulator.finishRunningJobs();
    const results = await running;
    expect(new Set(results.map((r) => r.requestId)).size).toBe(3);
    // Which job reaches the queue last is up to the network; that one waited behind others.
    expect(Math.max(...positions.map((seen) => seen[0] ?? 0))).toBeGreaterThanOrEqual(1);
    for (const seen of positions) expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });
});

describe('run by polling', () => {
  it('falls back to polling when the server has no stream, and remembers it', async () => {
    emulator.configure({ stream: false });
    const polling = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const first = await polling.run({ prompt: 'Add a hat', image_url }, { pollInterval: 10 });
    const second = await polling.run({ prompt: 'Add a scarf', image_url }, { pollInterval: 10 });

    expect(first.data.images).toHaveLength(1);
    expect(second.data.images).toHaveLength(1);
    const counters = emulator.counters;
    expect(counters.stream).toBe(1);
    expect(counters.status).toBeGreaterThanOrEqual(2);
    expect(counters.submits).toBe(2);
  });
});

describe('adaptive polling (the default without a stream)', () => {
  /** A lifecycle whose sleeps are recorded with how many status polls the emulator had seen. */
  function recordingSleeps() {
    const sleeps: { ms: number; statusPolls: number }[] = [];
    // The plan's clock moves only when the lifecycle sleeps, so time the machine spends elsewhere
    // (the stream attempt, a loaded CI) never changes the waits recorded here.
    let clock = 0;
    const lifecycle = createQueueLifecycle({
      transport: createFetchTransport({ apiKey: emulator.apiKey, baseUrl: emulator.url }),
      now: () => clock,
      sleep: (ms, signal) => {
        sleeps.push({ ms, statusPolls: emulator.counters.status });
        clock += ms;
        return nodeSleep(Math.min(ms, 5), signal);
      },
      baseUrl: emulator.url,
      // Request deadlines run on the sleep too: they are not what is recorded here.
      requestTimeout: Infinity,
    });
    return { lifecycle, sleeps };
  }

  it('waits before its first poll, then plans the next job from the last one\'s inference_time', async () => {
    emulator.configure({ stream: false });
    const { lifecycle, sleeps } = recordingSleeps();
    const first = await lifecycle.run({ prompt: 'first', image_url });
    // Nothing known yet: no poll right after the submit, but a first one after firstPoll ms.
    expect(sleeps[0]).toEqual({ ms: defaultPollTuning.firstPoll, statusPolls: 0 });

    const status = await lifecycle.status(first.requestId);
    const seconds = status.status === 'COMPLETED' ? status.metrics?.inference_time : undefined;
    expect(seconds).toBeGreaterThan(0);
    const range = plausibleRange([seconds! * 1000])!;

    sleeps.length = 0;
    emulator.resetCounters();
    const second = await lifecycle.run({ prompt: 'second', image_url });
    expect(second.data.images).toHaveLength(1);
    // No poll before the shortest plausible job could end, then the first one in the window.
    const firstGap = windowSpacing(range, range.earliest) * defaultPollTuning.firstInWindow;
    expect(sleeps[0]).toEqual({ ms: Math.round(range.earliest + firstGap), statusPolls: 0 });
    expect(emulator.counters.stream).toBe(0);
  });
});

describe('adaptive polling of several jobs at once', () => {
  it('wakes a job sleeping on its plan when another job of the endpoint ends, so it plans again with the new history', async () => {
    // Its own emulator: two workers, jobs that end only when told.
    const held = await startEmulator({ port: 0, concurrency: 2, jobDuration: 600_000 });
    const submitted: string[] = [];
    const inner = createFetchTransport({ apiKey: held.apiKey, baseUrl: held.url });
    const sleeps: { ms: number; signal: AbortSignal | undefined; release: () => void }[] = [];
    let clock = 0;
    const lifecycle = createQueueLifecycle({
      transport: {
        async send(request) {
          const response = await inner.send(request);
          const id = (response.body as { request_id?: unknown } | null)?.request_id;
          if (request.method === 'POST' && typeof id === 'string') submitted.push(id);
          return response;
        },
      },
      now: () => clock,
      // Sleeps last until the test releases them (the plan's clock moves then) or are cut short.
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          sleeps.push({ ms, signal, release: () => ((clock += ms), resolve()) });
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      baseUrl: held.url,
      requestTimeout: Infinity,
    });
    try {
      held.configure({ stream: false });
      const first = lifecycle.run({ prompt: 'first', image_url });
      await waitFor(() => sleeps.length === 1);
      const second = lifecycle.run({ prompt: 'second', image_url });
      await waitFor(() => sleeps.length === 2);
      // Nothing known yet: both wait firstPoll.
      expect(sleeps.map((sleep) => sleep.ms)).toEqual([defaultPollTuning.firstPoll, defaultPollTuning.firstPoll]);

      // Both jobs run; end both on the emulator, then let only the first job poll.
      held.finishRunningJobs();
      await waitFor(() => submitted.every((id) => held.jobTimes(id)?.endedAt !== undefined) && submitted.length === 2);
      sleeps[0]!.release();
      const firstResult = await first;
      expect(firstResult.data.images).toHaveLength(1);

      // The second job's sleep was cut short without being released, and its next wait comes
      // from the plan with the first job's duration in the history.
      expect(sleeps[1]!.signal?.aborted).toBe(true);
      let secondSettled = false;
      void second.finally(() => (secondSettled = true)).catch(() => undefined);
      await waitFor(() => secondSettled || sleeps.length > 2);
      for (const sleep of sleeps.slice(2)) sleep.release();
      const secondResult = await second;
      expect(secondResult.data.images).toHaveLength(1);
      // One poll each: the second job's end was found without waiting out its cold-start sleep.
      expect(held.counters.status).toBe(2);
    } finally {
      held.finishRunningJobs();
      for (const sleep of sleeps) sleep.release();
      await held.stop();
    }
  });
});

describe('a relay that holds the status stream back', () => {
  it('polls instead once the stream gives no headers within requestTimeout, and remembers it', async () => {
    emulator.configure({ faults: { stream: { latency: 30_000 } } });
    const client = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, requestTimeout: 1_000 });
    const first = await client.run({ prompt: 'held back', image_url }, { pollInterval: 10 });
    const second = await client.run({ prompt: 'polled', image_url }, { pollInterval: 10 });

    expect(first.data.images).toHaveLength(1);
    expect(second.data.images).toHaveLength(1);
    expect(emulator.counters.stream).toBe(1);
    expect(emulator.counters.status).toBeGreaterThanOrEqual(2);
  });

  it('gives up at requestTimeout also with a transport that does not heed the abort (a stream and a status call)', async () => {
    // A transport over HTTP to the emulator that never passes the signal on: its calls end only
    // when the server answers. The lifecycle must not wait for that.
    const http = createFetchTransport({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const deaf = createQueueLifecycle({
      transport: {
        send: (request) => http.send({ ...request, signal: undefined }),
        openEventStream: (request) => http.openEventStream!({ ...request, signal: undefined }),
      },
      sleep: nodeSleep,
      baseUrl: emulator.url,
      requestTimeout: 1_000,
    });
    emulator.configure({ faults: { stream: { latency: 30_000 }, status: { latency: 30_000, times: 1 } } });
    const result = await deaf.run({ prompt: 'deaf transport', image_url }, { pollInterval: 10 });
    expect(result.data.images).toHaveLength(1);
    expect(emulator.counters.stream).toBe(1);
    // The first status call was held and given up on; a retry answered.
    expect(emulator.counters.status).toBeGreaterThanOrEqual(2);
  });
});

describe('host swap', () => {
  it('moves the ticket URLs from fal\'s host onto the base URL', async () => {
    // The server's own ticket points at fal's host...
    const answer = await fetch(`${emulator.url}/fal-ai/flux-pro/kontext`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'plain', image_url }),
    });
    expect(((await answer.json()) as { status_url: string }).status_url).toMatch(/^https:\/\/queue\.fal\.run\/fal-ai\/flux-pro\/requests\//);
    // ...and the client's and the raw client's are on the base URL.
    const raw = await createRawClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }).POST('/fal-ai/flux-pro/kontext', { body: { prompt: 'raw', image_url } });
    expect(raw.data?.status_url).toBe(`${emulator.url}/fal-ai/flux-pro/requests/${raw.data?.request_id}/status`);

    const ticket = await kontext.submit({ prompt: 'swap', image_url });
    expect(ticket.status_url).toBe(`${emulator.url}/fal-ai/flux-pro/requests/${ticket.request_id}/status`);
    expect(ticket.response_url).toBe(`${emulator.url}/fal-ai/flux-pro/requests/${ticket.request_id}`);
    expect(ticket.cancel_url).toBe(`${emulator.url}/fal-ai/flux-pro/requests/${ticket.request_id}/cancel`);

    // Following the swapped URL as given reaches the job.
    const followed = await fetch(ticket.status_url, { headers: { Authorization: `Bearer ${emulator.apiKey}` } });
    expect([200, 202]).toContain(followed.status);
    // The server's status answer names fal's host too; the client's and the raw client's do not.
    expect(((await followed.json()) as { response_url: string }).response_url).toMatch(/^https:\/\/queue\.fal\.run\//);
    expect((await kontext.status(ticket)).response_url).toBe(ticket.response_url);
    const rawStatus = await createRawClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }).GET('/{owner}/{alias}/requests/{request_id}/status', {
      params: { path: { owner: 'fal-ai', alias: 'flux-pro', request_id: ticket.request_id } },
    });
    expect(rawStatus.data?.response_url).toBe(ticket.response_url);
  });
});

describe('the calls one by one', () => {
  it('submit, status, result (also through the raw client with model `auto`), cancel and usage', async () => {
    emulator.configure({ jobDuration: 60_000 });
    const ticket = await kontext.submit({ prompt: 'one by one', image_url });
    expect(ticket.status).toBe('IN_QUEUE');
    const early = await kontext.status(ticket);
    expect(['IN_QUEUE', 'IN_PROGRESS']).toContain(early.status);

    let status = early;
    while (status.status !== 'COMPLETED') {
      // Earlier tests' jobs may still be ahead of it on the single worker.
      emulator.finishRunningJobs();
      status = await kontext.status(ticket.request_id, { logs: true });
    }
    expect('logs' in status && Array.isArray(status.logs) && status.logs.length > 0).toBe(true);

    const result = await kontext.result(ticket.request_id);
    expect(result.requestId).toBe(ticket.request_id);
    const auto = await createRawClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }).GET('/{owner}/{alias}/requests/{request_id}', {
      params: { path: { owner: 'fal-ai', alias: 'auto', request_id: ticket.request_id } },
    });
    expect(auto.data?.images).toEqual(result.data.images);

    expect(await kontext.cancel(ticket)).toBe('ALREADY_COMPLETED');
    emulator.configure({ jobDuration: 10_000 });
    const slow = await kontext.submit({ prompt: 'slow', image_url });
    expect(await kontext.cancel(slow.request_id)).toBe('CANCELLATION_REQUESTED');
    await expect(kontext.cancel('no-such-request')).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });

    const usage = await kontext.usage();
    expect(usage.object).toBe('token_usage');
    expect(usage.total_used).toBeGreaterThan(0);
  });
});

describe('jobs that fail', () => {
  it('a FAILED status ends the run with JobFailedError', async () => {
    const error = await kontext.run({ prompt: 'please [fail]', image_url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).requestId).toMatch(/\S/);
    expect(emulator.counters.result).toBe(0);
  });

  it('a job that completes but whose result is refused ends with JobFailedError carrying the API error', async () => {
    const error = await kontext.run({ prompt: 'please [fail-at-result]', image_url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    const cause = (error as JobFailedError).cause;
    expect(cause).toBeInstanceOf(UnprocessableEntityError);
    expect((cause as UnprocessableEntityError).errorType).toBe('content_policy_violation');
    expect((cause as UnprocessableEntityError).fieldErrors[0]?.field).toBe('prompt');
    expect((error as Error).message).toMatch(/content_policy_violation/);
  });
});
