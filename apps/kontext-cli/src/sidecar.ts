import { imageFieldOf, type Model } from './models.js';

/** What we record next to a job's images so a result can be traced and reproduced. */
export interface Sidecar {
  /** The input image, or images joined with " + ", or the prompt of a text-to-image job. */
  input: string;
  /** The model's path, e.g. /fal-ai/flux-pro/kontext. */
  model: string;
  requestId: string;
  seed: number | undefined;
  prompt: string;
  /** The model options in effect: what was sent, over the spec's defaults; the image is left out. */
  options: Record<string, unknown>;
  images: { file: string; width?: number; height?: number; contentType?: string; nsfwConcepts?: boolean }[];
  baseUrl: string;
  emulator: boolean;
  finishedAt: string;
}

export function formatSidecar(sidecar: Sidecar): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

/**
 * The options a job ran with. Fields left out of the request take the spec's defaults on the
 * server, so they are written down too: a sidecar should say what produced the image even
 * after the defaults change.
 */
export function optionsInEffect(model: Model, input: Record<string, unknown>): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(model.properties)
      .filter(([, schema]) => schema.default !== undefined)
      .map(([field, schema]) => [field, schema.default]),
  );
  const imageField = imageFieldOf(model);
  const sent = Object.fromEntries(Object.entries(input).filter(([field]) => field !== imageField));
  return { ...defaults, ...sent };
}
