// The queue calls' requests and answers, typed from the spec's generated `paths`: every path is
// one of its keys, the path parameters and the query are the operation's own, and an answer is
// checked to be the JSON the operation declares before it is read. A spec change these calls
// do not follow (a path, a parameter, an answer's shape) fails to compile here.
import type { paths } from '../generated/schema.js';
import type { TransportRequest } from '../transport/transport.js';
import type { CancelOutcome } from '../types.js';
import { isOptionsObject } from '../validation/check-arguments.js';

type Method = 'get' | 'post' | 'put';
const HTTP_METHOD = { get: 'GET', post: 'POST', put: 'PUT' } as const satisfies Record<Method, TransportRequest['method']>;

/** The methods the spec has on path `P`. */
type MethodOf<P extends keyof paths> = { [M in Method]: paths[P][M] extends undefined ? never : M }[Method];

/** The spec's operation `M` on path `P`. */
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

/** The path parameters the spec declares for an operation. */
export type PathParameters<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { path: infer T } } ? T : Record<string, never>;

/** The query the spec declares for an operation. */
export type Query<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The JSON body an operation answers with the status `S`. */
export type JsonAnswer<P extends keyof paths, M extends Method, S extends number> =
  Operation<P, M> extends { responses: infer R }
    ? S extends keyof R
      ? R[S] extends { content: { 'application/json': infer B } }
        ? B
        : never
      : never
    : never;

/** The names in a path template's braces: `/{owner}/{alias}` gives `owner | alias`. */
type Placeholder<T> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholder<Rest> : never;

/** A job's paths, each `/{owner}/{alias}/requests/{request_id}` and what follows it. */
export const JOB_PATHS = {
  result: '/{owner}/{alias}/requests/{request_id}',
  status: '/{owner}/{alias}/requests/{request_id}/status',
  statusStream: '/{owner}/{alias}/requests/{request_id}/status/stream',
  cancel: '/{owner}/{alias}/requests/{request_id}/cancel',
} as const satisfies Record<string, keyof paths>;

export const USAGE_PATH = '/api/usage/token/' satisfies keyof paths;

/** What a job's paths take, as the spec names it: the same for every one of them. */
export type JobParameters = PathParameters<(typeof JOB_PATHS)[keyof typeof JOB_PATHS], 'get' | 'put'>;

/** The spec's path `template` with its placeholders filled from `parameters`, each encoded as one segment. */
export function specPath<P extends keyof paths>(template: P, parameters: Record<Placeholder<P>, string>): string {
  let path: string = template;
  for (const [name, value] of Object.entries<string>(parameters)) path = path.replace(`{${name}}`, encodeURIComponent(value));
  return path;
}

/**
 * The request for the spec's operation `method` on `template`: its path filled in (specPath)
 * and its query as the spec types it.
 */
export function specRequest<P extends keyof paths, M extends MethodOf<P>>(
  method: M,
  template: P,
  parameters: Record<Placeholder<P>, string>,
  options: { query?: Query<P, M> | undefined; body?: unknown; signal?: AbortSignal | undefined; echoes?: readonly string[] | undefined } = {},
): TransportRequest {
  const path = specPath(template, parameters);
  const query = options.query ? queryText(options.query) : undefined;
  return {
    method: HTTP_METHOD[method],
    path,
    ...(query ? { query } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.echoes?.length ? { echoes: options.echoes } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

type SubmitPaths = { [P in keyof paths]: paths[P] extends { post: { requestBody: unknown } } ? P : never }[keyof paths];

/**
 * The submit to a model path the spec does not list (`submitAny`): fal's queue takes every
 * model's submit the same way, so its query is the spec's submit query; the body is the
 * caller's. Each segment is encoded, though the path was checked to need none.
 */
export function modelPathSubmit(
  path: string,
  body: unknown,
  query: Query<SubmitPaths, 'post'> | undefined,
): TransportRequest {
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return {
    method: HTTP_METHOD.post,
    path: encoded,
    body,
    ...(query ? { query: queryText(query) } : {}),
  };
}

/** A typed query as the transport sends it: each value as text. */
function queryText(query: object): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, String(value)]));
}

// The answers. Each check reads what the calls rely on (the fields the spec requires); the
// type it proves is the operation's own, so the calls read answers as the spec types them.

type Ticket = JsonAnswer<SubmitPaths, 'post', 200>;
type StatusAnswer = JsonAnswer<typeof JOB_PATHS.status, 'get', 200 | 202>;
type ResultAnswer = JsonAnswer<typeof JOB_PATHS.result, 'get', 200>;
type CancelAnswer = JsonAnswer<typeof JOB_PATHS.cancel, 'put', 202 | 400>;
type UsageAnswer = JsonAnswer<typeof USAGE_PATH, 'get', 200>;

/**
 * A submit's answer with its request id. Its URLs are not required here: the submit falls back
 * to the paths of the endpoint's app when a relay leaves them out.
 */
export function isTicket(body: unknown): body is Partial<Ticket> & Pick<Ticket, 'request_id'> {
  return isOptionsObject(body) && typeof body.request_id === 'string';
}

const QUEUE_STATES = { IN_QUEUE: true, IN_PROGRESS: true, COMPLETED: true, FAILED: true } as const satisfies Record<
  StatusAnswer['status'],
  true
>;

/** A status answer (or status stream event) in one of the spec's states. */
export function isQueueStatus(body: unknown): body is StatusAnswer {
  return isOptionsObject(body) && typeof body.status === 'string' && body.status in QUEUE_STATES;
}

export function isResult(body: unknown): body is ResultAnswer {
  return isOptionsObject(body) && Array.isArray(body.images);
}

/** A cancel answer saying `outcome`, as the spec types both of them. */
export function isCancelAnswer<O extends CancelOutcome>(body: unknown, outcome: O): body is Extract<CancelAnswer, { status: O }> {
  return isOptionsObject(body) && body.status === outcome;
}

export function isUsage(body: unknown): body is UsageAnswer {
  return isOptionsObject(body) && body.code === true && isOptionsObject(body.data);
}
