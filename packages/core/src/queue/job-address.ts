import { defaultEndpoint, submitEndpoints } from '../generated/endpoints.js';
import { InputError } from '../errors/lifecycle-errors.js';
import type { RequestRef, SubmitPath } from '../types.js';
import { assertEndpoint } from '../validation/validate-input.js';

/** Where a job's queue calls go: `/<owner>/<alias>/requests/<requestId>...`, e.g. `/fal-ai/flux-pro/requests/<id>`. */
export interface JobAddress {
  requestId: string;
  /** fal's owner/alias pair, e.g. `fal-ai/flux-pro`. */
  app: string;
}

// A ticket's URL names the app the job is queued on: `.../<owner>/<alias>/requests/<id>[/status|/cancel]`.
const TICKET_URL = /\/([^/?#]+)\/([^/?#]+)\/requests\/[^/?#]+(?:\/status|\/cancel)?\/?(?:[?#]|$)/;

/** Works out a job's address from a request id, a ticket, or an id with its endpoint. */
export function jobAddress(ref: RequestRef, endpoint: SubmitPath = defaultEndpoint): JobAddress {
  if (typeof ref === 'string') return checked({ requestId: ref, app: appOf(endpoint) });
  if ('request_id' in ref) {
    // The ticket's own URLs name the app the job is queued on; trust them over our default.
    const match = TICKET_URL.exec(ref.status_url ?? '') ?? TICKET_URL.exec(ref.response_url ?? '');
    const app = match ? `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}` : appOf(endpoint);
    return checked({ requestId: ref.request_id, app });
  }
  return checked({ requestId: ref.requestId, app: appOf(ref.endpoint ?? endpoint) });
}

/** Plain JavaScript callers can pass any text: name the field rather than fail on undefined. */
function appOf(endpoint: string): string {
  assertEndpoint(endpoint);
  return submitEndpoints[endpoint].app;
}

function checked(address: JobAddress): JobAddress {
  if (typeof address.requestId !== 'string' || address.requestId.trim() === '') {
    throw new InputError([{ field: 'requestId', message: 'requestId must be the request id a submit returned (got nothing)' }]);
  }
  return address;
}

export function queuePath(address: JobAddress, suffix: '' | '/status' | '/status/stream' | '/cancel'): string {
  const app = address.app.split('/').map(encodeURIComponent).join('/');
  return `/${app}/requests/${encodeURIComponent(address.requestId)}${suffix}`;
}
