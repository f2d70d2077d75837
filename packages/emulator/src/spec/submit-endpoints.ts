import type { OpenApiDocument, OpenApiOperation } from './openapi-document.js';

/** How a model takes images: none (text to image), one (`image_url`) or several (`image_urls`). */
export type ImageInput = 'none' | 'single' | 'multiple';

/** A submit route: one POST in the spec that takes a JSON body. */
export interface SubmitEndpoint {
  /** e.g. `/fal-ai/flux-pro/kontext`. */
  path: string;
  /** fal's app id for the queue URLs, e.g. `fal-ai/flux-pro`. */
  appId: string;
  /** JSON pointer (within the spec) to the request body's schema. */
  schemaPointer: string;
  /** Which input images a job loads, and so what its output looks like. */
  imageInput: ImageInput;
  /** The name its logs use: the spec's `x-display-name`, else the path. */
  displayName: string;
}

const IMAGE_INPUTS: readonly string[] = ['none', 'single', 'multiple'];

/**
 * Every POST with a JSON body is a submit. The app id comes from the generator's `x-fal-app`,
 * else from the first two path segments, which is how fal names apps; the image input from
 * its `x-image-input`, else from the schema's fields.
 */
export function findSubmitEndpoints(spec: OpenApiDocument): SubmitEndpoint[] {
  const endpoints: SubmitEndpoint[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    const post = item.post as OpenApiOperation | undefined;
    const schema = post?.requestBody?.content?.['application/json']?.schema;
    if (!post || !schema) continue;
    if (path.includes('{')) continue;
    const declared = post['x-image-input'];
    endpoints.push({
      path,
      appId: post['x-fal-app'] ?? path.split('/').filter(Boolean).slice(0, 2).join('/'),
      schemaPointer: `/paths/${escapePointer(path)}/post/requestBody/content/application~1json/schema`,
      imageInput: declared && IMAGE_INPUTS.includes(declared) ? declared : imageInputOf(spec, schema),
      displayName: post['x-display-name'] ?? path,
    });
  }
  return endpoints;
}

/** `image_urls` means several images, `image_url` one, neither none (the generator's rule too). */
function imageInputOf(spec: OpenApiDocument, schema: unknown): ImageInput {
  const properties = (resolve(spec, schema) as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  if ('image_urls' in properties) return 'multiple';
  if ('image_url' in properties) return 'single';
  return 'none';
}

function resolve(spec: OpenApiDocument, schema: unknown): unknown {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/components/schemas/')) return schema;
  const schemas = (spec.components?.schemas ?? {}) as Record<string, unknown>;
  return schemas[ref.slice('#/components/schemas/'.length)];
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
