import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRawClient, type RawClient } from '../src/fetch.js';
import { ConnectionError, InputError } from '../src/index.js';
import { pngDataUrl } from './support/png.js';
import { everythingShown, expectNoKeyIn } from './support/secrets.js';

// The raw typed client (the /fetch entry) sends as the queue lifecycle does: these talk HTTP to
// the real emulator and look at what the user gets and what the server counted.

let emulator: RunningEmulator;
let raw: RawClient;
const input = () => ({ prompt: 'raw', image_url: pngDataUrl(8, 8) });

beforeAll(async () => {
  // Jobs stay queued until a test lets them go: nothing here depends on how long one runs.
  emulator = await startEmulator({ port: 0, jobDuration: 600_000 });
  // Backoff of 1 ms: what is counted is whether a request was sent again, not how long it waited.
  raw = createRawClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: { baseDelay: 1, maxDelay: 1 } });
});
afterAll(async () => {
  emulator.finishRunningJobs();
  await emulator.stop();
});
beforeEach(() => {
  emulator.configure({ faults: {} });
  emulator.resetCounters();
});

describe("the raw client has the lifecycle's retries", () => {
  it('sends a call again after a 503, and the caller sees only the answer', async () => {
    emulator.configure({ faults: { usage: { status: 503, times: 1 } } });
    const { data, error, response } = await raw.GET('/api/usage/token/');
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.data.object).toBe('token_usage');
    expect(emulator.counters.usage).toBe(2);
  });

  it('sends a submit again after a 429 (the job was surely not taken), and queues the job once', async () => {
    emulator.configure({ faults: { submit: { status: 429, times: 1, retryAfter: 0 } } });
    const { data, error } = await raw.POST('/fal-ai/flux-pro/kontext', { body: input() });
    expect(error).toBeUndefined();
    expect(data?.status).toBe('IN_QUEUE');
    expect(emulator.counters.submit).toBe(2);
    expect(emulator.counters.submits).toBe(1);
  });

  it('does not send a submit again after a 502, which may hide an accepted job', async () => {
    emulator.configure({ faults: { submit: { status: 502, times: 1 } } });
    const { data, error, response } = await raw.POST('/fal-ai/flux-pro/kontext', { body: input() });
    expect(data).toBeUndefined();
    expect(response.status).toBe(502);
    expect(error).toEqual({ detail: 'Emulated fault: HTTP 502' });
    expect(emulator.counters.submit).toBe(1);
  });

  it('follows the retry option: maxRetries 0 sends once', async () => {
    const once = createRawClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: { maxRetries: 0 } });
    emulator.configure({ faults: { usage: { status: 503, times: 1 } } });
    const { response } = await once.GET('/api/usage/token/');
    expect(response.status).toBe(503);
    expect(emulator.counters.usage).toBe(1);
  });

  it('throws a ConnectionError naming the call when the server cannot be reached', async () => {
    emulator.configure({ faults: { usage: { drop: true } } });
    const error = await raw.GET('/api/usage/token/').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(/^GET \/api\/usage\/token\/ failed: could not reach the server after 4 attempts/);
    expect(emulator.counters.usage).toBe(4);
  });
});

describe("the raw client moves fal's URLs onto the base URL", () => {
  it("in a submit's ticket and in a job's status", async () => {
    const { data: ticket } = await raw.POST('/fal-ai/flux-pro/kontext', { body: input() });
    const job = `${emulator.url}/fal-ai/flux-pro/requests/${ticket!.request_id}`;
    expect(ticket).toMatchObject({ response_url: job, status_url: `${job}/status`, cancel_url: `${job}/cancel` });

    const { data: status } = await raw.GET('/{owner}/{alias}/requests/{request_id}/status', {
      params: { path: { owner: 'fal-ai', alias: 'flux-pro', request_id: ticket!.request_id } },
    });
    expect(status).toMatchObject({ status: expect.stringMatching(/^IN_(QUEUE|PROGRESS)$/), response_url: job });

    const { data: cancelled } = await raw.PUT('/{owner}/{alias}/requests/{request_id}/cancel', {
      params: { path: { owner: 'fal-ai', alias: 'flux-pro', request_id: ticket!.request_id } },
    });
    expect(cancelled).toEqual({ status: 'CANCELLATION_REQUESTED' });
  });
});

describe('the raw client never shows the key', () => {
  it('not when the server echoes it back in an error body', async () => {
    emulator.configure({ faults: { usage: { status: 401, body: { detail: `Invalid token: Bearer ${emulator.apiKey}` } } } });
    const { error, response } = await raw.GET('/api/usage/token/');
    expect(response.status).toBe(401);
    expect(error).toEqual({ detail: 'Invalid token: Bearer [redacted]' });
    expectNoKeyIn(everythingShown(error), emulator.apiKey);
  });

  it('not in a ConnectionError', async () => {
    emulator.configure({ faults: { usage: { drop: true } } });
    const error = await raw.GET('/api/usage/token/').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expectNoKeyIn(everythingShown(error), emulator.apiKey);
  });

  it('not when the key is refused before anything is sent', () => {
    const key = 'sk-left-half-3e9a7c1f right-half-8b2d6f4a';
    let error: unknown;
    try {
      createRawClient({ apiKey: key, baseUrl: emulator.url });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^apiKey must be your AnyAPI key/);
    expectNoKeyIn(everythingShown(error), key);
    expect(emulator.counters.total).toBe(0);
  });
});
