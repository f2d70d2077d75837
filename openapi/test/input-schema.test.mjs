import { describe, expect, it } from 'vitest';
import { buildInputSchema, imageInputOf, inlineRefs, mergeSchemas, titleFromName } from '../scripts/input-schema.mjs';

const PATH = '/acme/imagine';

/** An AnyAPI-shaped request schema (apifox export) with every kind of field. */
const documentSchema = {
  type: 'object',
  properties: {
    prompt: { type: 'string', description: '提示词' },
    strength: { type: 'number', description: '强度，默认值：0.8  范围值：0-1' },
    image_urls: { type: 'array', items: { type: 'string' }, description: '图片URL' },
    image_size: {
      type: 'object',
      properties: { width: { type: 'integer', description: '范围值：64-2048' }, height: { type: 'integer' } },
      required: ['width'],
    },
    tiling: { type: 'boolean', description: '默认值：false' },
    style: { type: 'string', description: '风格，支持photo、anime' },
  },
  required: ['prompt', 'image_urls'],
  'x-apifox-orders': ['prompt', 'style', 'strength', 'image_urls', 'image_size', 'tiling'],
};

const build = (completion = {}, catalogue = {}) =>
  buildInputSchema({ path: PATH, documentSchema, fieldCatalogue: catalogue, endpointCompletion: completion, title: 'Imagine input' });

describe('buildInputSchema types every field of a document with no completion at all', () => {
  it('types arrays, objects, booleans and what the descriptions state, required fields first', () => {
    const { schema } = build();
    expect(schema).toMatchObject({ title: 'Imagine input', type: 'object', additionalProperties: false, required: ['prompt', 'image_urls'] });
    expect(Object.keys(schema.properties)).toEqual(['prompt', 'image_urls', 'style', 'strength', 'image_size', 'tiling']);
    expect(schema.properties.strength).toEqual({ title: 'Strength', type: 'number', minimum: 0, maximum: 1, default: 0.8 });
    expect(schema.properties.image_urls).toEqual({ title: 'Image URLs', type: 'array', items: { type: 'string' } });
    expect(schema.properties.image_size).toEqual({
      title: 'Image Size',
      type: 'object',
      properties: {
        width: { title: 'Width', type: 'integer', minimum: 64, maximum: 2048 },
        height: { title: 'Height', type: 'integer' },
      },
      required: ['width'],
      additionalProperties: false,
    });
    expect(schema.properties.tiling).toEqual({ title: 'Tiling', type: 'boolean', default: false });
    expect(schema.properties.style).toEqual({ title: 'Style', type: 'string', enum: ['photo', 'anime'] });
    expect(JSON.stringify(schema)).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('warns, never fails, for every field without English, nested ones too', () => {
    const { warnings } = build();
    expect(warnings).toEqual(
      expect.arrayContaining([
        `${PATH} prompt has no English title in kontext.yaml; shown as "Prompt"`,
        `${PATH} image_size has no English title in kontext.yaml; shown as "Image Size"`,
        `${PATH} image_size.width has no English title in kontext.yaml; shown as "Width"`,
      ]),
    );
    expect(warnings).toHaveLength(8);
  });
});

describe('the completion wins: the field catalogue over the document, the endpoint over the catalogue', () => {
  it('merges keyword by keyword, nested properties included', () => {
    const catalogue = {
      strength: { title: 'Strength', description: 'How much to change.', maximum: 0.9, 'x-overrides-document': ['maximum', 'default'] },
      image_size: { title: 'Image Size', properties: { width: { title: 'Width', maximum: 1024 } } },
    };
    const { schema, warnings } = build({ fields: { strength: { default: 0.5 } } }, catalogue);
    expect(schema.properties.strength).toEqual({ title: 'Strength', description: 'How much to change.', type: 'number', minimum: 0, maximum: 0.9, default: 0.5 });
    expect(schema.properties.image_size.properties.width).toEqual({ title: 'Width', type: 'integer', minimum: 64, maximum: 1024 });
    expect(warnings.some((w) => w.includes(' strength '))).toBe(false);
  });

  it('adds fal extras from the catalogue, marked, and replaces required when told', () => {
    const catalogue = { seed: { title: 'Seed', type: 'integer', minimum: 0 } };
    const { schema } = build({ fal_extras: ['seed'], required: ['prompt'] }, catalogue);
    expect(schema.properties.seed).toEqual({ title: 'Seed', type: 'integer', minimum: 0, 'x-fal-extra': true });
    expect(schema.required).toEqual(['prompt']);
    expect(() => build({ fal_extras: ['untyped'] })).toThrow(/untyped/);
    expect(() => build({ fields: { nothing: { title: 'x' } } })).toThrow(/has no field nothing/);
  });

  it('drops a default the final schema refuses, with a warning', () => {
    const { schema, warnings } = build({
      fields: { style: { enum: ['photo'], 'x-overrides-document': ['enum'] }, strength: { default: 3, 'x-overrides-document': ['default'] } },
    });
    expect(schema.properties.strength).not.toHaveProperty('default');
    expect(warnings).toContain(`${PATH} strength: default 3 dropped (above 1)`);
    expect(schema.properties.style.enum).toEqual(['photo']);
  });
});

describe('lists of objects', () => {
  it('types and titles the fields of each entry, warning for each', () => {
    const { schema, warnings } = buildInputSchema({
      path: PATH,
      documentSchema: {
        type: 'object',
        properties: {
          loras: {
            type: 'array',
            items: { type: 'object', properties: { path: { type: 'string' }, scale: { type: 'number', description: '范围值：0-4' } }, required: ['path'] },
          },
        },
      },
      fieldCatalogue: { loras: { title: 'LoRAs' } },
      endpointCompletion: {},
      title: 'x',
    });
    expect(schema.properties.loras).toEqual({
      title: 'LoRAs',
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { title: 'Path', type: 'string' }, scale: { title: 'Scale', type: 'number', minimum: 0, maximum: 4 } },
        required: ['path'],
        additionalProperties: false,
      },
    });
    expect(warnings).toEqual([
      `${PATH} loras[].path has no English title in kontext.yaml; shown as "Path"`,
      `${PATH} loras[].scale has no English title in kontext.yaml; shown as "Scale"`,
    ]);
  });
});

