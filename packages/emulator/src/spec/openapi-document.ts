import spec from '@anyapi-kontext/openapi/spec.json' with { type: 'json' };

/** The parts of an OpenAPI 3.1 document the emulator reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components?: Record<string, unknown>;
}

export interface OpenApiOperation {
  operationId?: string;
  'x-fal-app'?: string;
  'x-image-input'?: 'none' | 'single' | 'multiple';
  'x-display-name'?: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

/**
 * The generated spec, read at run time from @anyapi-kontext/openapi: a new AnyAPI document
 * followed by `pnpm generate` adds its submit route here with no emulator change or rebuild.
 */
export const generatedSpec = spec as unknown as OpenApiDocument;
