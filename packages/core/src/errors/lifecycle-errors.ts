import { KontextError, type FieldError } from './kontext-error.js';

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
