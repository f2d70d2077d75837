// The Node client. Importing it loads only what a call checks first (its arguments, the
// endpoint list, the errors); what sends, polls and validates inputs against the spec's schemas
// loads on the first call (pnpm bench shows both sizes). The building blocks the n8n node and
// other runtimes use (validateInput, inputSchemas, the retry rules, base64...) are in
// `@anyapi-kontext/core/portable`; the typed openapi-fetch client is in `@anyapi-kontext/core/fetch`.
export * from './errors.js';
export type * from './types.js';
export { submitEndpoints, defaultEndpoint, type ImageInput, type SubmitEndpointInfo } from './generated/endpoints.js';
export type { FieldSchema } from './validation/describe-allowed.js';
export { apiKeyMessage, apiKeyProblem } from './validation/api-key.js';
export {
  createQueueLifecycle,
  type QueueLifecycle,
  type QueueLifecycleOptions,
  type SubmitOptions,
  type CallOptions,
} from './queue/queue-lifecycle.js';
export type { RunOptions } from './queue/run-job.js';
export type { Sleep, Transport, TransportRequest, TransportResponse, TransportStream } from './transport/transport.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';
export { DEFAULT_BASE_URL, normalizeBaseUrl } from './urls/base-url.js';
export { ACCEPTED_IMAGE_TYPES, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, detectImageType, type ImageType } from './images/image-type.js';
export type { ReceivedImage } from './images/received-image.js';
export { createKontextClient, type KontextClient, type KontextClientOptions } from './node/create-kontext-client.js';
export { createFetchTransport, type FetchTransportOptions } from './node/fetch-transport.js';
export { nodeSleep } from './node/sleep.js';
export { downloadImage, saveResultImages, toImageUrl, toImageUrls } from './node/file-helpers.js';
export type { ImageSource, ImageUrlOptions } from './node/image-source.js';
// Node's Buffer base64: faster and leaner than the portable encoder of the same name.
export { bytesToDataUrl } from './node/data-url.js';
export type { DownloadedImage, DownloadOptions } from './node/download-image.js';
export type { SaveOptions } from './node/save-result-images.js';
