import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { createKontextClient, NotFoundError, ServerError, type KontextClient } from '../src/index.js';
import { pngDataUrl } from './support/png.js';

let emulator: RunningEmulator;
let kontext: KontextClient;
const input = { prompt: 'Hold it', image_url: pngDataUrl(32, 24) };

beforeAll(async () => {
  // Jobs run until finishRunningJobs() lets them go: nothing here depends on the clock.
  emulator = await startEmulator({ port: 0, jobDuration: 600_000, concurrency: 1 });
  kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: { baseDelay: 1, jitter: 0 } });
});
afterAll(() => emulator.stop());

describe("the cancel answers fal documents, each read into what happened", () => {
  it('202 CANCELLATION_REQUESTED: for a running job and for a queued one', async () => {
    const running = await kontext.submit(input);
    const queued = await kontext.submit(input);
    expect((await kontext.status(queued)).status).toBe('IN_QUEUE');
    expect(await kontext.cancel(queued)).toBe('CANCELLATION_REQUESTED');
    expect(await kontext.cancel(running)).toBe('CANCELLATION_REQUESTED');
    // fal has no CANCELLED status: a cancelled job is COMPLETED, and asking again is too late.
    expect((await kontext.status(running)).status).toBe('COMPLETED');
    expect(await kontext.cancel(running)).toBe('ALREADY_COMPLETED');
  });

  it('400 ALREADY_COMPLETED: a job that ended on its own', async () => {
    // Earlier jobs have all ended, so this one runs at once and onSubmit lets it finish.
    const result = await kontext.run(input, { onSubmit: () => void emulator.finishRunningJobs() });
    expect(await kontext.cancel(result.requestId)).toBe('ALREADY_COMPLETED');
  });

  it('404 NOT_FOUND: an error that says the server has no such job, and what to check', async () => {
    const error = await kontext.cancel('no-such-request').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, body: { status: 'NOT_FOUND' }, requestId: 'no-such-request' });
    expect((error as Error).message).toBe(
      'Cancel of job no-such-request failed with 404: the server has no job no-such-request to cancel (NOT_FOUND). ' +
        'Check the request id, and that the job was submitted with this API key to this model; finished jobs also expire.',
    );
    expect(emulator.counters.cancels).toBeGreaterThan(0);
  });

  it('any other answer is the error its status calls for', async () => {
    const ticket = await kontext.submit(input);
    emulator.configure({ faults: { cancel: { status: 500, times: 4 } } });
    const error = await kontext.cancel(ticket).catch((e: unknown) => e);
    emulator.configure({ faults: {} });
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toMatch(/^Cancel of job .+ failed with 500/);
    expect(await kontext.cancel(ticket)).toBe('CANCELLATION_REQUESTED');
  });
});
