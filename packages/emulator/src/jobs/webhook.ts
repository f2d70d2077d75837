import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from './job.js';

export interface WebhookPayload {
  request_id: string;
  gateway_request_id: string;
  status: 'OK' | 'ERROR';
  payload: unknown;
  error: string | null;
}

/**
 * How a webhook is retried. fal retries a failed delivery (a network error, a timeout or a
 * non-2xx answer) for about two hours with a growing delay; the emulator keeps the rule and
 * shortens the clock (options `webhookRetry`).
 */
export interface WebhookRetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Delay before the first retry, in ms; each later one doubles, up to `maxDelay`. */
  baseDelay: number;
  maxDelay: number;
  /** How long one attempt may take before it counts as failed, in ms. */
  timeout: number;
}

/** The delay before retry number `retry` (1 for the first retry): exponential, capped. */
export function webhookRetryDelay(retry: number, policy: Pick<WebhookRetryPolicy, 'baseDelay' | 'maxDelay'>): number {
  return Math.min(policy.maxDelay, policy.baseDelay * 2 ** (retry - 1));
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

export interface DeliveryHooks {
  /** Before each attempt. */
  onAttempt(): void;
  /** Once, when the delivery ends: accepted by the receiver, or given up after the last retry. */
  onEnd(delivered: boolean): void;
}

/**
 * POSTs one job's webhook, retrying per `policy`. Every attempt sends the same bytes: the body
 * is serialised once, so a receiver can deduplicate on `request_id`. Never throws: a broken
 * receiver must not break the queue. Aborting `signal` (the emulator stopping) ends it quietly.
 */
export async function deliverWebhook(
  url: string,
  payload: WebhookPayload,
  policy: WebhookRetryPolicy,
  signal: AbortSignal,
  hooks: DeliveryHooks,
): Promise<boolean> {
  const body = JSON.stringify(payload);
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    try {
      if (attempt > 0) await sleep(webhookRetryDelay(attempt, policy), undefined, { signal });
      hooks.onAttempt();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fal-webhook-request-id': payload.request_id },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(policy.timeout)]),
      });
      await response.arrayBuffer();
      if (response.ok) {
        hooks.onEnd(true);
        return true;
      }
    } catch {
      if (signal.aborted) return false;
    }
  }
  hooks.onEnd(false);
  return false;
}
