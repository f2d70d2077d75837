import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import {
  CancelledError,
  ConnectionError,
  createFetchTransport,
  createKontextClient,
  createQueueLifecycle,
  JobFailedError,
  nodeSleep,
  RunInterruptedError,
  ServerError,
  TimeoutError,
  type Sleep,
  type Transport,
} from '../src/index.js';
import { CANCEL_BUDGET_MS, CANCEL_GRACE_MS } from '../src/queue/cancel-on-end.js';
import { pngDataUrl } from './support/png.js';
import { waitFor } from './support/wait-for.js';

let emulator: Emulator;
const input = { prompt: 'Make it snow', image_url: pngDataUrl(16, 16) };
/** Long enough to still be held when the test ends; the emulator drops it on stop. */
const HELD = 120_000;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 40, concurrency: 4 });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.configure({ stream: true, jobDuration: 40, faults: {} });
  emulator.finishRunningJobs();
  emulator.resetCounters();
});

const client = (retry = {}) =>
  createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: { jitter: 0, ...retry } });

/** Aborts `controller` once the job is queued, and records its id. */
function abortOnSubmit(controller: AbortController, ids: string[]) {
  return (ticket: { request_id: string }) => {
    ids.push(ticket.request_id);
    controller.abort();
  };
}

describe('an abort or a timeout is prompt even when the cancel is slow or failing', () => {
  it('abort: rejects while the cancel is still held by the server, saying it is not confirmed', async () => {
    emulator.configure({ jobDuration: HELD, faults: { cancel: { latency: HELD } } });
    const controller = new AbortController();
    const ids: string[] = [];
    const error = await client()
      .run(input, { signal: controller.signal, onSubmit: abortOnSubmit(controller, ids) })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ requestId: ids[0], cancelled: false, cancelOutcome: 'PENDING' });
    expect((error as Error).message).toBe(
      `Aborted; job ${ids[0]}: a cancel was sent to the server but not confirmed yet (it goes on in the background).`,
    );
    // The cancel reached the server and is still being held there: the run did not wait for it.
    expect(emulator.counters.cancel).toBe(1);
    expect(emulator.counters.cancels).toBe(0);
  });

  it('timeout: the same, as a TimeoutError', async () => {
    emulator.configure({ jobDuration: HELD, faults: { cancel: { latency: HELD } } });
    const error = await client().run(input, { timeout: 50 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ cancelled: false, cancelOutcome: 'PENDING', timeoutMs: 50 });
    expect((error as Error).message).toMatch(/did not finish within 50 ms; a cancel was sent to the server but not confirmed yet/);
    expect(emulator.counters.cancel).toBe(1);
    expect(emulator.counters.cancels).toBe(0);
  });

  it('a cancel answered 503 is retried in the background after the run rejected, and then ends', async () => {
    emulator.configure({ jobDuration: HELD, faults: { cancel: { status: 503 } } });
    const controller = new AbortController();
    const ids: string[] = [];
    // Backoff 1 s, 2 s, 4 s: the grace is over before the first retry.
    const error = await client({ baseDelay: 1_000 })
      .run(input, { signal: controller.signal, onSubmit: abortOnSubmit(controller, ids) })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'CancelledError', requestId: ids[0], cancelOutcome: 'PENDING' });
    expect(emulator.counters.cancel).toBeLessThan(4);
    await waitFor(() => emulator.counters.cancel === 4, 30_000);
  });

  it('a cancel that is confirmed in time says so', async () => {
    emulator.configure({ jobDuration: HELD });
    const controller = new AbortController();
    const ids: string[] = [];
    const error = await client()
      .run(input, { signal: controller.signal, onSubmit: abortOnSubmit(controller, ids) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CancelledError', cancelled: true, cancelOutcome: 'CANCELLATION_REQUESTED' });
    expect(emulator.counters.cancels).toBe(1);
  });

  it('an abort while the submit is held rejects at once; the job is cancelled once its ticket comes back', async () => {
    emulator.configure({ jobDuration: HELD, faults: { submit: { latency: 1_500, times: 1 } } });
    const controller = new AbortController();
    const run = client().run(input, { signal: controller.signal });
    await waitFor(() => emulator.counters.submit === 1);
    controller.abort();
    const error = await run.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).requestId).toBeUndefined();
    expect((error as Error).message).toMatch(/^Aborted while the job was being submitted; if the server accepts it, it is cancelled/);
    expect(emulator.counters.submits).toBe(0); // still held: the run did not wait for it
    await waitFor(() => emulator.counters.cancels === 1);
    expect(emulator.counters.submits).toBe(1);
  });
});

