import { describe, expectTypeOf, it } from 'vitest';
import {
  createKontextClient,
  submitEndpoints,
  type ImageInput,
  type InputFor,
  type KontextInput,
  type KontextResult,
  type QueueStatus,
  type SubmitPath,
} from '../src/index.js';
import { validateInput } from '../src/portable.js';
import { createRawClient } from '../src/fetch.js';
import { isCancelAnswer, isQueueStatus, isResult, JOB_PATHS, specRequest } from '../src/queue/spec-requests.js';

const kontext = createKontextClient({ apiKey: 'key' });
const image_url = 'https://example.com/in.png';

describe('inputs are typed from the spec', () => {
  it('accepts what the spec allows', () => {
    expectTypeOf(kontext.run).toBeCallableWith({ prompt: 'p', image_url });
    expectTypeOf(kontext.run).toBeCallableWith(
      { prompt: 'p', image_url, guidance_scale: 4, num_images: 2, output_format: 'png', safety_tolerance: '5', seed: 1, aspect_ratio: '16:9', enhance_prompt: true, sync_mode: false },
      { endpoint: '/fal-ai/flux-pro/kontext', timeout: 1000, onUpdate: () => undefined },
    );
    expectTypeOf<InputFor<'/fal-ai/flux-pro/kontext'>>().toEqualTypeOf<KontextInput>();
    expectTypeOf<SubmitPath>().toEqualTypeOf<
      | '/fal-ai/flux-pro/kontext'
      | '/fal-ai/flux-pro/kontext/max'
      | '/fal-ai/flux-pro/kontext/max/multi'
      | '/fal-ai/flux-pro/kontext/text-to-image'
    >();
  });

  it('refuses wrong fields and wrong value types', () => {
    // @ts-expect-error prompt is required
    void kontext.run({ image_url });
    // @ts-expect-error image_url is required
    void kontext.submit({ prompt: 'p' });
    // @ts-expect-error num_images is a number
    void kontext.run({ prompt: 'p', image_url, num_images: '2' });
    // @ts-expect-error output_format is jpeg or png
    void kontext.run({ prompt: 'p', image_url, output_format: 'gif' });
    // @ts-expect-error safety_tolerance is a string from "1" to "5"
    void kontext.run({ prompt: 'p', image_url, safety_tolerance: 2 });
    // @ts-expect-error aspect_ratio is one of the listed ratios
    void kontext.run({ prompt: 'p', image_url, aspect_ratio: '5:4' });
    // @ts-expect-error guidance is not a field (guidance_scale is)
    void kontext.run({ prompt: 'p', image_url, guidance: 3 });
    // @ts-expect-error the endpoint must be one the spec documents
    void kontext.run({ prompt: 'p', image_url }, { endpoint: '/fal-ai/flux-pro/kontext/ultra' });
    // @ts-expect-error timeout is milliseconds
    void kontext.run({ prompt: 'p', image_url }, { timeout: '10m' });
  });
});

describe('each endpoint takes its own model\'s input', () => {
  const MULTI = '/fal-ai/flux-pro/kontext/max/multi';
  const TEXT_TO_IMAGE = '/fal-ai/flux-pro/kontext/text-to-image';
  const MAX = '/fal-ai/flux-pro/kontext/max';
  const image_urls = [image_url, 'https://example.com/two.png'];

  it('accepts each model\'s own fields', () => {
    expectTypeOf(kontext.run).toBeCallableWith({ prompt: 'p', image_urls, aspect_ratio: '1:1' }, { endpoint: MULTI });
    expectTypeOf(kontext.submit).toBeCallableWith({ prompt: 'p', aspect_ratio: '9:21' }, { endpoint: TEXT_TO_IMAGE });
    expectTypeOf(kontext.run).toBeCallableWith({ prompt: 'p', image_url, seed: 3, sync_mode: true }, { endpoint: MAX });
    expectTypeOf<InputFor<typeof MULTI>['image_urls']>().toEqualTypeOf<string[]>();
    expectTypeOf(validateInput({}, MULTI)).toEqualTypeOf<InputFor<typeof MULTI>>();
    expectTypeOf(submitEndpoints[MULTI].imageInput).toEqualTypeOf<'multiple'>();
    expectTypeOf(submitEndpoints[TEXT_TO_IMAGE].imageInput).toEqualTypeOf<'none'>();
    expectTypeOf(submitEndpoints[MAX].displayName).toEqualTypeOf<'FLUX.1 Kontext [max]'>();
    expectTypeOf<(typeof submitEndpoints)[SubmitPath]['imageInput']>().toEqualTypeOf<ImageInput>();
  });

  it('refuses a field of another model', () => {
    // @ts-expect-error multi takes image_urls, not image_url
    void kontext.run({ prompt: 'p', image_url }, { endpoint: MULTI });
    // @ts-expect-error multi needs image_urls
    void kontext.submit({ prompt: 'p' }, { endpoint: MULTI });
    // @ts-expect-error image_urls is a list
    void kontext.run({ prompt: 'p', image_urls: image_url }, { endpoint: MULTI });
    // @ts-expect-error text-to-image takes no image
    void kontext.run({ prompt: 'p', image_url }, { endpoint: TEXT_TO_IMAGE });
    // @ts-expect-error the single-image models take no image_urls
    void kontext.run({ prompt: 'p', image_url, image_urls }, { endpoint: MAX });
    // @ts-expect-error without an endpoint the input is Kontext [pro]'s, which needs image_url
    void kontext.run({ prompt: 'p', image_urls });
  });
});

