import { defaultEndpoint, submitEndpoints } from '../generated/endpoints.js';
import { InputError } from '../errors/lifecycle-errors.js';
import type { RequestRef, SubmitPath } from '../types.js';
import { assertEndpoint } from '../validation/validate-input.js';

/** Where a job's queue calls go: `/fal-ai/<modelName>/requests/<requestId>...`. */
export interface JobAddress {
  requestId: string;
  modelName: string;
}

const QUEUE_PATH = /\/fal-ai\/([^/]+)\/requests\/([^/?#]+)/;

/** Works out a job's address from a request id, a ticket, or an id with its endpoint. */
export function jobAddress(ref: RequestRef, endpoint: SubmitPath = defaultEndpoint): JobAddress {
  if (typeof ref === 'string') return checked({ requestId: ref, modelName: modelNameOf(endpoint) });
  if ('request_id' in ref) {
    // The ticket's own URLs name the app the job is queued on; trust them over our default.
    const match = QUEUE_PATH.exec(ref.status_url ?? '');
    const modelName = match?.[1] ?? modelNameOf(endpoint);
    return checked({ requestId: ref.request_id, modelName: decodeURIComponent(modelName) });
  }
  return checked({ requestId: ref.requestId, modelName: modelNameOf(ref.endpoint ?? endpoint) });
}

/** Plain JavaScript callers can pass any text: name the field rather than fail on undefined. */
function modelNameOf(endpoint: string): string {
  assertEndpoint(endpoint);
  return submitEndpoints[endpoint].modelName;
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
