import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import {
  CancelledError,
  ConnectionError,
  createKontextClient,
  InputError,
  RateLimitError,
  RunInterruptedError,
  ServerError,
  TimeoutError,
} from '../src/index.js';
import { recordingLifecycle } from './support/clients.js';
import { pngDataUrl } from './support/png.js';

let emulator: Emulator;
const input = { prompt: 'Make it snow', image_url: pngDataUrl(32, 32) };

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 40, concurrency: 4 });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.configure({ stream: true, jobDuration: 40, faults: {} });
  emulator.resetCounters();
});

describe('retries', () => {
  it('retries a 429 submit after the Retry-After the server asked for, and queues the job once', async () => {
    emulator.configure({ faults: { submit: { status: 429, times: 2, retryAfter: 3 } } });
    const { lifecycle, delays } = recordingLifecycle(emulator.url, emulator.apiKey);
    const result = await lifecycle.run(input);

    expect(result.data.images).toHaveLength(1);
    expect(delays.slice(0, 2)).toEqual([3000, 3000]);
    expect(emulator.counters.submit).toBe(3);
    expect(emulator.counters.submits).toBe(1);
  });

  it('caps a Retry-After that asks for too long', async () => {
    emulator.configure({ faults: { submit: { status: 503, times: 1, retryAfter: 86_400 } } });
    const { lifecycle, delays } = recordingLifecycle(emulator.url, emulator.apiKey, { maxRetryAfter: 20_000 });
    await lifecycle.submit(input);
    expect(delays).toEqual([20_000]);
  });

  it('backs off exponentially on 502/503/504 while polling, then succeeds', async () => {
    emulator.configure({ stream: false, faults: { status: { status: 503, times: 3 } } });
    const { lifecycle, delays } = recordingLifecycle(emulator.url, emulator.apiKey);
    const result = await lifecycle.run(input, { pollInterval: 1 });

    expect(result.data.images).toHaveLength(1);
    expect(delays.slice(0, 3)).toEqual([1000, 2000, 4000]);
    expect(emulator.counters.status).toBeGreaterThanOrEqual(4);
  });

  it('gives up after maxRetries with the last answer as the error', async () => {
    emulator.configure({ faults: { usage: { status: 429, times: 10 } } });
    const { lifecycle } = recordingLifecycle(emulator.url, emulator.apiKey, { maxRetries: 2 });
    await expect(lifecycle.usage()).rejects.toBeInstanceOf(RateLimitError);
    expect(emulator.counters.usage).toBe(3);
  });

  it('does not send a submit again after a 502: the job may exist', async () => {
    emulator.configure({ faults: { submit: { status: 502, times: 1 } } });
    const { lifecycle } = recordingLifecycle(emulator.url, emulator.apiKey);
    await expect(lifecycle.run(input)).rejects.toBeInstanceOf(ServerError);
    expect(emulator.counters.submit).toBe(1);
  });

  it('does not send a submit again when the connection breaks after the job was accepted', async () => {
    emulator.configure({ faults: { submit: { drop: 'after-accept', times: 1 } } });
    const { lifecycle } = recordingLifecycle(emulator.url, emulator.apiKey);
    const error = await lifecycle.run(input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).mayHaveBeenAccepted).toBe(true);
    expect((error as Error).message).toMatch(/may have been accepted, so it was not sent again/);
    expect(emulator.counters.submit).toBe(1);
    expect(emulator.counters.submits).toBe(1);
  });

  it('retries status calls whose connection broke', async () => {
    emulator.configure({ stream: false, faults: { status: { drop: true, times: 2 } } });
    const { lifecycle } = recordingLifecycle(emulator.url, emulator.apiKey);
    const result = await lifecycle.run(input, { pollInterval: 1 });
    expect(result.data.images).toHaveLength(1);
    expect(emulator.counters.status).toBeGreaterThanOrEqual(3);
  });

  it('retries a refused connection, then says the server could not be reached', async () => {
    const closed = await startEmulator({ port: 0 });
    const url = closed.url;
    await closed.stop();
    const { lifecycle, delays } = recordingLifecycle(url, 'key');
    const error = await lifecycle.submit(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).mayHaveBeenAccepted).toBe(false);
    expect((error as Error).message).toMatch(/could not reach the server after 4 attempts \(ECONNREFUSED/);
    expect(delays).toEqual([1000, 2000, 4000]);
  });
});

