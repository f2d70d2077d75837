import { describe, expect, it } from 'vitest';
import type { InputImage } from '../src/discover-inputs.js';
import { buildEditJobs, modelOptionsFromFlags } from '../src/model-options.js';

// The smallest PNG signature the core's type detection accepts.
const png: InputImage = {
  displayPath: 'cat.png',
  absolutePath: '/tmp/cat.png',
  stem: 'cat',
  bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
  mime: 'image/png',
};

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

  it('builds a data URL body per image', () => {
    const [job] = buildEditJobs([png], { prompt: 'x' });
    expect(job!.input.image_url).toMatch(/^data:image\/png;base64,/);
  });

  it.each([
    [{ prompt: 'x', guidance: '25' }, /^--guidance: guidance_scale must be a number from 1 to 20 \(got 25\)$/],
    [{ prompt: 'x', 'num-images': '9' }, /^--num-images: num_images must be a whole number from 1 to 4/],
    [{ prompt: 'x', 'num-images': 'two' }, /^--num-images: num_images must be a whole number from 1 to 4 \(got "two"\)$/],
    [{ prompt: 'x', format: 'gif' }, /^--format: output_format must be one of "jpeg", "png"/],
    [{ prompt: 'x', safety: '9' }, /^--safety: safety_tolerance must be one of "1", "2", "3", "4", "5"/],
    [{}, /^--prompt: prompt is required/],
  ])('refuses %j with the spec’s words', (flags, message) => {
    expect(() => buildEditJobs([png], modelOptionsFromFlags(flags))).toThrow(message);
  });
});
