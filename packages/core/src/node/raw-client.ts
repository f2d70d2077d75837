import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { InputError } from '../errors.js';
import type { paths } from '../generated/schema.js';
import { createRetryContext } from '../retry-context.js';
import { sendWithRetry, type RetryContext } from '../retry.js';
import type { TransportRequest, TransportResponse } from '../transport/transport.js';
import { swapQueueUrls } from '../urls/host-swap.js';
import { apiKeyMessage, apiKeyProblem } from '../validation/api-key.js';
import { readClientOptions, type KontextClientOptions } from './client-options.js';
import { createFetchTransport } from './fetch-transport.js';
import { nodeSleep } from './sleep.js';

/** The typed openapi-fetch client for raw calls: `raw.GET('/api/usage/token/')`. */
export type RawClient = Client<paths>;

/** The options of createKontextClient: the key and the base URL also from the environment. */
export type RawClientOptions = KontextClientOptions;

/** Adds AnyAPI's bearer auth to every request. The key is checked first and sent trimmed. */
export function bearerAuth(apiKey: string): Middleware {
  const problem = apiKeyProblem(apiKey);
  if (problem) throw new InputError([{ field: 'apiKey', message: apiKeyMessage('apiKey', problem) }]);
  apiKey = apiKey.trim();
  return {
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${apiKey}`);
      return request;
    },
  };
}

/**
 * The typed client for any path of the spec, sent the way the queue lifecycle sends: through
 * the fetch transport (the key added there, and scrubbed from every answer body), with the
 * lifecycle's retries (a submit, a POST, only where the job surely was not taken) and
 * per-attempt time limit, and with the ticket and status URLs moved off fal's host onto
 * `baseUrl`. An error status is openapi-fetch's `{ error }`; a server that cannot be reached
 * is a thrown ConnectionError, as from the lifecycle.
 */
export function createRawClient(options: RawClientOptions = {}): RawClient {
  const { apiKey, baseUrl, fetch, retry, requestTimeout } = readClientOptions(options);
  const context = createRetryContext({
    transport: createFetchTransport({ apiKey, baseUrl, ...(fetch ? { fetch } : {}) }),
    sleep: nodeSleep,
    retry,
    requestTimeout,
  });
  return createClient<paths>({ baseUrl, fetch: async (request) => answer(await send(context, baseUrl, request), baseUrl) });
}

const METHODS: readonly TransportRequest['method'][] = ['GET', 'POST', 'PUT'];
// What the transport sets itself, or what fetch works out from the body.
const OWN_HEADERS = new Set(['authorization', 'content-type', 'content-length']);

async function send(context: RetryContext, baseUrl: string, request: Request): Promise<TransportResponse> {
  const method = METHODS.find((known) => known === request.method.toUpperCase());
  if (!method) throw new InputError([{ field: 'method', message: `method must be one of ${METHODS.join(', ')}, the spec's (got ${request.method})` }]);
  const url = new URL(request.url);
  const path = url.pathname.slice(new URL(baseUrl).pathname.replace(/\/$/, '').length);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (!OWN_HEADERS.has(name.toLowerCase())) headers[name] = value;
  });
  const text = request.body ? await request.text() : '';
  const transportRequest: TransportRequest = {
    method,
    path,
    ...(url.search ? { query: Object.fromEntries(url.searchParams) } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(text ? { body: jsonBody(text) } : {}),
    signal: request.signal,
  };
  // A POST is a submit: sent again only where the job surely was not taken (a 429, a 503, a
  // refused connection). Every other call of the spec may be repeated.
  return sendWithRetry(context, transportRequest, method === 'POST' ? 'submit' : 'idempotent', `${method} ${path}`);
}

function jsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError([{ field: 'body', message: 'body must be JSON: every request body of the spec is (got a body that does not parse)' }]);
  }
}

/** The answer as openapi-fetch reads it, with fal's queue URLs moved onto `baseUrl`. */
function answer(response: TransportResponse, baseUrl: string): Response {
  const body = swapQueueUrls(response.body, baseUrl);
  const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  const noBody = response.status === 204 || response.status === 205 || response.status === 304;
  return new Response(noBody ? null : text, { status: response.status, headers: answerHeaders(response.headers) });
}

function answerHeaders(headers: Record<string, string>): Headers {
  const result = new Headers();
  // The body was decoded and is given again as it reads: its old length and encoding no longer hold.
  for (const [name, value] of Object.entries(headers)) if (name !== 'content-length' && name !== 'content-encoding') result.set(name, value);
  return result;
}
