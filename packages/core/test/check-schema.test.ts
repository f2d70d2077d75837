import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputSchemas } from '../src/generated/input-schemas.js';
import { schemaProblems, type CheckedSchema } from '../src/validation/check-schema.js';

// The core checks inputs with its own small checker (no schema compiler in the bundle). Here it
// must agree with ajv, the reference the emulator validates with: on the same values, the same
// verdict and the same fields named, for every endpoint's schema.
const ajv = new Ajv2020({ allErrors: true, strict: true, unicode: false });
ajv.addVocabulary(['x-fal-extra', 'x-enum-names', 'x-allowed']);

/** Values near what `schema` allows (its choices, both ends of its ranges, matching texts) and anything at all. */
function valuesNear(schema: CheckedSchema): fc.Arbitrary<unknown> {
  const near: fc.Arbitrary<unknown>[] = [fc.anything(), fc.constantFrom(null, undefined, NaN, Infinity, -0, '', [], {})];
  if (schema.enum) near.push(fc.constantFrom(...schema.enum, 'other', 1));
  if (schema.type === 'integer' || schema.type === 'number') {
    const low = schema.minimum ?? -10;
    const high = schema.maximum ?? 10;
    near.push(fc.integer({ min: Math.max(low - 2, Number.MIN_SAFE_INTEGER), max: Math.min(high + 2, Number.MAX_SAFE_INTEGER) }));
    near.push(fc.double({ min: low - 1, max: high + 1 }), fc.constantFrom(low, high, low - 0.5, high + 0.5, String(low)));
  }
  if (schema.type === 'string') {
    near.push(fc.string(), fc.constantFrom('https://example.com/a.png', 'data:image/png;base64,iVBORw0KGgo=', 'photo.png', 'http://a b', ' '));
  }
  if (schema.type === 'boolean') near.push(fc.boolean(), fc.constantFrom('true', 1));
  if (schema.type === 'array' && schema.items) near.push(fc.array(valuesNear(schema.items), { maxLength: (schema.maxItems ?? 3) + 1 }));
  if (schema.type === 'object' && schema.properties) {
    const fields = Object.fromEntries(Object.entries(schema.properties).map(([name, field]) => [name, valuesNear(field)]));
    near.push(fc.record(fields, { requiredKeys: [] }));
    near.push(fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 2 })).map(([known, extra]) => ({ ...extra, ...known })));
  }
  return fc.oneof(...near);
}

const ajvFields = (errors: ErrorObject[]): string[] =>
  errors.map((error) => {
    const path = error.instancePath.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
    const name = (error.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (error.params as { additionalProperty?: string }).additionalProperty;
    return [...path, ...(name === undefined ? [] : [name])].join('/');
  });

describe('the input checker agrees with ajv', () => {
  for (const [name, schema] of Object.entries(inputSchemas)) {
    it(`on ${name}`, () => {
      const validate = ajv.compile(schema);
      fc.assert(
        fc.property(valuesNear(schema as CheckedSchema), (value) => {
          const ours = schemaProblems(schema as CheckedSchema, value);
          const valid = validate(value);
          expect(ours.length === 0).toBe(valid);
          const oursFields = ours.map(({ path, name: field }) => [...path, ...(field === undefined ? [] : [field])].join('/'));
          expect(new Set(oursFields)).toEqual(new Set(ajvFields(validate.errors ?? [])));
        }),
        { numRuns: 2000 },
      );
    });
  }
});
