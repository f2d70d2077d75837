import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../src/index.js';
import { generatedSpec } from '../src/spec/openapi-document.js';
import { findSubmitEndpoints } from '../src/spec/submit-endpoints.js';
import { call, sampleInput, useEmulator } from './helpers.js';

/**
 * What `pnpm generate` would make of one more AnyAPI document: another app whose inline schema
 * points into the spec's components and that carries none of the generator's x- fields.
 */
function specWithMoreEndpoints(): OpenApiDocument {
  const spec = structuredClone(generatedSpec);
  spec.paths['/fal-ai/flux-kontext/dev'] = {
    post: {
      operationId: 'submitDev',
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['prompt', 'image_url'],
              properties: {
                prompt: { $ref: '#/components/schemas/FluxProKontextInput/properties/prompt' },
                image_url: { $ref: '#/components/schemas/FluxProKontextInput/properties/image_url' },
              },
            },
          },
        },
      },
    },
  };
  return spec;
}

describe('submit routes come from the spec', () => {
  it('finds every POST with a JSON body and its fal app id', () => {
    const endpoints = findSubmitEndpoints(specWithMoreEndpoints());
    expect(endpoints.map(({ path, appId, imageInput }) => ({ path, appId, imageInput }))).toEqual([
      { path: '/fal-ai/flux-pro/kontext', appId: 'fal-ai/flux-pro', imageInput: 'single' },
      { path: '/fal-ai/flux-pro/kontext/max', appId: 'fal-ai/flux-pro', imageInput: 'single' },
      { path: '/fal-ai/flux-pro/kontext/max/multi', appId: 'fal-ai/flux-pro', imageInput: 'multiple' },
      { path: '/fal-ai/flux-pro/kontext/text-to-image', appId: 'fal-ai/flux-pro', imageInput: 'none' },
      { path: '/fal-ai/flux-kontext/dev', appId: 'fal-ai/flux-kontext', imageInput: 'single' },
    ]);
  });

  it('serves and validates a new endpoint with no emulator change', async () => {
    const emulator = await useEmulator({ spec: specWithMoreEndpoints(), jobDuration: 0 });
    const ticket = await call(emulator, 'POST', '/fal-ai/flux-kontext/dev', { body: await sampleInput() });
    expect(ticket.status).toBe(200);
    expect(ticket.body.status_url).toBe(`https://queue.fal.run/fal-ai/flux-kontext/requests/${ticket.body.request_id}/status`);
    expect((await call(emulator, 'GET', `/fal-ai/flux-kontext/requests/${ticket.body.request_id}/status`)).status).toBeLessThan(300);
    const refused = await call(emulator, 'POST', '/fal-ai/flux-kontext/dev', { body: await sampleInput({ prompt: '' }) });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0]).toMatchObject({ loc: ['body', 'prompt'], type: 'string_too_short' });
    expect((await call(emulator, 'POST', '/fal-ai/flux-pro/kontext/max', { body: await sampleInput() })).status).toBe(200);
  });
});
