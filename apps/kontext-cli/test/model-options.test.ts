import { describe, expect, it } from 'vitest';
import type { InputImage } from '../src/discover-inputs.js';
import {
  buildJobInput,
  defaultModel,
  modelFlagsOf,
  modelOptionsFromFlags,
  models,
  planEditJobs,
  resolveModel,
  stemFromPrompt,
  type Model,
} from '../src/models.js';
import { jpegSample, pngSample } from './fixtures.js';

const apple: InputImage = { displayPath: 'red-apple.png', absolutePath: pngSample, stem: 'red-apple', mime: 'image/png' };
const lake: InputImage = { displayPath: 'lake.jpg', absolutePath: jpegSample, stem: 'lake', mime: 'image/jpeg' };
const pro = defaultModel;
const plan = (flags: Record<string, string>, model: Model = pro, images = [apple]) => planEditJobs(model, images, modelOptionsFromFlags(model, flags));

describe('model options', () => {
  it('maps flags to input fields, numbers as numbers', () => {
    expect(modelOptionsFromFlags(pro, { prompt: 'x', 'num-images': '2', guidance: '4.5', safety: '3', format: 'png', seed: '7' })).toEqual({
      prompt: 'x',
      num_images: 2,
      guidance_scale: 4.5,
      safety_tolerance: '3',
      output_format: 'png',
      seed: 7,
    });
  });

  it("has a flag for every field of the model's schema but its images, the shared ones under their short names", () => {
    const flags = modelFlagsOf(pro);
    expect(Object.values(flags).map((f) => f.field).sort()).toEqual(Object.keys(pro.properties).filter((f) => f !== 'image_url').sort());
    expect(flags.prompt!.option.short).toBe('p');
    expect(flags['num-images']!.option.short).toBe('n');
    expect(flags['aspect-ratio']!.option).toMatchObject({ type: 'string', valueName: expect.stringContaining('16:9') });
    expect(flags['sync-mode']!.option.type).toBe('boolean');
  });

  it('builds each job body from the file when the job starts', async () => {
    const [job] = plan({ prompt: 'x', 'num-images': '2' });
    const input = await buildJobInput(job!);
    expect(input).toMatchObject({ prompt: 'x', num_images: 2 });
    expect(input.image_url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('one job per image for a one-image model', () => {
    expect(plan({ prompt: 'x' }, pro, [apple, lake]).map((job) => job.stem)).toEqual(['red-apple', 'lake']);
  });

  it.each([
    [{ prompt: 'x', guidance: '25' }, /^--guidance: guidance_scale must be a number from 1 to 20 \(got 25\)$/],
    [{ prompt: 'x', 'num-images': '9' }, /^--num-images: num_images must be a whole number from 1 to 4/],
    [{ prompt: 'x', 'num-images': 'two' }, /^--num-images: num_images must be a whole number from 1 to 4 \(got "two"\)$/],
    [{ prompt: 'x', format: 'gif' }, /^--format: output_format must be one of "jpeg", "png"/],
    [{ prompt: 'x', safety: '9' }, /^--safety: safety_tolerance must be one of "1", "2", "3", "4", "5"/],
    [{}, /^--prompt: prompt is required/],
    [{ prompt: '' }, /^--prompt: prompt must be a non-empty text/],
  ])('refuses %j with the spec’s words', (flags, message) => {
    expect(() => plan(flags)).toThrow(message);
  });

  it('names text-to-image outputs after the prompt', () => {
    expect(stemFromPrompt('A lighthouse at dusk, oil painting!')).toBe('a-lighthouse-at-dusk-oil-painting');
    expect(stemFromPrompt('???')).toBe('image');
  });
});

describe('--model', () => {
  it('takes a path, a name in any case, or a unique end of a path', () => {
    expect(resolveModel(undefined)).toBe(pro);
    expect(resolveModel(pro.path)).toBe(pro);
    expect(resolveModel(pro.path.slice(1))).toBe(pro);
    expect(resolveModel(pro.name.toUpperCase())).toBe(pro);
    for (const model of models) expect(resolveModel(model.path.split('/').slice(-2).join('/'))).toBe(model);
  });

  it('refuses anything else, listing the models', () => {
    expect(() => resolveModel('kontext-ultra')).toThrow(/^--model "kontext-ultra" is not a model; the models are \/fal-ai\/flux-pro\/kontext \(/);
    expect(() => resolveModel('')).toThrow(/is not a model/);
  });
});
