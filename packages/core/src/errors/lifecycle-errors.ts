import { KontextError, type FieldError } from './kontext-error.js';

/** The input was refused before anything was sent. */
export class InputError extends KontextError {
  readonly fieldErrors: FieldError[];

  constructor(fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => e.message).join('; '));
    this.fieldErrors = fieldErrors;
  }
}

/** The server could not be reached, or the connection broke. */
export class ConnectionError extends KontextError {
  /**
   * True when a submit broke after it was sent: the job may exist on the server, so it was
   * not sent again (that could start the job twice).
   */
  readonly mayHaveBeenAccepted: boolean;

  constructor(message: string, options: { cause?: unknown; mayHaveBeenAccepted?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.mayHaveBeenAccepted = options.mayHaveBeenAccepted ?? false;
  }
}

/** The job did not finish within `timeout`; it was cancelled on the server. */
export class TimeoutError extends KontextError {
  /** True when the server took the cancel; false when the job had already ended or the cancel failed. */
  readonly cancelled: boolean;

  constructor(
    readonly requestId: string,
    readonly timeoutMs: number,
    readonly cancelOutcome: 'CANCELLATION_REQUESTED' | 'ALREADY_COMPLETED' | 'FAILED',
  ) {
    super(`Job ${requestId} did not finish within ${timeoutMs} ms; ${CANCEL_WORDS[cancelOutcome]}.`);
    this.cancelled = cancelOutcome === 'CANCELLATION_REQUESTED';
  }
}

const CANCEL_WORDS = {
  CANCELLATION_REQUESTED: 'it was cancelled on the server',
  ALREADY_COMPLETED: 'it had just completed, too late to cancel',
  FAILED: 'cancelling it on the server failed',
} as const;

/** The caller's signal aborted the wait; the job was cancelled on the server. */
export class CancelledError extends KontextError {
  constructor(
    readonly requestId: string | undefined,
    readonly cancelled: boolean,
  ) {
    super(
      requestId === undefined
        ? 'Aborted before the job was submitted.'
        : `Aborted; job ${requestId} ${cancelled ? 'was cancelled on the server' : 'could not be cancelled on the server'}.`,
    );
  }
}

/** The job ended without a result: FAILED status, or an error when its result was fetched. */
export class JobFailedError extends KontextError {
  constructor(
    readonly requestId: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Job ${requestId} failed: ${reason}`, options);
  }
}
