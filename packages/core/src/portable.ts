// The parts of the core that run anywhere: no Node built-ins, no timers, no `process`, no
// imports from outside this package. The n8n node bundles this entry.
export * from './errors.js';
export type * from './types.js';
export { submitEndpoints, defaultEndpoint, type ImageInput, type SubmitEndpointInfo } from './generated/endpoints.js';
export { inputSchemas } from './generated/input-schemas.js';
export { validateAnyInput, validateInput } from './validation/validate-input.js';
export { assertEndpoint, isModelPath, modelPathRule } from './validation/endpoint.js';
export { apiKeyMessage, apiKeyProblem } from './validation/api-key.js';
export { describeGot, isAbortSignal, isHttpUrl } from './validation/check-arguments.js';
export { describeAllowed, type FieldSchema } from './validation/describe-allowed.js';
export {
  createQueueLifecycle,
  type QueueLifecycle,
  type QueueLifecycleOptions,
  type SubmitOptions,
  type CallOptions,
} from './queue/queue-lifecycle.js';
export type { RunOptions } from './queue/run-job.js';
export type { Sleep, Transport, TransportRequest, TransportResponse, TransportStream } from './transport/transport.js';
export { parseBody } from './transport/transport.js';
export { isBlockedPort, networkFailureStage, type NetworkFailureStage } from './transport/network-failure.js';
export { defaultRetryPolicy, resolveRetryPolicy, type RetryPolicy } from './retry-policy.js';
export { backoffDelay, decideRetry, parseRetryAfter, type AttemptOutcome, type CallKind, type RetryDecision } from './retry.js';
export { DEFAULT_BASE_URL, normalizeBaseUrl } from './urls/base-url.js';
export { FAL_QUEUE_HOST, swapQueueHost, swapQueueUrls, swapTicketHost } from './urls/host-swap.js';
export {
  ACCEPTED_IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_PIXELS,
  bytesToDataUrl,
  detectImageType,
  type ImageProblem,
  type ImageType,
  type RefusedFormat,
} from './images/image-type.js';
export { readImageHeader, type ImageHeader, type ImageHeaderResult } from './images/image-header.js';
export { checkImage, inspectImage } from './images/image-check.js';
export { decodeBase64, encodeBase64 } from './images/base64.js';
export { decodeDataUrl, describeReceivedImage, type ReceivedImage } from './images/received-image.js';
export { mapWithConcurrency, type ConcurrencyOptions, type Outcome } from './batch/map-with-concurrency.js';
export { eventData, statusEvent } from './queue/event-stream.js';
export { isTicket, isUsage, JOB_PATHS, specRequest, USAGE_PATH } from './queue/spec-requests.js';
export { jobParameters } from './queue/job-address.js';
