import type { SubmitEndpointEntry } from './submit-endpoints.js';
import spec from '@anyapi-kontext/openapi/spec.json' with { type: 'json' };

/** The parts of an OpenAPI 3.1 document the emulator reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> } & Record<string, unknown>;
  /** The endpoint list `pnpm generate` writes; the emulator's submit routes. */
  'x-submit-endpoints'?: Record<string, SubmitEndpointEntry>;
}

/**
 * The generated spec, read at run time from @anyapi-kontext/openapi: a new AnyAPI document
 * followed by `pnpm generate` adds its submit route here with no emulator change or rebuild.
 */
export const generatedSpec = spec as unknown as OpenApiDocument;
