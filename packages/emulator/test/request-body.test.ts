import { describe, expect, it } from 'vitest';
import { call, dataUrl, noisePng, sampleInput, SUBMIT_PATH, submit, useEmulator } from './helpers.js';

/** The ms a body of `bytes` needs on a link of `mbit` Mbit/s. */
const linkTime = (bytes: number, mbit: number): number => (bytes * 8) / (mbit * 1000);

describe('uplink: request bodies read at the client upload speed', () => {
  it('takes a body no faster than the uplink allows (server-side times of the submit)', async () => {
    const emulator = await useEmulator({ uplink: 2, jobDuration: 60_000 });
    const input = await sampleInput({ image_url: dataUrl(await noisePng(160, 120)) });
    const bytes = Buffer.byteLength(JSON.stringify(input));
    const { request_id } = await submit(emulator, input);
    const times = emulator.jobTimes(request_id);
    // A lower bound only: a loaded machine can make it longer, never shorter.
    expect((times?.submittedAt ?? 0) - (times?.receivedAt ?? 0)).toBeGreaterThanOrEqual(linkTime(bytes, 2) * 0.95);
  });

  it('shares the link between bodies sent at once, and configure() changes its speed', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000 });
    emulator.configure({ uplink: 4 });
    const inputs = [await sampleInput({ image_url: dataUrl(await noisePng(160, 120, 1)) }), await sampleInput({ image_url: dataUrl(await noisePng(160, 120, 2)) })];
    const bytes = inputs.reduce((sum, input) => sum + Buffer.byteLength(JSON.stringify(input)), 0);
    const tickets = await Promise.all(inputs.map((input) => submit(emulator, input)));
    const times = tickets.map((ticket) => emulator.jobTimes(ticket.request_id));
    const firstArrived = Math.min(...times.map((time) => time?.receivedAt ?? Infinity));
    const lastAccepted = Math.max(...times.map((time) => time?.submittedAt ?? 0));
    expect(lastAccepted - firstArrived).toBeGreaterThanOrEqual(linkTime(bytes, 4) * 0.95);
  });
});

describe('body limit: 413 above maxBodyBytes', () => {
  it('refuses a body whose declared length is over the limit, and queues nothing', async () => {
    const emulator = await useEmulator({ maxBodyBytes: 20_000 });
    const input = await sampleInput({ image_url: dataUrl(await noisePng(100, 100)) });
    const answer = await call(emulator, 'POST', SUBMIT_PATH, { body: input });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ detail: 'Request body is larger than the 20000 bytes allowed.' });
    expect(emulator.counters).toMatchObject({ submit: 1, submits: 0 });
    // The connection is still usable: the next request on it is answered.
    expect((await call(emulator, 'POST', SUBMIT_PATH, { body: await sampleInput() })).status).toBe(200);
  });

  it('refuses a chunked body (no Content-Length) once it passes the limit', async () => {
    const emulator = await useEmulator({ maxBodyBytes: 20_000 });
    const text = JSON.stringify(await sampleInput({ image_url: dataUrl(await noisePng(100, 100)) }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = Buffer.from(text);
        for (let offset = 0; offset < bytes.length; offset += 8192) controller.enqueue(bytes.subarray(offset, offset + 8192));
        controller.close();
      },
    });
    const response = await fetch(emulator.url + SUBMIT_PATH, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.headers.get('content-length')).not.toBeNull();
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ detail: 'Request body is larger than the 20000 bytes allowed.' });
    expect(emulator.counters.submits).toBe(0);
  });

  it('accepts a body of exactly the limit', async () => {
    const input = await sampleInput();
    const emulator = await useEmulator({ maxBodyBytes: Buffer.byteLength(JSON.stringify(input)) });
    expect((await call(emulator, 'POST', SUBMIT_PATH, { body: input })).status).toBe(200);
  });
});
