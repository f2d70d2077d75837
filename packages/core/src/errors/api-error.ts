import { detailTextOf, fieldErrorsOf } from './error-body.js';
import { KontextError, type FieldError } from './kontext-error.js';

export interface ApiErrorInit {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  message: string;
  requestId?: string;
  /** Read from `body` when left out. */
  fieldErrors?: FieldError[];
}

/** The server answered with an error status. Subclasses follow the status code. */
export class ApiError extends KontextError {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  /** The job the call was about: from `x-fal-request-id`, else filled in by the call that knew it. */
  requestId: string | undefined;
  /** fal's error type, from `x-fal-error-type` or the first `detail[]` entry. */
  readonly errorType: string | undefined;
  /** fal's `detail[]` as field errors; empty when the body had a text detail. */
  readonly fieldErrors: FieldError[];
  /** What the server said, in one line (its text detail, or the field errors), if anything. */
  readonly detail: string | undefined;
  /** The server's own word on whether trying again may help (`X-Fal-Retryable`). */
  readonly retryable: boolean | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    this.requestId = init.requestId;
    this.fieldErrors = init.fieldErrors ?? fieldErrorsOf(init.body);
    this.detail = detailTextOf(init.body, this.fieldErrors);
    this.errorType = init.headers['x-fal-error-type'] ?? this.fieldErrors[0]?.type;
    const retryable = init.headers['x-fal-retryable'];
    this.retryable = retryable === undefined ? undefined : retryable === 'true';
  }
}

export class BadRequestError extends ApiError {}
export class AuthenticationError extends ApiError {}
export class PermissionDeniedError extends ApiError {}
export class NotFoundError extends ApiError {}
export class UnprocessableEntityError extends ApiError {}
export class RateLimitError extends ApiError {}
export class ServerError extends ApiError {}
