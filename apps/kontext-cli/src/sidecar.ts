import type { KontextInput } from '@anyapi-kontext/core';

/** What we record next to a job's images so a result can be traced and reproduced. */
export interface Sidecar {
  input: string;
  requestId: string;
  seed: number | undefined;
  prompt: string;
  /** The submit body as sent, without the image (a data URL of the input file). */
  options: Omit<KontextInput, 'image_url'>;
  images: { file: string; width?: number; height?: number; contentType: string; nsfwConcepts?: boolean }[];
  baseUrl: string;
  emulator: boolean;
  finishedAt: string;
}

export function formatSidecar(sidecar: Sidecar): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

export function optionsWithoutImage(input: KontextInput): Omit<KontextInput, 'image_url'> {
  const { image_url: _image, ...options } = input;
  return options;
}
