import type { OpenApiDocument, OpenApiOperation } from './openapi-document.js';

/** A submit route: one POST in the spec that takes a JSON body. */
export interface SubmitEndpoint {
  /** e.g. `/fal-ai/flux-pro/kontext`. */
  path: string;
  /** fal's app id for the queue URLs, e.g. `fal-ai/flux-pro`. */
  appId: string;
  /** JSON pointer (within the spec) to the request body's schema. */
  schemaPointer: string;
}

/**
 * Every POST with a JSON body is a submit. The app id comes from the generator's `x-fal-app`,
 * else from the first two path segments, which is how fal names apps.
 */
export function findSubmitEndpoints(spec: OpenApiDocument): SubmitEndpoint[] {
  const endpoints: SubmitEndpoint[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    const post = item.post as OpenApiOperation | undefined;
    if (!post?.requestBody?.content?.['application/json']?.schema) continue;
    if (path.includes('{')) continue;
    endpoints.push({
      path,
      appId: post['x-fal-app'] ?? path.split('/').filter(Boolean).slice(0, 2).join('/'),
      schemaPointer: `/paths/${escapePointer(path)}/post/requestBody/content/application~1json/schema`,
    });
  }
  return endpoints;
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
