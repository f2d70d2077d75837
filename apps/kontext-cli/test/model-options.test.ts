import { describe, expect, it } from 'vitest';
import type { InputImage } from '../src/discover-inputs.js';
import { buildJobInput, modelOptionsFromFlags, planEditJobs } from '../src/model-options.js';
import { pngSample } from './fixtures.js';

const apple: InputImage = { displayPath: 'red-apple.png', absolutePath: pngSample, stem: 'red-apple', mime: 'image/png' };

describe('model options', () => {
  it('maps flags to input fields, numbers as numbers', () => {
    expect(modelOptionsFromFlags({ prompt: 'x', 'num-images': '2', guidance: '4.5', safety: '3', format: 'png', seed: '7' })).toEqual({
      prompt: 'x',
      num_images: 2,
      guidance_scale: 4.5,
      safety_tolerance: '3',
      output_format: 'png',
      seed: 7,
    });
  });

  it('builds each job body from the file when the job starts', async () => {
    const [job] = planEditJobs([apple], { prompt: 'x', num_images: 2 });
    const input = await buildJobInput(job!);
    expect(input).toMatchObject({ prompt: 'x', num_images: 2 });
    expect(input.image_url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
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
    expect(() => planEditJobs([apple], modelOptionsFromFlags(flags))).toThrow(message);
  });
});
