/**
 * A submit body after validation, with the spec's defaults filled in. Every Kontext model
 * requires `prompt`; a document of another shape may not have one (see promptOf).
 */
export interface KontextJobInput {
  prompt: string;
  image_url?: string;
  image_urls?: string[];
  guidance_scale?: number;
  num_images?: number;
  output_format?: 'jpeg' | 'png';
  safety_tolerance?: string;
  seed?: number;
  aspect_ratio?: string;
  enhance_prompt?: boolean;
  sync_mode?: boolean;
  [field: string]: unknown;
}

/**
 * How a job ends. `failed`: the status turns FAILED (AnyAPI's gateway status).
 * `fail-at-result`: the status says COMPLETED but the result is a 422
 * content_policy_violation, as fal reports a refused edit.
 */
export type JobOutcome = 'ok' | 'failed' | 'fail-at-result';

export type JobState = 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface LogEntry {
  message: string;
  level: 'STDERR' | 'STDOUT' | 'ERROR' | 'INFO' | 'WARN' | 'DEBUG';
  source: string;
  timestamp: string;
}

export interface OutputImage {
  url: string;
  width: number;
  height: number;
  content_type: string;
}

export interface KontextOutput {
  images: OutputImage[];
  seed: number;
  has_nsfw_concepts: boolean[];
  prompt: string;
  timings: Record<string, number>;
  /** AnyAPI echoes the submitted input. */
  request: Record<string, unknown>;
}

/** How a finished job answers its result call (and what its webhook carries). */
export type JobEnding =
  | { kind: 'output'; output: KontextOutput }
  | { kind: 'error'; reason: 'failed' | 'rejected' | 'cancelled' | 'timed-out'; httpStatus: number; body: unknown; headers: Record<string, string> };

/** The prompt, or '' for a model whose input has none: the emulator never assumes a field exists. */
export function promptOf(input: KontextJobInput): string {
  const prompt: unknown = input.prompt;
  return typeof prompt === 'string' ? prompt : '';
}
