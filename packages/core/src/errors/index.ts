export { KontextError, type FieldError } from './kontext-error.js';
export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  UnprocessableEntityError,
} from './api-error.js';
export { errorFromResponse } from './error-from-response.js';
export {
  CancelledError,
  ConnectionError,
  describeCancelOutcome,
  InputError,
  JobFailedError,
  RunInterruptedError,
  TimeoutError,
  type JobCancelOutcome,
} from './lifecycle-errors.js';