describe('the background cancel ends by itself', () => {
  /** Node's timers, except the grace and the cancel's budget, which wait until the test lets them end. */
  function heldClock() {
    const held: Array<{ ms: number; end: () => void }> = [];
    const sleep: Sleep = (ms, signal) => {
      if (ms !== CANCEL_GRACE_MS && ms !== CANCEL_BUDGET_MS) return nodeSleep(ms, signal);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        held.push({ ms, end: resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    };
    const end = (ms: number) => held.filter((entry) => entry.ms === ms).forEach((entry) => entry.end());
    return { sleep, end, held };
  }

  it('the cancel request is given up when its budget runs out, long after the run rejected', async () => {
    emulator.configure({ jobDuration: HELD, faults: { cancel: { latency: HELD } } });
    const clock = heldClock();
    const fetchTransport = createFetchTransport({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const ended: string[] = [];
    const transport: Transport = {
      send: (request) => fetchTransport.send(request).finally(() => ended.push(request.path)),
    };
    const lifecycle = createQueueLifecycle({ transport, sleep: clock.sleep, baseUrl: emulator.url, requestTimeout: Infinity });
    const controller = new AbortController();
    const ids: string[] = [];
    const run = lifecycle.run(input, { signal: controller.signal, pollInterval: 5, onSubmit: abortOnSubmit(controller, ids) });
    run.catch(() => undefined);
    await waitFor(() => emulator.counters.cancel === 1 && clock.held.some((entry) => entry.ms === CANCEL_GRACE_MS));

    clock.end(CANCEL_GRACE_MS);
    await expect(run).rejects.toMatchObject({ name: 'CancelledError', cancelOutcome: 'PENDING' });
    expect(ended.some((path) => path.endsWith('/cancel'))).toBe(false);

    clock.end(CANCEL_BUDGET_MS);
    await waitFor(() => ended.some((path) => path.endsWith('/cancel')));
    expect(emulator.counters.cancels).toBe(0);
  });
});

describe('once a job exists, every way a run ends names it and cancels it', () => {
  it('status polling that runs out of retries: the ServerError names the job, which is cancelled', async () => {
    emulator.configure({ stream: false, jobDuration: HELD, faults: { status: { status: 503 } } });
    const ids: string[] = [];
    const error = await client({ maxRetries: 1, baseDelay: 1 })
      .run(input, { onSubmit: (ticket) => ids.push(ticket.request_id) })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).requestId).toBe(ids[0]);
    expect((error as Error).message).toMatch(new RegExp(`failed with 503: .* Job ${ids[0]}: it was cancelled on the server\\.$`));
    expect(emulator.counters.cancels).toBe(1);
  });

  it('a connection that keeps breaking: the ConnectionError names the job, which is cancelled', async () => {
    emulator.configure({ stream: false, jobDuration: HELD, faults: { status: { drop: true } } });
    const ids: string[] = [];
    const error = await client({ maxRetries: 1, baseDelay: 1 })
      .run(input, { onSubmit: (ticket) => ids.push(ticket.request_id) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).requestId).toBe(ids[0]);
    expect(emulator.counters.cancels).toBe(1);
  });

  it('a bug (anything thrown that is not ours) ends as RunInterruptedError, and the job is cancelled', async () => {
    emulator.configure({ stream: false, jobDuration: HELD });
    const fetchTransport = createFetchTransport({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const bug = new RangeError('a bug in a custom transport');
    const transport: Transport = {
      send: (request) => (request.path.endsWith('/status') ? Promise.reject(bug) : fetchTransport.send(request)),
    };
    const lifecycle = createQueueLifecycle({ transport, sleep: nodeSleep, baseUrl: emulator.url });
    const error = await lifecycle.run(input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RunInterruptedError);
    expect(error).toMatchObject({ source: 'internal', cause: bug, cancelled: true });
    expect((error as Error).message).toMatch(/: the run broke on an unexpected error \(RangeError: a bug in a custom transport\); it was cancelled on the server\.$/);
    expect(emulator.counters.cancels).toBe(1);
  });
});

describe('gateway answers on the result fetch are not the job failing', () => {
  it('a 502 on the result is retried like a status read, and the run succeeds', async () => {
    emulator.configure({ faults: { result: { status: 502, times: 2 } } });
    const result = await client({ baseDelay: 1 }).run(input);
    expect(result.data.images).toHaveLength(1);
    expect(emulator.counters.result).toBe(3);
  });

  it('a connection dropped on the result is retried too', async () => {
    emulator.configure({ faults: { result: { drop: true, times: 1 } } });
    const result = await client({ baseDelay: 1 }).run(input);
    expect(result.data.images).toHaveLength(1);
  });

  it('a gateway that stays down gives a ServerError naming the job, not a JobFailedError', async () => {
    emulator.configure({ faults: { result: { status: 503 } } });
    const ids: string[] = [];
    const error = await client({ maxRetries: 1, baseDelay: 1 })
      .run(input, { onSubmit: (ticket) => ids.push(ticket.request_id) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).not.toBeInstanceOf(JobFailedError);
    expect((error as ServerError).requestId).toBe(ids[0]);
    // The job had ended: nothing to cancel.
    expect(emulator.counters.cancel).toBe(0);
    expect((error as Error).message).toMatch(/it had already completed, too late to cancel\.$/);
  });

  it("the model's own 5xx (fal's x-fal-error-type) is the job's failure", async () => {
    emulator.configure({ faults: { result: { status: 500, errorType: 'internal_server_error', retryable: false } } });
    const error = await client().run(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect(((error as JobFailedError).cause as ServerError).errorType).toBe('internal_server_error');
    expect(emulator.counters.result).toBe(1);
  });

  it("a 502 marked as the model's (x-fal-error-type) is the job's failure too", async () => {
    emulator.configure({ faults: { result: { status: 502, errorType: 'downstream_service_unavailable', retryable: false } } });
    const error = await client().run(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
  });
});

describe('aborting any call is a CancelledError', () => {
  it('status, result, cancel and usage aborted while in flight', async () => {
    const kontext = client();
    const ticket = await kontext.submit(input);
    const calls = {
      status: (signal: AbortSignal) => kontext.status(ticket, { signal }),
      result: (signal: AbortSignal) => kontext.result(ticket, { signal }),
      cancel: (signal: AbortSignal) => kontext.cancel(ticket, { signal }),
      usage: (signal: AbortSignal) => kontext.usage({ signal }),
    } as const;
    for (const [route, call] of Object.entries(calls) as [keyof typeof calls, (typeof calls)[keyof typeof calls]][]) {
      emulator.configure({ faults: { [route]: { latency: HELD } } });
      const before = emulator.counters[route];
      const controller = new AbortController();
      const pending = call(controller.signal).catch((e: unknown) => e);
      await waitFor(() => emulator.counters[route] === before + 1);
      controller.abort();
      const error = await pending;
      expect(error, route).toBeInstanceOf(CancelledError);
      expect((error as Error).message, route).toMatch(/ was aborted/);
      if (route !== 'usage') expect((error as CancelledError).requestId, route).toBe(ticket.request_id);
    }
  });

  it('an already aborted signal sends nothing', async () => {
    const kontext = client();
    const signal = AbortSignal.abort();
    for (const call of [
      () => kontext.status('req-1', { signal }),
      () => kontext.result('req-1', { signal }),
      () => kontext.cancel('req-1', { signal }),
      () => kontext.usage({ signal }),
      () => kontext.run(input, { signal }),
    ]) {
      await expect(call()).rejects.toBeInstanceOf(CancelledError);
    }
    expect(emulator.counters.total).toBe(0);
  });
});

describe("Node's fetch refusing a port", () => {
  it('says nothing was sent, and does not retry or claim the job may have been accepted', async () => {
    let fetches = 0;
    const countingFetch: typeof fetch = (...args) => {
      fetches += 1;
      return fetch(...args);
    };
    const kontext = createKontextClient({ apiKey: 'a-key-for-a-blocked-port', baseUrl: 'http://127.0.0.1:10080', fetch: countingFetch });
    const error = await kontext.submit(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).mayHaveBeenAccepted).toBe(false);
    expect((error as Error).message).toMatch(/nothing was sent, because Node's fetch refuses to connect to this port \(bad port\)/);
    expect((error as Error).message).not.toMatch(/after the job was sent/);
    expect(fetches).toBe(1);
  });
});
