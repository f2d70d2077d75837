import { defaultEndpoint, submitEndpoints } from '../generated/endpoints.js';
import { InputError } from '../errors/lifecycle-errors.js';
import type { RequestRef, SubmitPath } from '../types.js';

/** Where a job's queue calls go: `/fal-ai/<modelName>/requests/<requestId>...`. */
export interface JobAddress {
  requestId: string;
  modelName: string;
}

const QUEUE_PATH = /\/fal-ai\/([^/]+)\/requests\/([^/?#]+)/;

/** Works out a job's address from a request id, a ticket, or an id with its endpoint. */
export function jobAddress(ref: RequestRef, endpoint: SubmitPath = defaultEndpoint): JobAddress {
  if (typeof ref === 'string') return checked({ requestId: ref, modelName: submitEndpoints[endpoint].modelName });
  if ('request_id' in ref) {
    // The ticket's own URLs name the app the job is queued on; trust them over our default.
    const match = QUEUE_PATH.exec(ref.status_url ?? '');
    const modelName = match?.[1] ?? submitEndpoints[endpoint].modelName;
    return checked({ requestId: ref.request_id, modelName: decodeURIComponent(modelName) });
  }
  return checked({ requestId: ref.requestId, modelName: submitEndpoints[ref.endpoint ?? endpoint].modelName });
}

function checked(address: JobAddress): JobAddress {
  if (typeof address.requestId !== 'string' || address.requestId.trim() === '') {
    throw new InputError([{ field: 'requestId', message: 'requestId must be the request id a submit returned (got nothing)' }]);
  }
  return address;
}

export function queuePath(address: JobAddress, suffix: '' | '/status' | '/status/stream' | '/cancel'): string {
  return `/fal-ai/${encodeURIComponent(address.modelName)}/requests/${encodeURIComponent(address.requestId)}${suffix}`;
}