describe('a server that never answers', () => {
  const patient = (requestTimeout: number) =>
    createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, requestTimeout, retry: { baseDelay: 1, jitter: 0 } });

  it('gives up on an attempt after requestTimeout and retries it', async () => {
    emulator.configure({ faults: { usage: { latency: 30_000, times: 1 } } });
    // Room for the second, prompt answer on a loaded machine.
    const usage = await patient(2_000).usage();
    expect(usage.object).toBe('token_usage');
    expect(emulator.counters.usage).toBe(2);
  });

  it('says so after the last attempt', async () => {
    emulator.configure({ faults: { usage: { latency: 5_000 } } });
    const error = await patient(200).usage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/could not reach the server after 4 attempts \(ETIMEDOUT: no answer within 200 ms\)/);
    expect(emulator.counters.usage).toBe(4);
  });

  it('does not send a submit again: it may have been accepted', async () => {
    emulator.configure({ faults: { submit: { latency: 5_000 } } });
    const error = await patient(300).submit(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).mayHaveBeenAccepted).toBe(true);
    expect(emulator.counters.submit).toBe(1);
  });

  it('refuses a requestTimeout that is not a positive number of milliseconds', () => {
    expect(() => patient(0)).toThrow(/^requestTimeout must be a number of milliseconds above 0, or Infinity \(got 0\)$/);
    expect(() => patient(Number.NaN)).toThrow(InputError);
  });
});

describe('timeout and abort', () => {
  it('cancels the job on the server when the timeout runs out', async () => {
    emulator.configure({ jobDuration: 60_000 });
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const error = await kontext.run(input, { timeout: 300 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).cancelled).toBe(true);
    expect((error as Error).message).toMatch(/did not finish within 300 ms; it was cancelled on the server/);
    expect(emulator.counters.cancels).toBe(1);
  });

  it('cancels the job on the server when the caller aborts, while polling too', async () => {
    emulator.configure({ jobDuration: 60_000, stream: false });
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const controller = new AbortController();
    let requestId = '';
    const run = kontext.run(input, {
      signal: controller.signal,
      pollInterval: 20,
      onSubmit: (ticket) => {
        requestId = ticket.request_id;
        setTimeout(() => controller.abort(), 100);
      },
    });
    const error = await run.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).requestId).toBe(requestId);
    expect((error as CancelledError).cancelled).toBe(true);
    expect(emulator.counters.cancels).toBe(1);
    const status = await kontext.status(requestId);
    expect(['COMPLETED', 'FAILED']).toContain(status.status);
  });

  it('ends with the error of an onUpdate that throws, and cancels the job it leaves behind', async () => {
    emulator.configure({ jobDuration: 60_000 });
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const broken = new Error('the caller\'s progress handler broke');
    let requestId = '';
    const error = await kontext
      .run(input, {
        onSubmit: (ticket) => (requestId = ticket.request_id),
        onUpdate: (update) => {
          if (update.status === 'IN_PROGRESS') throw broken;
        },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RunInterruptedError);
    expect(error).toMatchObject({ requestId, source: 'onUpdate', cancelOutcome: 'CANCELLATION_REQUESTED', cancelled: true, cause: broken });
    expect((error as Error).message).toBe(
      `Job ${requestId}: the onUpdate callback threw (Error: the caller's progress handler broke); it was cancelled on the server.`,
    );
    expect(emulator.counters.cancels).toBe(1);
    expect((await kontext.status(requestId)).status).toBe('COMPLETED');
    await expect(kontext.result(requestId)).rejects.toThrow(/cancel/i);
  });

  it('cancels the job at once when onSubmit throws', async () => {
    emulator.configure({ jobDuration: 60_000 });
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const error = await kontext
      .run(input, {
        onSubmit: () => {
          throw new TypeError('cannot store the ticket');
        },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RunInterruptedError);
    expect((error as RunInterruptedError).cause).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ source: 'onSubmit', cancelled: true });
    expect(emulator.counters).toMatchObject({ submits: 1, cancels: 1, stream: 0, status: 0, result: 0 });
  });

  it('sends nothing when the signal is already aborted', async () => {
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    await expect(kontext.run(input, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
    expect(emulator.counters.total).toBe(0);
  });
});