describe('outputs are typed from the spec', () => {
  it('gives typed results and statuses', () => {
    expectTypeOf(kontext.run({ prompt: 'p', image_url })).resolves.toEqualTypeOf<KontextResult>();
    expectTypeOf<KontextResult['data']['images'][number]['url']>().toEqualTypeOf<string>();
    expectTypeOf<QueueStatus['status']>().toEqualTypeOf<'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'>();
    expectTypeOf(kontext.cancel('id')).resolves.toEqualTypeOf<'CANCELLATION_REQUESTED' | 'ALREADY_COMPLETED'>();
    expectTypeOf(validateInput({}, '/fal-ai/flux-pro/kontext')).toEqualTypeOf<KontextInput>();
  });

  it('types raw calls through openapi-fetch (the /fetch entry)', () => {
    const raw = createRawClient({ apiKey: 'key', baseUrl: 'https://www.anyapi.vip' });
    // @ts-expect-error the status path needs its path parameters
    void raw.GET('/{owner}/{alias}/requests/{request_id}/status', {});
    // @ts-expect-error the job paths take the owner and the alias, not one model_name
    void raw.GET('/{owner}/{alias}/requests/{request_id}/status', { params: { path: { model_name: 'flux-pro', request_id: 'id' } } });
    // @ts-expect-error logs is 0 or 1, as the spec says
    void raw.GET('/{owner}/{alias}/requests/{request_id}/status', { params: { path: { owner: 'o', alias: 'a', request_id: 'id' }, query: { logs: 2 } } });
    // @ts-expect-error no such path in the spec
    void raw.GET('/fal-ai/nothing-here');
  });
});

describe("the queue calls' requests are typed from the spec's paths", () => {
  const job = { owner: 'fal-ai', alias: 'flux-pro', request_id: 'id' };
  it('takes what the spec declares, and nothing else', () => {
    void specRequest('get', JOB_PATHS.status, job, { query: { logs: 1 } });
    void specRequest('put', JOB_PATHS.cancel, job);
    void specRequest('post', '/fal-ai/flux-pro/kontext', {}, { query: { fal_webhook: 'https://example.com/hook' } });
    // @ts-expect-error logs is 0 or 1
    void specRequest('get', JOB_PATHS.status, job, { query: { logs: 2 } });
    // @ts-expect-error the job paths need the alias
    void specRequest('get', JOB_PATHS.result, { owner: 'fal-ai', request_id: 'id' });
    // @ts-expect-error the spec has no PUT on the status path
    void specRequest('put', JOB_PATHS.status, job);
    // @ts-expect-error no such path in the spec
    void specRequest('get', '/fal-ai/{model_name}/requests/{request_id}', job);
    // @ts-expect-error the result call takes no query
    void specRequest('get', JOB_PATHS.result, job, { query: { logs: 1 } });
  });

  it('reads answers as the spec types them', () => {
    const body: unknown = { status: 'COMPLETED' };
    if (isQueueStatus(body)) expectTypeOf(body).toEqualTypeOf<QueueStatus>();
    if (isResult(body)) expectTypeOf(body).toEqualTypeOf<KontextResult['data']>();
    if (isCancelAnswer(body, 'ALREADY_COMPLETED')) expectTypeOf(body.status).toEqualTypeOf<'ALREADY_COMPLETED'>();
  });
});

describe('runAny and submitAny take any model path, typed as one', () => {
  it('accepts /owner/app[/sub...] and an object input; refuses a path without its slashes and an endpoint option', () => {
    expectTypeOf(kontext.runAny('/fal-ai/nano-banana/edit', { prompt: 'p', image_urls: [image_url] })).resolves.toEqualTypeOf<KontextResult>();
    void kontext.submitAny('/fal-ai/flux-pro/kontext', { prompt: 'p', image_url }, { webhookUrl: 'https://hooks.example/x' });
    // @ts-expect-error a model path starts with a slash and has owner and app
    void kontext.runAny('nano-banana', {});
    // @ts-expect-error the path is the first argument, not an option
    void kontext.runAny('/fal-ai/nano-banana/edit', {}, { endpoint: '/fal-ai/flux-pro/kontext' });
    // @ts-expect-error the input is an object
    void kontext.submitAny('/fal-ai/nano-banana/edit', 'make it snow');
    void kontext.status({ requestId: 'r-1', modelPath: '/fal-ai/nano-banana/edit' });
    // @ts-expect-error a job's model path is a model path
    void kontext.result({ requestId: 'r-1', modelPath: 'nano-banana' });
  });
});
