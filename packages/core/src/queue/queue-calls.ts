import { ApiError, errorFromResponse, NotFoundError } from '../errors.js';
import { sendWithRetry, type CallKind } from '../retry.js';
import type { TransportRequest, TransportResponse } from '../transport/transport.js';
import type { AnyModelPath, CancelOutcome, KontextResult, QueueStatus, QueueTicket, SubmitPath, TokenUsage } from '../types.js';
import { swapQueueUrls } from '../urls/host-swap.js';
import { appOfPath, isSubmitPath } from '../validation/endpoint.js';
import { jobParameters, type JobAddress } from './job-address.js';
import type { LifecycleContext } from './lifecycle-context.js';
import {
  isCancelAnswer,
  isQueueStatus,
  isResult,
  isTicket,
  isUsage,
  JOB_PATHS,
  modelPathSubmit,
  specPath,
  specRequest,
  USAGE_PATH,
} from './spec-requests.js';

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

function unexpected(response: TransportResponse, action: string, expected: string): ApiError {
  return new ApiError({
    status: response.status,
    body: response.body,
    headers: response.headers,
    message: `${action} got an answer that is not ${expected}`,
  });
}

/**
 * Submits an already validated body (to a path the spec lists, or any model path for
 * `submitAny`). Never sent twice when the first may have been accepted.
 */
export async function submitJob(
  context: LifecycleContext,
  endpoint: SubmitPath | AnyModelPath,
  body: unknown,
  webhookUrl: string | undefined,
): Promise<QueueTicket> {
  const action = `Submit to ${endpoint}`;
  const query = webhookUrl ? { fal_webhook: webhookUrl } : undefined;
  const request = isSubmitPath(endpoint)
    ? specRequest('post', endpoint, {}, { body, ...(query ? { query } : {}) })
    : modelPathSubmit(endpoint, body, query);
  const response = await send(context, request, 'submit', action);
  const ticket = response.body;
  if (!isTicket(ticket)) throw unexpected(response, action, 'a queue ticket');
  // A relay that leaves the URLs out: the job's paths on the endpoint's app.
  const job = jobParameters({ requestId: ticket.request_id, app: appOfPath(endpoint) });
  const urlOf = (template: (typeof JOB_PATHS)[keyof typeof JOB_PATHS]) => `${context.baseUrl}${specPath(template, job)}`;
  return swapQueueUrls(
    {
      ...ticket,
      status: ticket.status ?? 'IN_QUEUE',
      response_url: ticket.response_url ?? urlOf(JOB_PATHS.result),
      status_url: ticket.status_url ?? urlOf(JOB_PATHS.status),
      cancel_url: ticket.cancel_url ?? urlOf(JOB_PATHS.cancel),
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
  const request = specRequest('get', JOB_PATHS.status, jobParameters(address), {
    ...(options.logs ? { query: { logs: 1 } } : {}),
    signal: options.signal,
  });
  const response = await send(context, request, 'idempotent', action);
  const status = response.body;
  if (!isQueueStatus(status)) throw unexpected(response, action, 'a queue status');
  return swapQueueUrls(status, context.baseUrl);
}

export async function getResult(
  context: LifecycleContext,
  address: JobAddress,
  options: { signal?: AbortSignal; echoes?: readonly string[] },
): Promise<KontextResult> {
  const action = `Result of job ${address.requestId}`;
  const request = specRequest('get', JOB_PATHS.result, jobParameters(address), options);
  const response = await send(context, request, 'idempotent', action);
  const data = response.body;
  if (!isResult(data)) throw unexpected(response, action, 'a result with images');
  return { requestId: response.headers['x-fal-request-id'] ?? address.requestId, data };
}

/**
 * The answers to `PUT .../requests/{id}/cancel` fal documents, each `{status}`; first match wins:
 * - 202 `CANCELLATION_REQUESTED`: a queued job was taken out of the queue, or a running one
 *   was told to stop (the model decides how; it may still finish); a relay that answers another
 *   success with the same body is read the same way;
 * - 400 `ALREADY_COMPLETED`: the job had ended, nothing was changed;
 * - 404 `NOT_FOUND`: the queue has no such job under this app (`cancelJob` says what to check).
 * Any other answer is the error its status calls for. An answer the service is found to give is
 * one more row here.
 */
const CANCEL_ANSWERS: readonly { outcome: CancelOutcome; matches: (status: number, body: unknown) => boolean }[] = [
  {
    outcome: 'CANCELLATION_REQUESTED',
    matches: (status, body) => status === 202 || (isSuccess(status) && isCancelAnswer(body, 'CANCELLATION_REQUESTED')),
  },
  { outcome: 'ALREADY_COMPLETED', matches: (status, body) => status === 400 && isCancelAnswer(body, 'ALREADY_COMPLETED') },
];

export async function cancelJob(
  context: LifecycleContext,
  address: JobAddress,
  options: { signal?: AbortSignal },
): Promise<CancelOutcome> {
  const action = `Cancel of job ${address.requestId}`;
  const request = specRequest('put', JOB_PATHS.cancel, jobParameters(address), options);
  const response = await sendWithRetry(context, request, 'idempotent', action);
  const answer = CANCEL_ANSWERS.find((row) => row.matches(response.status, response.body));
  if (answer) return answer.outcome;
  if (response.status === 404) {
    throw new NotFoundError({
      status: 404,
      body: response.body,
      headers: response.headers,
      requestId: address.requestId,
      message:
        `${action} failed with 404: the server has no job ${address.requestId} to cancel (NOT_FOUND). ` +
        'Check the request id, and that the job was submitted with this API key to this model; finished jobs also expire.',
    });
  }
  throw errorFromResponse(response.status, response.body, response.headers, action);
}

export async function getUsage(context: LifecycleContext, options: { signal?: AbortSignal }): Promise<TokenUsage> {
  const action = 'Usage of the API key';
  const response = await send(context, specRequest('get', USAGE_PATH, {}, options), 'idempotent', action);
  const body = response.body;
  if (!isUsage(body)) throw unexpected(response, action, "the key's usage");
  return body.data;
}
