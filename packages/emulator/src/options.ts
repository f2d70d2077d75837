import type { FaultTable } from './faults/fault-types.js';
import type { JobOutcome, KontextJobInput } from './jobs/job-types.js';
import type { WebhookRetryPolicy } from './jobs/webhook.js';
import { DEFAULT_MAX_BODY_BYTES } from './http/read-body.js';
import { generatedSpec, type OpenApiDocument } from './spec/openapi-document.js';
import type { ImageInput } from './spec/submit-endpoints.js';

/** Everything `startEmulator` accepts. Every field is optional. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; 127.0.0.1 by default so nothing outside the machine can reach it. */
  host?: string;
  /** The only key accepted as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** How many jobs run at once; the rest wait in the queue. */
  concurrency?: number;
  /** How long one job runs, in milliseconds. Set it to tens of ms in tests. */
  jobDuration?: number;
  /**
   * How long this job runs, in milliseconds; undefined falls back to `jobDuration`. Lets a
   * benchmark give jobs the spread of real ones.
   */
  jobDurationFor?: (input: KontextJobInput) => number | undefined;
  /** Serve `GET .../status/stream`; when false it answers 405 and clients must poll. */
  stream?: boolean;
  /**
   * Running jobs write their progress log lines (the default). False: they write none, like a
   * model that logs nothing, so a client has only the queue's states and timings to go on.
   */
  jobLogs?: boolean;
  /** Interval of the `: ping` keep-alives on the status stream, in milliseconds. */
  streamPingInterval?: number;
  /** Injected failures per route; see README "Fault knobs". */
  faults?: FaultTable;
  /** Where output image URLs point; the emulator's own URL by default. */
  filesBaseUrl?: string;
  /**
   * Decides how a job ends. Return undefined to fall back to the prompt markers
   * (`[fail]`, `[fail-at-result]`).
   */
  jobOutcome?: (input: KontextJobInput) => JobOutcome | undefined;
  /**
   * Makes request ids, default image seeds and `rate` fault rolls reproducible.
   * Without it they are random.
   */
  seed?: number;
  /** The account the usage route reports: quota granted and the cost of one image. */
  quota?: { granted?: number; costPerImage?: number };
  /** How long the input image download may take before it is a file_download_error. */
  downloadTimeout?: number;
  /**
   * The OpenAPI document whose POST operations become submit routes; the generated
   * @anyapi-kontext/openapi spec by default. Tests use it to add endpoints.
   */
  spec?: OpenApiDocument;
  /**
   * How `fal_webhook` deliveries are retried: fal's rule (retry a failed delivery with a growing
   * delay) on a shorter clock. Tests set `baseDelay: 0` to retry at once.
   */
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /**
   * The client's upload speed in Mbit/s: request bodies are read no faster than this, shared by
   * all requests at once, so the cost of sending a large image shows in measurements. Unset or
   * 0: as fast as they come.
   */
  uplink?: number;
  /** The largest request body accepted, in bytes; a larger one is a 413. 64 MiB by default. */
  maxBodyBytes?: number;
  /**
   * Model paths the spec does not list, each served as a generic image model: any JSON object is
   * accepted, its images loaded from `image_url` (`single`) or `image_urls` (`multiple`), or
   * drawn from its prompt (`none`); its jobs run on the app of the path's first two segments.
   * E.g. `{ '/fal-ai/nano-banana/edit': 'multiple' }`, to test a client's "any model by path".
   */
  extraModels?: Record<string, ImageInput>;
}

/** What `configure()` may change on a running emulator (everything but the socket). */
export type ConfigurableOptions = Omit<EmulatorOptions, 'port' | 'host' | 'seed' | 'spec' | 'extraModels'>;

export interface ResolvedOptions {
  port: number;
  host: string;
  apiKey: string;
  concurrency: number;
  jobDuration: number;
  jobDurationFor: ((input: KontextJobInput) => number | undefined) | undefined;
  stream: boolean;
  jobLogs: boolean;
  streamPingInterval: number;
  faults: FaultTable;
  filesBaseUrl: string | undefined;
  jobOutcome: ((input: KontextJobInput) => JobOutcome | undefined) | undefined;
  seed: number | undefined;
  quota: { granted: number; costPerImage: number };
  downloadTimeout: number;
  spec: OpenApiDocument;
  webhookRetry: WebhookRetryPolicy;
  uplink: number | undefined;
  maxBodyBytes: number;
  extraModels: Record<string, ImageInput>;
}

