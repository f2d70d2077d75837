// Every error this package throws: one hierarchy under KontextError. What was refused before
// sending (InputError), what the server answered (ApiError, one subclass per status, built by
// errorFromResponse), and how a job or a call ended (connection, time-out, abort, failure).

/** The base of every error this package throws. */
export class KontextError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One field's problem, from our own validation or from fal's `detail[]`. */
export interface FieldError {
  /** The field's name, e.g. `guidance_scale`; nested places are joined with dots. */
  field: string;
  message: string;
  /** fal's error type where the server gave one, e.g. `content_policy_violation`. */
  type?: string;
}

/** The input was refused before anything was sent. */
export class InputError extends KontextError {
  readonly fieldErrors: FieldError[];

  constructor(fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => e.message).join('; '));
    this.fieldErrors = fieldErrors;
  }
}

/**
 * What became of the cancel a run sends when it ends early. `PENDING`: it was sent but had not
 * been answered within the short grace a run waits for it (it goes on in the background, bounded);
 * `FAILED`: the server could not be reached or refused it.
 */
export type JobCancelOutcome = 'CANCELLATION_REQUESTED' | 'ALREADY_COMPLETED' | 'PENDING' | 'FAILED';

const CANCEL_WORDS: Record<JobCancelOutcome, string> = {
  CANCELLATION_REQUESTED: 'it was cancelled on the server',
  ALREADY_COMPLETED: 'it had already completed, too late to cancel',
  PENDING: 'a cancel was sent to the server but not confirmed yet (it goes on in the background)',
  FAILED: 'cancelling it on the server failed',
};

/** The words for a cancel outcome, e.g. "it was cancelled on the server". */
export function describeCancelOutcome(outcome: JobCancelOutcome): string {
  return CANCEL_WORDS[outcome];
}

/** The server could not be reached, or the connection broke. */
export class ConnectionError extends KontextError {
  /**
   * True when a submit broke after it was sent: the job may exist on the server, so it was
   * not sent again (that could start the job twice).
   */
  readonly mayHaveBeenAccepted: boolean;
  /** The job the call was about, when there was one. */
  requestId: string | undefined;
  /** How many times the request was tried (1 when it was not retried). */
  readonly attempts: number;

  constructor(
    message: string,
    options: { cause?: unknown; mayHaveBeenAccepted?: boolean; requestId?: string; attempts?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.mayHaveBeenAccepted = options.mayHaveBeenAccepted ?? false;
    this.requestId = options.requestId;
    this.attempts = options.attempts ?? 1;
  }
}

/** The job did not finish within `timeout`; a cancel was sent to the server. */
export class TimeoutError extends KontextError {
  /** True when the server took the cancel; false when it had already ended, or the cancel failed or is unconfirmed. */
  readonly cancelled: boolean;

  constructor(
    readonly requestId: string,
    readonly timeoutMs: number,
    readonly cancelOutcome: JobCancelOutcome,
  ) {
    super(`Job ${requestId} did not finish within ${timeoutMs} ms; ${CANCEL_WORDS[cancelOutcome]}.`);
    this.cancelled = cancelOutcome === 'CANCELLATION_REQUESTED';
  }
}

/**
 * A `signal` aborted the call. For `run`, once the job was queued, a cancel was sent to the
 * server: `cancelOutcome` says how that went. For the other calls nothing was changed.
 */
export class CancelledError extends KontextError {
  /** What became of the job's cancel; undefined when none was sent (no job yet, or not a `run`). */
  readonly cancelOutcome: JobCancelOutcome | undefined;

  constructor(
    readonly requestId: string | undefined,
    readonly cancelled: boolean,
    options: { cancelOutcome?: JobCancelOutcome; message?: string } = {},
  ) {
    super(
      options.message ??
        (requestId === undefined
          ? 'Aborted before the job was submitted.'
          : options.cancelOutcome
            ? `Aborted; job ${requestId}: ${CANCEL_WORDS[options.cancelOutcome]}.`
            : `Aborted; job ${requestId} ${cancelled ? 'was cancelled on the server' : 'could not be cancelled on the server'}.`),
    );
    this.cancelOutcome = options.cancelOutcome;
  }
}

/** The job ended without a result: FAILED status, or the model's own error when its result was fetched. */
export class JobFailedError extends KontextError {
  constructor(
    readonly requestId: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Job ${requestId} failed: ${reason}`, options);
  }
}

/**
 * A `run` stopped for a reason that is neither the job's nor the server's: an `onSubmit` or
 * `onUpdate` callback threw (`source` names it), or something unexpected broke (`internal`).
 * `cause` is what was thrown; a cancel was sent for the job, and `cancelOutcome` says how it went.
 */
export class RunInterruptedError extends KontextError {
  readonly cancelled: boolean;

  constructor(
    readonly requestId: string,
    readonly source: 'onSubmit' | 'onUpdate' | 'internal',
    readonly cancelOutcome: JobCancelOutcome,
    cause: unknown,
  ) {
    const what = source === 'internal' ? 'the run broke on an unexpected error' : `the ${source} callback threw`;
    super(`Job ${requestId}: ${what} (${messageOf(cause)}); ${CANCEL_WORDS[cancelOutcome]}.`, { cause });
    this.cancelled = cancelOutcome === 'CANCELLATION_REQUESTED';
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return typeof error;
  }
}

interface ApiErrorInit {
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

/** fal's `detail[]` (FastAPI's validation shape) as field errors; empty for any other body. */
function fieldErrorsOf(body: unknown): FieldError[] {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (!Array.isArray(detail)) return [];
  return detail.map((issue: { loc?: unknown; msg?: unknown; type?: unknown }) => {
    const loc = Array.isArray(issue.loc) ? issue.loc.filter((part) => part !== 'body') : [];
    const field = loc.length > 0 ? loc.join('.') : 'input';
    return {
      field,
      message: `${field}: ${String(issue.msg ?? 'invalid')}`,
      ...(typeof issue.type === 'string' ? { type: issue.type } : {}),
    };
  });
}

/** What the server said about the error in one line, whatever shape its body took. */
function detailTextOf(body: unknown, fieldErrors: readonly FieldError[]): string | undefined {
  if (fieldErrors.length > 0) return fieldErrors.map((e) => (e.type ? `${e.message} (${e.type})` : e.message)).join('; ');
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  const detail = (body as { detail?: unknown; message?: unknown; error?: unknown } | null) ?? {};
  const text = detail.detail ?? detail.message ?? detail.error;
  return typeof text === 'string' ? text : undefined;
}

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