describe('helpers', () => {
  it('makes readable titles from field names', () => {
    expect(titleFromName('image_size')).toBe('Image Size');
    expect(titleFromName('image_urls')).toBe('Image URLs');
    expect(titleFromName('numInferenceSteps')).toBe('Num Inference Steps');
  });

  it('tells how a model takes images', () => {
    expect(imageInputOf({ properties: { image_url: { type: 'string' } } })).toBe('single');
    expect(imageInputOf({ properties: { image_urls: { type: 'array' } } })).toBe('multiple');
    expect(imageInputOf({ properties: { prompt: { type: 'string' } } })).toBe('none');
  });

  it("inlines the document's own component references, and gives up quietly on loops", () => {
    const document = {
      components: {
        schemas: {
          Size: { type: 'object', properties: { width: { type: 'integer' } } },
          Loop: { type: 'object', properties: { next: { $ref: '#/components/schemas/Loop' } } },
        },
      },
    };
    expect(inlineRefs({ properties: { size: { $ref: '#/components/schemas/Size' } } }, document)).toEqual({
      properties: { size: { type: 'object', properties: { width: { type: 'integer' } } } },
    });
    expect(inlineRefs({ $ref: '#/components/schemas/Loop' }, document)).toEqual({ type: 'object', properties: { next: {} } });
    expect(inlineRefs({ $ref: '#/components/schemas/Missing' }, document)).toEqual({});
  });

  it('merges objects deeply and replaces everything else', () => {
    expect(mergeSchemas({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: 3 }, d: [2] })).toEqual({ a: { b: 3, c: 2 }, d: [2] });
  });
});

describe("AnyAPI's document wins where it states a value and kontext.yaml says another", () => {
  it('uses the document\'s default and range, and warns naming both values', () => {
    const { schema, warnings } = build({}, { strength: { title: 'Strength', default: 0.5, maximum: 2 } });
    expect(schema.properties.strength).toMatchObject({ default: 0.8, minimum: 0, maximum: 1 });
    expect(warnings).toContain(
      `${PATH} strength: kontext.yaml says default 0.5, AnyAPI's document says 0.8; the document wins (update kontext.yaml, or list default in its x-overrides-document with the reason)`,
    );
    expect(warnings.some((w) => w.includes('says maximum 2, AnyAPI\'s document says 1'))).toBe(true);
  });

  it("takes the document's choices, the completion's display names following their values", () => {
    const { schema, warnings } = build({}, { style: { title: 'Style', enum: ['anime', 'photo', 'oil'], 'x-enum-names': ['Anime', 'Photo', 'Oil'] } });
    expect(schema.properties.style).toMatchObject({ enum: ['photo', 'anime'], 'x-enum-names': ['Photo', 'Anime'] });
    expect(warnings.some((w) => w.startsWith(`${PATH} style: kontext.yaml says enum`))).toBe(true);
  });

  it('keeps the completion\'s value where x-overrides-document says so, and never ships the marker', () => {
    const { schema, warnings } = build({}, { style: { title: 'Style', enum: ['photo'], 'x-overrides-document': ['enum'] } });
    expect(schema.properties.style.enum).toEqual(['photo']);
    expect(schema.properties.style).not.toHaveProperty('x-overrides-document');
    expect(warnings.filter((w) => w.includes('style:'))).toEqual([]);
  });

  it('lets the completion add what the document leaves out', () => {
    const { schema, warnings } = build({}, { prompt: { title: 'Prompt', minLength: 1, default: 'a cat' } });
    expect(schema.properties.prompt).toMatchObject({ minLength: 1, default: 'a cat' });
    expect(warnings.filter((w) => w.includes('prompt:'))).toEqual([]);
  });
});
