import { defaultEndpoint, submitEndpoints } from '../generated/endpoints.js';
import { InputError } from '../errors.js';
import type { AnyModelPath, QueueTicket, RequestRef, SubmitPath } from '../types.js';
import { argumentProblem, isOptionsObject } from '../validation/check-arguments.js';
import { appOfPath, assertEndpoint, isModelPath, modelPathRule } from '../validation/endpoint.js';
import type { JobParameters } from './spec-requests.js';

/** Where a job's queue calls go: `/<owner>/<alias>/requests/<requestId>...`, e.g. `/fal-ai/flux-pro/requests/<id>`. */
export interface JobAddress {
  requestId: string;
  /** fal's owner/alias pair, e.g. `fal-ai/flux-pro`. */
  app: string;
}

// A ticket's URL names the app the job is queued on: `.../<owner>/<alias>/requests/<id>[/status|/cancel]`.
const TICKET_URL = /\/([^/?#]+)\/([^/?#]+)\/requests\/[^/?#]+(?:\/status|\/cancel)?\/?(?:[?#]|$)/;

/** The app a ticket URL names, if it names one. */
function appInUrl(url: unknown): string | undefined {
  const match = typeof url === 'string' ? TICKET_URL.exec(url) : null;
  return match?.[1] && match[2] ? `${safeDecode(match[1])}/${safeDecode(match[2])}` : undefined;
}

/** A request id as fal hands them out (a UUID); anything with spaces, slashes or control characters is not one. */
const REQUEST_ID = /^[^\s\p{Cc}/?#\\%]{1,256}$/u;
const REQUEST_ID_ALLOWED = 'the request id a submit returned (1 to 256 characters, no spaces, slashes or control characters)';
const REF_ALLOWED = 'a request id, the ticket submit returned, { requestId, endpoint } or { requestId, modelPath }';

/**
 * Works out a job's address from a request id, a ticket, or an id with its endpoint. Anything
 * else (plain JavaScript can pass anything) is an InputError naming what is allowed.
 */
export function jobAddress(ref: RequestRef, endpoint: SubmitPath = defaultEndpoint): JobAddress {
  if (typeof ref === 'string') return { requestId: checkedId('requestId', ref), app: appOf(endpoint) };
  if (!isOptionsObject(ref)) throw refProblem(ref);
  const record: Record<string, unknown> = ref;
  const requestIdOf = (key: string) => {
    try {
      return record[key];
    } catch {
      throw refProblem(ref);
    }
  };
  const ticketId = requestIdOf('request_id');
  if (ticketId !== undefined) {
    const requestId = checkedId('request_id', ticketId);
    // The ticket's own URLs name the app the job is queued on; trust them over our default.
    return { requestId, app: appInUrl(requestIdOf('status_url')) ?? appInUrl(requestIdOf('response_url')) ?? appOf(endpoint) };
  }
  const requestId = requestIdOf('requestId');
  if (requestId === undefined) throw refProblem(ref);
  const modelPath = requestIdOf('modelPath');
  if (modelPath !== undefined) {
    // A job of submitAny/runAny: on the app of its model path, listed or not.
    if (!isModelPath(modelPath)) {
      throw new InputError([argumentProblem('modelPath', modelPathRule.allowed, modelPath)]);
    }
    if (requestIdOf('endpoint') !== undefined) {
      throw new InputError([{ field: 'modelPath', message: 'modelPath and endpoint name the same thing: give one of them' }]);
    }
    return { requestId: checkedId('requestId', requestId), app: appOfPath(modelPath) };
  }
  const refEndpoint = requestIdOf('endpoint');
  return { requestId: checkedId('requestId', requestId), app: appOf(refEndpoint ?? endpoint) };
}

/**
 * The address of a job from the ticket the server just gave: trusted as it is (its id was
 * checked to be a text), so a surprising id from the server is not blamed on the caller.
 */
export function ticketAddress(ticket: QueueTicket, endpoint: SubmitPath | AnyModelPath): JobAddress {
  return {
    requestId: ticket.request_id,
    app: appInUrl(ticket.status_url) ?? appInUrl(ticket.response_url) ?? appOfPath(endpoint),
  };
}

function refProblem(ref: unknown): InputError {
  return new InputError([argumentProblem('ref', REF_ALLOWED, ref)]);
}

function checkedId(field: string, value: unknown): string {
  if (typeof value === 'string' && REQUEST_ID.test(value)) return value;
  throw new InputError([argumentProblem(field, REQUEST_ID_ALLOWED, value)]);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Plain JavaScript callers can pass any text: name the field rather than fail on undefined. */
function appOf(endpoint: unknown): string {
  assertEndpoint(endpoint);
  return submitEndpoints[endpoint].app;
}

/** The job's path parameters, as the spec's job paths name them. */
export function jobParameters(address: JobAddress): JobParameters {
  const slash = address.app.indexOf('/');
  return { owner: address.app.slice(0, slash), alias: address.app.slice(slash + 1), request_id: address.requestId };
}
