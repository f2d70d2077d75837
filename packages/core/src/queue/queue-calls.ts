import { errorFromResponse } from '../errors/error-from-response.js';
import { ApiError } from '../errors/api-error.js';
import { submitEndpoints } from '../generated/endpoints.js';
import type { TransportRequest, TransportResponse } from '../transport/transport.js';
import type { CallKind } from '../retry/retry-decision.js';
import type {
  CancelOutcome,
  KontextResult,
  QueueStatus,
  QueueTicket,
  SubmitPath,
  TokenUsage,
} from '../types.js';
import { swapQueueHost, swapTicketHost } from '../urls/host-swap.js';
import { cancelOutcomeOf } from './cancel-answer.js';
import { queuePath, type JobAddress } from './job-address.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { sendWithRetry } from './send-with-retry.js';

const isSuccess = (status: number) => status >= 200 && status < 300;

async function send(
  context: LifecycleContext,
  request: TransportRequest,
  call: CallKind,
  action: string,
): Promise<TransportResponse> {
  const response = await sendWithRetry(context, request, call, action);
  if (!isSuccess(response.status)) throw errorFromResponse(response.status, response.body, response.headers, action);
  return response;
}

/** A request about one job: `suffix` picks the call, the signal is passed when there is one. */
function jobRequest(
  method: TransportRequest['method'],
  address: JobAddress,
  suffix: Parameters<typeof queuePath>[1],
  options: { signal?: AbortSignal; query?: Record<string, string>; echoes?: readonly string[] },
): TransportRequest {
  return {
    method,
    path: queuePath(address, suffix),
    ...(options.query ? { query: options.query } : {}),
    ...(options.echoes?.length ? { echoes: options.echoes } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

function unexpected(response: TransportResponse, action: string, expected: string): ApiError {
  return new ApiError({
    status: response.status,
    body: response.body,
    headers: response.headers,
    message: `${action} got an answer that is not ${expected}`,
  });
}

/** Submits an already validated body. Never sent twice when the first may have been accepted. */
export async function submitJob(
  context: LifecycleContext,
  endpoint: SubmitPath,
  body: unknown,
  webhookUrl: string | undefined,
): Promise<QueueTicket> {
  const action = `Submit to ${endpoint}`;
  const response = await send(
    context,
    { method: 'POST', path: endpoint, body, ...(webhookUrl ? { query: { fal_webhook: webhookUrl } } : {}) },
    'submit',
    action,
  );
  const ticket = response.body as QueueTicket | undefined;
  if (typeof ticket?.request_id !== 'string') throw unexpected(response, action, 'a queue ticket');
  const fallback = `${context.baseUrl}/${submitEndpoints[endpoint].app}/requests/${ticket.request_id}`;
  return swapTicketHost(
    {
      ...ticket,
      response_url: ticket.response_url ?? fallback,
      status_url: ticket.status_url ?? `${fallback}/status`,
      cancel_url: ticket.cancel_url ?? `${fallback}/cancel`,
    },
    context.baseUrl,
  );
}

export async function getStatus(
  context: LifecycleContext,
  address: JobAddress,
  options: { logs?: boolean; signal?: AbortSignal },
): Promise<QueueStatus> {
  const action = `Status of job ${address.requestId}`;
  const request = jobRequest('GET', address, '/status', {
    ...(options.logs ? { query: { logs: '1' } } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const response = await send(context, request, 'idempotent', action);
  const status = response.body as QueueStatus | undefined;
  if (typeof status?.status !== 'string') throw unexpected(response, action, 'a queue status');
  return withSwappedResponseUrl(status, context.baseUrl);
}

export function withSwappedResponseUrl(status: QueueStatus, baseUrl: string): QueueStatus {
  return status.response_url ? { ...status, response_url: swapQueueHost(status.response_url, baseUrl) } : status;
}

export async function getResult(
  context: LifecycleContext,
  address: JobAddress,
  options: { signal?: AbortSignal; echoes?: readonly string[] },
): Promise<KontextResult> {
  const action = `Result of job ${address.requestId}`;
  const response = await send(context, jobRequest('GET', address, '', options), 'idempotent', action);
  const data = response.body as KontextResult['data'] | undefined;
  if (!Array.isArray(data?.images)) throw unexpected(response, action, 'a result with images');
  return { requestId: response.headers['x-fal-request-id'] ?? address.requestId, data };
}

export async function cancelJob(
  context: LifecycleContext,
  address: JobAddress,
  options: { signal?: AbortSignal },
): Promise<CancelOutcome> {
  const action = `Cancel of job ${address.requestId}`;
  const response = await sendWithRetry(context, jobRequest('PUT', address, '/cancel', options), 'idempotent', action);
  return cancelOutcomeOf(response, action, address.requestId);
}

export async function getUsage(context: LifecycleContext, options: { signal?: AbortSignal }): Promise<TokenUsage> {
  const action = 'Usage of the API key';
  const response = await send(
    context,
    { method: 'GET', path: '/api/usage/token/', ...(options.signal ? { signal: options.signal } : {}) },
    'idempotent',
    action,
  );
  const body = response.body as { code?: unknown; data?: TokenUsage; message?: unknown } | undefined;
  if (body?.code !== true || typeof body.data !== 'object') throw unexpected(response, action, 'the key\'s usage');
  return body.data;
}
