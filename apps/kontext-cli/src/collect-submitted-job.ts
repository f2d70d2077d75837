import { setTimeout as sleep } from 'node:timers/promises';
import {
  ApiError,
  CancelledError,
  JobFailedError,
  TimeoutError,
  type KontextClient,
  type KontextResult,
  type AnyModelPath,
  type QueueStatus,
} from '@anyapi-kontext/core';

export interface CollectOptions {
  /** The model's path the job was submitted to, listed or not: the job is on its app. */
  endpoint: AnyModelPath;
  signal: AbortSignal;
  timeoutMs: number | undefined;
  onStatus(status: QueueStatus): void;
  pollIntervalMs?: number;
}

/**
 * Waits for a job an earlier run submitted (its request id is in the journal) and returns its
 * result, as `client.run` does for a job it submits itself: a FAILED status or an error result
 * is a JobFailedError; Ctrl-C or the time-out cancels the job on the server.
 */
export async function collectSubmittedJob(client: KontextClient, requestId: string, options: CollectOptions): Promise<KontextResult> {
  const { signal } = options;
  const ref = { requestId, modelPath: options.endpoint };
  const deadline = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const stop = deadline ? AbortSignal.any([signal, deadline]) : signal;
  try {
    for (;;) {
      const status = await client.status(ref, { signal: stop });
      options.onStatus(status);
      if (status.status === 'FAILED') throw new JobFailedError(requestId, 'the queue reported FAILED');
      if (status.status === 'COMPLETED') break;
      await sleep(options.pollIntervalMs ?? 1000, undefined, { signal: stop });
    }
    try {
      return await client.result(ref, { signal: stop });
    } catch (error) {
      // fal reports a failed job as COMPLETED; the failure shows when its result is fetched.
      if (error instanceof ApiError) throw new JobFailedError(requestId, error.message, { cause: error });
      throw error;
    }
  } catch (error) {
    if (!stop.aborted) throw error;
    const outcome = await client.cancel(ref).catch(() => 'FAILED' as const);
    if (deadline?.aborted && !signal.aborted) throw new TimeoutError(requestId, options.timeoutMs!, outcome);
    throw new CancelledError(requestId, outcome === 'CANCELLATION_REQUESTED');
  }
}
