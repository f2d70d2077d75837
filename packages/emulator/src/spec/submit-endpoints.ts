import type { OpenApiDocument } from './openapi-document.js';

/** How a model takes images: none (text to image), one (`image_url`) or several (`image_urls`). */
export type ImageInput = 'none' | 'single' | 'multiple';

/** One entry of the spec's endpoint list (`x-submit-endpoints`), as `pnpm generate` wrote it. */
export interface SubmitEndpointEntry {
  operationId: string;
  /** fal's owner/alias pair of the job's queue URLs, e.g. `fal-ai/flux-pro`. */
  app: string;
  /** The body's schema, under `components.schemas`. */
  inputSchema: string;
  displayName: string;
  imageInput: ImageInput;
}

/** A submit route. */
export interface SubmitEndpoint {
  /** e.g. `/fal-ai/flux-pro/kontext`. */
  path: string;
  /** fal's app id for the queue URLs, e.g. `fal-ai/flux-pro`. */
  appId: string;
  /** JSON pointer (within the spec) to the request body's schema. */
  schemaPointer: string;
  /** Which input images a job loads, and so what its output looks like. */
  imageInput: ImageInput;
  /** The name its logs use. */
  displayName: string;
}

/**
 * The submit routes: the spec's endpoint list, which openapi/scripts/build-spec.mjs writes once
 * and the core's generator reads too. Nothing is worked out again here; a spec without the
 * list (not built by `pnpm generate`) is refused with a message that says so.
 */
export function listedSubmitEndpoints(spec: OpenApiDocument): SubmitEndpoint[] {
  const listed = spec['x-submit-endpoints'];
  if (!listed || Object.keys(listed).length === 0) {
    throw new Error(
      'The spec has no x-submit-endpoints, the endpoint list `pnpm generate` writes into ' +
        'openapi/generated/anyapi-kontext.openapi.json: pass a spec built by it.',
    );
  }
  const schemas = spec.components?.schemas ?? {};
  return Object.entries(listed).map(([path, entry]) => {
    if (!(entry.inputSchema in schemas)) {
      throw new Error(`The spec's x-submit-endpoints lists ${path} with the schema ${entry.inputSchema}, which is not in components.schemas.`);
    }
    return {
      path,
      appId: entry.app,
      schemaPointer: `/components/schemas/${escapePointer(entry.inputSchema)}`,
      imageInput: entry.imageInput,
      displayName: entry.displayName,
    };
  });
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
