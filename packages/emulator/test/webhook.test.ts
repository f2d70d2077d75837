import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleInput, submit, useEmulator, waitFor } from './helpers.js';

interface Delivery {
  request_id: string;
  gateway_request_id: string;
  status: 'OK' | 'ERROR';
  payload: unknown;
  error: string | null;
}

let receiver: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  receiver = undefined;
});

/** A local webhook receiver; it answers 500 to the first `failures` deliveries. */
async function startReceiver(failures = 0): Promise<{ url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  let failuresLeft = failures;
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        response.writeHead(500).end();
        return;
      }
      deliveries.push(JSON.parse(body) as Delivery);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, deliveries };
}

describe('fal_webhook', () => {
  it('POSTs status OK with the output when the job completes', async () => {
    const emulator = await useEmulator();
    const hook = await startReceiver();
    const { request_id } = await submit(emulator, await sampleInput(), `?fal_webhook=${encodeURIComponent(hook.url)}`);
    await waitFor(() => hook.deliveries.length === 1);
    expect(hook.deliveries[0]).toMatchObject({
      request_id,
      gateway_request_id: request_id,
      status: 'OK',
      payload: { images: [expect.objectContaining({ content_type: 'image/jpeg' })] },
      error: null,
    });
  });

  it('POSTs status ERROR with the error body when the result is refused', async () => {
    const emulator = await useEmulator();
    const hook = await startReceiver();
    await submit(emulator, await sampleInput({ prompt: 'x [fail-at-result]' }), `?fal_webhook=${encodeURIComponent(hook.url)}`);
    await waitFor(() => hook.deliveries.length === 1);
    expect(hook.deliveries[0]).toMatchObject({
      status: 'ERROR',
      error: 'Invalid status code: 422',
      payload: { detail: [expect.objectContaining({ type: 'content_policy_violation' })] },
    });
  });

  it('retries a delivery the receiver refused', async () => {
    const emulator = await useEmulator();
    const hook = await startReceiver(1);
    await submit(emulator, await sampleInput(), `?fal_webhook=${encodeURIComponent(hook.url)}`);
    await waitFor(() => hook.deliveries.length === 1);
    expect(emulator.counters.webhooks).toBe(2);
  });
});