export const DEFAULT_API_KEY = 'emulator-key';
export const DEFAULT_CLI_PORT = 8787;

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    concurrency: positiveInteger('concurrency', options.concurrency ?? 2),
    jobDuration: nonNegative('jobDuration', options.jobDuration ?? 1500),
    jobDurationFor: options.jobDurationFor,
    stream: options.stream ?? true,
    jobLogs: options.jobLogs ?? true,
    streamPingInterval: positiveInteger('streamPingInterval', options.streamPingInterval ?? 1000),
    faults: options.faults ?? {},
    filesBaseUrl: options.filesBaseUrl,
    jobOutcome: options.jobOutcome,
    seed: options.seed,
    quota: {
      // One-API style quota units: 500000 per US dollar, so 20000 is about $0.04 an image.
      granted: options.quota?.granted ?? 5_000_000,
      costPerImage: options.quota?.costPerImage ?? 20_000,
    },
    downloadTimeout: positiveInteger('downloadTimeout', options.downloadTimeout ?? 15_000),
    spec: options.spec ?? generatedSpec,
    webhookRetry: resolveWebhookRetry(options.webhookRetry),
    uplink: uplinkRate(options.uplink),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    extraModels: options.extraModels ?? {},
  };
}

function resolveWebhookRetry(policy: Partial<WebhookRetryPolicy> = {}): WebhookRetryPolicy {
  return {
    // fal: about ten retries over two hours; here the same count over about 43 s (0.1 s doubling to 10 s).
    retries: nonNegativeInteger('webhookRetry.retries', policy.retries ?? 10),
    baseDelay: nonNegative('webhookRetry.baseDelay', policy.baseDelay ?? 100),
    maxDelay: nonNegative('webhookRetry.maxDelay', policy.maxDelay ?? 10_000),
    timeout: positiveInteger('webhookRetry.timeout', policy.timeout ?? 15_000),
  };
}

/**
 * Applies `configure()` changes in place so every service holding the object sees them.
 * Faults are not here: the fault injector owns them (it keeps the `times` left).
 */
export function applyConfiguration(target: ResolvedOptions, changes: ConfigurableOptions): void {
  if (changes.apiKey !== undefined) target.apiKey = changes.apiKey;
  if (changes.concurrency !== undefined) target.concurrency = positiveInteger('concurrency', changes.concurrency);
  if (changes.jobDuration !== undefined) target.jobDuration = nonNegative('jobDuration', changes.jobDuration);
  if ('jobDurationFor' in changes) target.jobDurationFor = changes.jobDurationFor;
  if (changes.stream !== undefined) target.stream = changes.stream;
  if (changes.jobLogs !== undefined) target.jobLogs = changes.jobLogs;
  if (changes.streamPingInterval !== undefined) {
    target.streamPingInterval = positiveInteger('streamPingInterval', changes.streamPingInterval);
  }
  if ('filesBaseUrl' in changes) target.filesBaseUrl = changes.filesBaseUrl;
  if ('jobOutcome' in changes) target.jobOutcome = changes.jobOutcome;
  if (changes.quota?.granted !== undefined) target.quota.granted = changes.quota.granted;
  if (changes.quota?.costPerImage !== undefined) target.quota.costPerImage = changes.quota.costPerImage;
  if (changes.webhookRetry !== undefined) target.webhookRetry = resolveWebhookRetry({ ...target.webhookRetry, ...changes.webhookRetry });
  if (changes.downloadTimeout !== undefined) {
    target.downloadTimeout = positiveInteger('downloadTimeout', changes.downloadTimeout);
  }
  if ('uplink' in changes) target.uplink = uplinkRate(changes.uplink);
  if (changes.maxBodyBytes !== undefined) target.maxBodyBytes = positiveInteger('maxBodyBytes', changes.maxBodyBytes);
}

/** Mbit/s, or undefined for no limit (0 means none too). */
function uplinkRate(value: number | undefined): number | undefined {
  if (value === undefined || value === 0) return undefined;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`uplink must be a number of Mbit/s above 0, got ${value}`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number, 0 or more, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be 0 or more, got ${value}`);
  return value;
}
