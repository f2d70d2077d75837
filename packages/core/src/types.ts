import type { components, paths } from './generated/schema.js';
import type { defaultEndpoint, submitEndpoints } from './generated/endpoints.js';

type Schemas = components['schemas'];

/** The spec's types, for typing your own openapi-fetch (or other) client: `createClient<paths>()`. */
export type { components, operations, paths } from './generated/schema.js';

/** A path AnyAPI accepts submits on, e.g. `/fal-ai/flux-pro/kontext`. */
export type SubmitPath = keyof typeof submitEndpoints;

/**
 * Any fal-queue model path AnyAPI relays, `/owner/app[/sub...]`, listed in the spec or not: what
 * `submitAny` and `runAny` take (an unlisted model's input is not checked against a schema).
 */
export type AnyModelPath = `/${string}/${string}`;

/** The body a submit to `P` takes, typed from the spec. */
export type InputFor<P extends SubmitPath> = paths[P] extends {
  post: { requestBody: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

/** The body of a submit to the default endpoint, FLUX.1 Kontext [pro]. */
export type KontextInput = InputFor<typeof defaultEndpoint>;
export type KontextOutput = Schemas['KontextOutput'];
export type OutputImage = Schemas['OutputImage'];
export type QueueTicket = Schemas['QueueTicket'];
export type QueueStatus = Schemas['QueueStatus'];
export type QueueState = QueueStatus['status'];
export type LogEntry = Schemas['LogEntry'];
export type TokenUsage = Schemas['TokenUsage'];
export type ValidationIssue = Schemas['ValidationIssue'];
export type CancelOutcome = Schemas['CancelAccepted']['status'] | Schemas['CancelRefused']['status'];

/** What `run` resolves to. */
export interface KontextResult {
  requestId: string;
  data: KontextOutput;
}

/**
 * Which job a call is about: its request id, the ticket from `submit`, an id with its endpoint,
 * or an id with the model path `submitAny`/`runAny` took (the job is on that path's app).
 */
export type RequestRef = string | QueueTicket | { requestId: string; endpoint?: SubmitPath } | { requestId: string; modelPath: AnyModelPath };

/** What `onUpdate` receives while a job is waited for. */
export interface QueueUpdate {
  requestId: string;
  status: QueueState;
  /** Jobs ahead of this one, counting from 0; only while IN_QUEUE. */
  queuePosition?: number;
  logs: LogEntry[];
}
