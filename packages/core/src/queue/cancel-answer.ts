import { errorFromResponse } from '../errors/error-from-response.js';
import { NotFoundError } from '../errors/api-error.js';
import type { TransportResponse } from '../transport/transport.js';
import type { CancelOutcome } from '../types.js';

/**
 * Reads the answer to `PUT .../requests/{id}/cancel`. fal documents three, each `{status}`:
 * - 202 `CANCELLATION_REQUESTED`: a queued job was taken out of the queue, or a running one
 *   was told to stop (the model decides how; it may still finish);
 * - 400 `ALREADY_COMPLETED`: the job had ended, nothing was changed;
 * - 404 `NOT_FOUND`: the queue has no such job under this app, an error that says so (the id
 *   is wrong, or the job was submitted with another key or to another app, or has expired),
 *   not a bare "not found".
 * Any other answer is the error its status calls for.
 */
export function cancelOutcomeOf(response: TransportResponse, action: string, requestId: string): CancelOutcome {
  const outcome = (response.body as { status?: unknown } | undefined)?.status;
  const isSuccess = response.status >= 200 && response.status < 300;
  if (response.status === 202 || (isSuccess && outcome === 'CANCELLATION_REQUESTED')) return 'CANCELLATION_REQUESTED';
  if (response.status === 400 && outcome === 'ALREADY_COMPLETED') return 'ALREADY_COMPLETED';
  if (response.status === 404) {
    throw new NotFoundError({
      status: 404,
      body: response.body,
      headers: response.headers,
      requestId,
      message:
        `${action} failed with 404: the server has no job ${requestId} to cancel (NOT_FOUND). ` +
        'Check the request id, and that the job was submitted with this API key to this model; finished jobs also expire.',
    });
  }
  throw errorFromResponse(response.status, response.body, response.headers, action);
}
