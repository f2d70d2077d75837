import { describe, expect, it } from 'vitest';
import { flagDescription, flagValueName } from '../src/model-flag-help.js';

describe('model flags in --help, read from the spec', () => {
  it("shows the checked-in spec's ranges, choices and defaults", () => {
    expect(flagValueName('num_images')).toBe('<1-4>');
    expect(flagValueName('guidance_scale')).toBe('<1-20>');
    expect(flagValueName('output_format')).toBe('<jpeg|png>');
    expect(flagValueName('safety_tolerance')).toBe('<1-5>');
    expect(flagValueName('seed')).toBe('<int>');
    expect(flagDescription('guidance_scale', 'how closely to follow the prompt')).toBe('how closely to follow the prompt (default 3.5)');
    expect(flagDescription('output_format', 'output format')).toBe('output format (default jpeg)');
    expect(flagDescription('safety_tolerance', 'safety tolerance')).toBe('safety tolerance (1 strictest, 5 most permissive; default 2)');
    expect(flagDescription('seed', 'seed')).toBe('seed');
  });

  it('follows a changed schema with no edit of its own', () => {
    expect(flagValueName('num_images', { type: 'integer', minimum: 1, maximum: 8 })).toBe('<1-8>');
    expect(flagValueName('output_format', { type: 'string', enum: ['jpeg', 'png', 'webp'] })).toBe('<jpeg|png|webp>');
    expect(flagValueName('safety_tolerance', { type: 'string', enum: ['1', '2', '3', '4', '5', '6'] })).toBe('<1-6>');
    expect(flagValueName('guidance_scale', { type: 'number', minimum: 0 })).toBe('<number>');
    expect(flagDescription('num_images', 'images per input', { type: 'integer', default: 2 })).toBe('images per input (default 2)');
  });
});
