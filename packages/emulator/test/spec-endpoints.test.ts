import { describe, expect, it } from 'vitest';
import { startEmulator, type OpenApiDocument } from '../src/index.js';
import { generatedSpec } from '../src/spec/openapi-document.js';
import { listedSubmitEndpoints } from '../src/spec/submit-endpoints.js';
import { call, sampleInput, useEmulator, waitFor } from './helpers.js';

/**
 * What `pnpm generate` would make of one more AnyAPI document: another app, its body schema in
 * components and its entry in the endpoint list (x-submit-endpoints), which build-spec.mjs
 * writes and the emulator reads as it is.
 */
function specWithMoreEndpoints(): OpenApiDocument {
  const spec = structuredClone(generatedSpec);
  spec.components!.schemas!.FluxKontextDevInput = {
    type: 'object',
    required: ['prompt', 'image_url'],
    properties: {
      prompt: { $ref: '#/components/schemas/FluxProKontextInput/properties/prompt' },
      image_url: { $ref: '#/components/schemas/FluxProKontextInput/properties/image_url' },
    },
  };
  spec['x-submit-endpoints']!['/fal-ai/flux-kontext/dev'] = {
    operationId: 'submitFluxKontextDev',
    app: 'fal-ai/flux-kontext',
    inputSchema: 'FluxKontextDevInput',
    displayName: 'FLUX.1 Kontext [dev]',
    imageInput: 'single',
  };
  return spec;
}

describe('submit routes come from the spec', () => {
  it("are the spec's endpoint list, with each one's fal app id and image input", () => {
    const endpoints = listedSubmitEndpoints(specWithMoreEndpoints());
    expect(endpoints.map(({ path, appId, imageInput, schemaPointer }) => ({ path, appId, imageInput, schemaPointer }))).toEqual([
      { path: '/fal-ai/flux-pro/kontext', appId: 'fal-ai/flux-pro', imageInput: 'single', schemaPointer: '/components/schemas/FluxProKontextInput' },
      { path: '/fal-ai/flux-pro/kontext/max', appId: 'fal-ai/flux-pro', imageInput: 'single', schemaPointer: '/components/schemas/FluxProKontextMaxInput' },
      {
        path: '/fal-ai/flux-pro/kontext/max/multi',
        appId: 'fal-ai/flux-pro',
        imageInput: 'multiple',
        schemaPointer: '/components/schemas/FluxProKontextMaxMultiInput',
      },
      {
        path: '/fal-ai/flux-pro/kontext/text-to-image',
        appId: 'fal-ai/flux-pro',
        imageInput: 'none',
        schemaPointer: '/components/schemas/FluxProKontextTextToImageInput',
      },
      { path: '/fal-ai/flux-kontext/dev', appId: 'fal-ai/flux-kontext', imageInput: 'single', schemaPointer: '/components/schemas/FluxKontextDevInput' },
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

  it('refuses to start on a spec that has no endpoint list, saying which spec it needs', async () => {
    const { 'x-submit-endpoints': _list, ...withoutList } = structuredClone(generatedSpec);
    await expect(startEmulator({ port: 0, spec: withoutList })).rejects.toThrow(
      'The spec has no x-submit-endpoints, the endpoint list `pnpm generate` writes into openapi/generated/anyapi-kontext.openapi.json',
    );
  });

  it('refuses a listed endpoint whose schema the spec lacks, naming both', async () => {
    const spec = specWithMoreEndpoints();
    delete spec.components!.schemas!.FluxKontextDevInput;
    await expect(startEmulator({ port: 0, spec })).rejects.toThrow(
      "The spec's x-submit-endpoints lists /fal-ai/flux-kontext/dev with the schema FluxKontextDevInput, which is not in components.schemas.",
    );
  });
});

describe('extraModels: a model the spec does not list, served by path', () => {
  const PATH = '/fal-ai/nano-banana/edit';

  it('takes any JSON object, loads its images and runs the job on the app of the first two segments', async () => {
    const emulator = await useEmulator({ extraModels: { [PATH]: 'multiple' }, jobDuration: 0 });
    const { image_url } = await sampleInput();
    const body = { prompt: 'Two cats', image_urls: [image_url, image_url], strength: 'a field no schema knows' };
    const ticket = await call(emulator, 'POST', PATH, { body });
    expect(ticket.status).toBe(200);
    const id: string = ticket.body.request_id;
    expect(ticket.body.status_url).toBe(`https://queue.fal.run/fal-ai/nano-banana/requests/${id}/status`);
    await waitFor(async () => (await call(emulator, 'GET', `/fal-ai/nano-banana/requests/${id}/status`)).body.status === 'COMPLETED');
    const result = await call(emulator, 'GET', `/fal-ai/nano-banana/requests/${id}`);
    expect(result.status).toBe(200);
    expect(result.body.images).toHaveLength(1);
    expect(result.body.request).toEqual(body);
    // Its jobs are on its own app, not on the spec's.
    expect((await call(emulator, 'GET', `/fal-ai/flux-pro/requests/${id}/status`)).status).toBe(404);
  });

  it('still refuses a body that is not an object, and an image that cannot be loaded, as fal does', async () => {
    const emulator = await useEmulator({ extraModels: { [PATH]: 'single' }, jobDuration: 0 });
    expect((await call(emulator, 'POST', PATH, { body: [1, 2] })).status).toBe(422);
    const broken = await call(emulator, 'POST', PATH, { body: { image_url: 'data:image/png;base64,AAAA' } });
    expect(broken.status).toBe(422);
    expect(broken.body.detail[0].loc).toEqual(['body', 'image_url']);
  });

  it('serves no path it was not given, and the spec keeps its schemas for other emulators of the same spec', async () => {
    const withExtra = await useEmulator({ extraModels: { [PATH]: 'single' }, jobDuration: 0 });
    const plain = await useEmulator({ jobDuration: 0 });
    expect((await call(plain, 'POST', PATH, { body: { prompt: 'x' } })).status).toBe(404);
    expect((await call(withExtra, 'POST', '/fal-ai/other-model', { body: { prompt: 'x' } })).status).toBe(404);
    const refused = await call(withExtra, 'POST', '/fal-ai/flux-pro/kontext', { body: await sampleInput({ prompt: '' }) });
    expect(refused.status).toBe(422);
  });

  it('refuses to start on a path that is not a model path, or one the spec lists, naming it', async () => {
    await expect(startEmulator({ port: 0, extraModels: { 'fal-ai/no-slash': 'single' } })).rejects.toThrow(
      'extraModels: "fal-ai/no-slash" is not a model path /owner/app[/sub...]',
    );
    await expect(startEmulator({ port: 0, extraModels: { '/fal-ai/flux-pro/kontext': 'single' } })).rejects.toThrow(
      'extraModels: /fal-ai/flux-pro/kontext is in the spec already',
    );
  });
});
