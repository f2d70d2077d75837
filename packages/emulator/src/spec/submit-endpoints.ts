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
  /** JSON pointer (within the spec) to the request body's schema; undefined for an extra model (any JSON object). */
  schemaPointer: string | undefined;
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

// fal's model paths: `/owner/app[/sub...]`, letters, digits, `.`, `_` and `-` between slashes.
const MODEL_PATH = /^(?:\/[A-Za-z0-9][A-Za-z0-9._-]*){2,}$/;

/**
 * The `extraModels` option: model paths the spec does not list, served as a generic image model
 * (any JSON object is accepted; the images come from `image_url` or `image_urls`, as
 * `imageInput` says) on the app of their first two segments, as fal runs them. Lets a client's
 * "any model by path" be tested end to end.
 */
export function extraSubmitEndpoints(models: Readonly<Record<string, ImageInput>>, listed: readonly SubmitEndpoint[]): SubmitEndpoint[] {
  return Object.entries(models).map(([path, imageInput]) => {
    if (!MODEL_PATH.test(path)) throw new Error(`extraModels: ${JSON.stringify(path)} is not a model path /owner/app[/sub...]`);
    if (listed.some((endpoint) => endpoint.path === path)) throw new Error(`extraModels: ${path} is in the spec already`);
    if (!['none', 'single', 'multiple'].includes(imageInput)) {
      throw new Error(`extraModels: the image input of ${path} must be none, single or multiple (got ${JSON.stringify(imageInput)})`);
    }
    const [owner, app] = path.split('/').slice(1);
    return { path, appId: `${owner}/${app}`, schemaPointer: undefined, imageInput, displayName: path };
  });
}
