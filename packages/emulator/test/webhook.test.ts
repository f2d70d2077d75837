import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookRetryDelay } from '../src/jobs/webhook.js';
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

/** A local webhook receiver; it answers 500 to the first `failures` deliveries and keeps every raw body. */
async function startReceiver(failures = 0): Promise<{ url: string; deliveries: Delivery[]; rawBodies: string[] }> {
  const deliveries: Delivery[] = [];
  const rawBodies: string[] = [];
  let failuresLeft = failures;
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      rawBodies.push(body);
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
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, deliveries, rawBodies };
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

  it('retries a delivery the receiver refused, with the same body every time', async () => {
    // No delay between retries: the rule is tested, not the clock.
    const emulator = await useEmulator({ webhookRetry: { baseDelay: 0 } });
    const hook = await startReceiver(3);
    const { request_id } = await submit(emulator, await sampleInput(), `?fal_webhook=${encodeURIComponent(hook.url)}`);
    await waitFor(() => emulator.counters.webhooksDelivered === 1);
    expect(emulator.counters).toMatchObject({ webhooks: 4, webhooksDelivered: 1, webhooksFailed: 0 });
    expect(hook.rawBodies).toHaveLength(4);
    expect(new Set(hook.rawBodies).size).toBe(1);
    expect(hook.deliveries).toEqual([expect.objectContaining({ request_id, status: 'OK' })]);
  });

  it('gives up after the last retry', async () => {
    const emulator = await useEmulator({ webhookRetry: { baseDelay: 0, retries: 2 } });
    const hook = await startReceiver(Number.POSITIVE_INFINITY);
    await submit(emulator, await sampleInput(), `?fal_webhook=${encodeURIComponent(hook.url)}`);
    await waitFor(() => emulator.counters.webhooksFailed === 1);
    expect(emulator.counters).toMatchObject({ webhooks: 3, webhooksDelivered: 0, webhooksFailed: 1 });
    expect(hook.rawBodies).toHaveLength(3);
  });

  it('retries an unreachable receiver too', async () => {
    const emulator = await useEmulator({ webhookRetry: { baseDelay: 0, retries: 1 } });
    const hook = await startReceiver();
    await new Promise((resolve) => receiver?.close(resolve));
    receiver = undefined;
    await submit(emulator, await sampleInput(), `?fal_webhook=${encodeURIComponent(hook.url)}`);
    await waitFor(() => emulator.counters.webhooksFailed === 1);
    expect(emulator.counters.webhooks).toBe(2);
  });
});

describe('webhookRetryDelay', () => {
  it('doubles from the base delay and stops at the cap', () => {
    const policy = { baseDelay: 100, maxDelay: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => webhookRetryDelay(retry, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});
