import { describe, expectTypeOf, it } from 'vitest';
import {
  createKontextClient,
  validateInput,
  type InputFor,
  type KontextInput,
  type KontextResult,
  type QueueStatus,
  type SubmitPath,
} from '../src/index.js';

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
    expectTypeOf<SubmitPath>().toEqualTypeOf<'/fal-ai/flux-pro/kontext'>();
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

describe('outputs are typed from the spec', () => {
  it('gives typed results and statuses', () => {
    expectTypeOf(kontext.run({ prompt: 'p', image_url })).resolves.toEqualTypeOf<KontextResult>();
    expectTypeOf<KontextResult['data']['images'][number]['url']>().toEqualTypeOf<string>();
    expectTypeOf<QueueStatus['status']>().toEqualTypeOf<'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'>();
    expectTypeOf(kontext.cancel('id')).resolves.toEqualTypeOf<'CANCELLATION_REQUESTED' | 'ALREADY_COMPLETED'>();
    expectTypeOf(validateInput({}, '/fal-ai/flux-pro/kontext')).toEqualTypeOf<KontextInput>();
  });

  it('types raw calls through openapi-fetch', () => {
    // @ts-expect-error the status path needs its path parameters
    void kontext.raw.GET('/fal-ai/{model_name}/requests/{request_id}/status', {});
    // @ts-expect-error no such path in the spec
    void kontext.raw.GET('/fal-ai/nothing-here');
  });
});
