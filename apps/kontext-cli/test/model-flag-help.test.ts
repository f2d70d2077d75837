import { submitEndpoints, type FieldSchema } from '@anyapi-kontext/core';
import { inputSchemas } from '@anyapi-kontext/core/portable';
import { describe, expect, it } from 'vitest';
import { flagDescription, flagValueName } from '../src/models.js';

const pro = inputSchemas[submitEndpoints['/fal-ai/flux-pro/kontext'].inputSchema].properties as unknown as Record<string, FieldSchema>;

describe('model flags in --help, read from the spec', () => {
  it("shows the checked-in spec's ranges, choices and defaults", () => {
    expect(flagValueName(pro.num_images!)).toBe('<1-4>');
    expect(flagValueName(pro.guidance_scale!)).toBe('<1-20>');
    expect(flagValueName(pro.output_format!)).toBe('<jpeg|png>');
    expect(flagValueName(pro.safety_tolerance!)).toBe('<1-5>');
    expect(flagValueName(pro.seed!)).toBe('<int>');
    expect(flagDescription('how closely to follow the prompt', pro.guidance_scale!)).toBe('how closely to follow the prompt (default 3.5)');
    expect(flagDescription('output format', pro.output_format!)).toBe('output format (default jpeg)');
    expect(flagDescription('safety tolerance', pro.safety_tolerance!)).toBe('safety tolerance (1 strictest, 5 most permissive; default 2)');
    expect(flagDescription('seed', pro.seed!)).toBe('seed');
  });

  it('follows a changed schema with no edit of its own', () => {
    expect(flagValueName({ type: 'integer', minimum: 1, maximum: 8 })).toBe('<1-8>');
    expect(flagValueName({ type: 'string', enum: ['jpeg', 'png', 'webp'] })).toBe('<jpeg|png|webp>');
    expect(flagValueName({ type: 'string', enum: ['1', '2', '3', '4', '5', '6'] })).toBe('<1-6>');
    expect(flagValueName({ type: 'number', minimum: 0 })).toBe('<number>');
    expect(flagValueName({ type: 'array' })).toBe('<a,b,...>');
    expect(flagValueName({ type: 'object' })).toBe('<json>');
    expect(flagDescription('images per input', { type: 'integer', default: 2 })).toBe('images per input (default 2)');
  });
});
