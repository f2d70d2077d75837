import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from './job.js';

/** fal retries for hours; an emulator only needs a few tries to ride out a slow test server. */
const RETRY_DELAYS_MS = [0, 250, 1000];

export interface WebhookPayload {
  request_id: string;
  gateway_request_id: string;
  status: 'OK' | 'ERROR';
  payload: unknown;
  error: string | null;
}

/** The body fal POSTs to `fal_webhook` when a job ends. */
export function webhookPayload(job: Job): WebhookPayload {
  const ending = job.ending;
  const base = { request_id: job.id, gateway_request_id: job.id };
  if (ending?.kind === 'output') return { ...base, status: 'OK', payload: ending.output, error: null };
  return {
    ...base,
    status: 'ERROR',
    payload: ending?.body ?? null,
    error: `Invalid status code: ${ending?.httpStatus ?? 500}`,
  };
}

/**
 * POSTs the payload, retrying on network errors and non-2xx answers. Never throws: a broken
 * webhook receiver must not break the queue.
 */
export async function deliverWebhook(
  url: string,
  payload: WebhookPayload,
  signal: AbortSignal,
  onAttempt: () => void,
): Promise<boolean> {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      if (delay > 0) await sleep(delay, undefined, { signal });
      onAttempt();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal,
      });
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      if (signal.aborted) return false;
    }
  }
  return false;
}
