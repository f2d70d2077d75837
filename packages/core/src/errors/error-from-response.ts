import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  UnprocessableEntityError,
  type ApiErrorInit,
} from './api-error.js';
import { detailTextOf, fieldErrorsOf } from './error-body.js';

type ApiErrorClass = new (init: ApiErrorInit) => ApiError;

const CLASS_BY_STATUS: Record<number, ApiErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

const SUMMARY_BY_STATUS: Record<number, string> = {
  400: 'the request was refused',
  401: 'the API key was refused',
  403: 'the API key may not do this',
  404: 'not found',
  422: 'the input was refused',
  429: 'too many requests',
};

/** Builds the ApiError subclass that fits `status`, with a message a person can act on. */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  action: string,
): ApiError {
  const ErrorClass = CLASS_BY_STATUS[status] ?? (status >= 500 ? ServerError : ApiError);
  const fieldErrors = fieldErrorsOf(body);
  const summary = SUMMARY_BY_STATUS[status] ?? (status >= 500 ? 'the server failed' : 'unexpected answer');
  const detail = detailTextOf(body, fieldErrors);
  const requestId = headers['x-fal-request-id'] ?? (body as { request_id?: string } | null)?.request_id;
  return new ErrorClass({
    status,
    body,
    headers,
    fieldErrors,
    ...(requestId ? { requestId } : {}),
    message: `${action} failed with ${status}: ${summary}${detail ? ` (${detail})` : ''}`,
  });
}
