import { isOptionsObject } from './check-arguments.js';
import type { FieldSchema } from './describe-allowed.js';

/**
 * The JSON-schema keywords this checker enforces. The spec's input schemas use only these (and
 * annotations such as `title`); `pnpm generate` refuses a schema with any other keyword, so a
 * new AnyAPI document can never be checked less strictly than it says.
 * Keep in step with VALIDATED_KEYWORDS in scripts/generate.mjs.
 */
export interface CheckedSchema extends FieldSchema {
  maxLength?: number;
  additionalProperties?: boolean;
  items?: CheckedSchema;
  properties?: Readonly<Record<string, CheckedSchema>>;
}

/** One problem: where (a path of keys and list indexes), and what kind. */
export interface SchemaProblem {
  path: string[];
  /** `required` and `extra` name a field of the object at `path`; `value` is the value at `path`. */
  kind: 'required' | 'extra' | 'value';
  name?: string;
}

/**
 * Every problem of `value` against `schema`, as ajv (allErrors, UTF-16 lengths) would report it:
 * an object's missing fields, then its unknown ones, then each field's own problems.
 */
export function schemaProblems(schema: CheckedSchema, value: unknown, path: string[] = []): SchemaProblem[] {
  if (!matchesType(schema.type, value)) return [{ path, kind: 'value' }];
  const problems: SchemaProblem[] = [];
  if (schema.enum && !schema.enum.includes(value)) problems.push({ path, kind: 'value' });
  else if (typeof value === 'number' && outOfRange(schema, value)) problems.push({ path, kind: 'value' });
  else if (typeof value === 'string' && !textFits(schema, value)) problems.push({ path, kind: 'value' });
  if (Array.isArray(value)) {
    const { minItems = 0, maxItems = Infinity } = schema;
    if (value.length < minItems || value.length > maxItems) problems.push({ path, kind: 'value' });
    if (schema.items) value.forEach((item, index) => problems.push(...schemaProblems(schema.items!, item, [...path, String(index)])));
  } else if (isOptionsObject(value)) {
    const record = value;
    const properties = schema.properties ?? {};
    for (const name of schema.required ?? []) if (record[name] === undefined) problems.push({ path, kind: 'required', name });
    if (schema.additionalProperties === false) {
      // for...in, like ajv: an inherited enumerable key is an unknown field too.
      for (const name in record) if (!Object.hasOwn(properties, name)) problems.push({ path, kind: 'extra', name });
    }
    for (const [name, fieldSchema] of Object.entries(properties)) {
      if (record[name] !== undefined) problems.push(...schemaProblems(fieldSchema, record[name], [...path, name]));
    }
  }
  return problems;
}

function matchesType(type: FieldSchema['type'], value: unknown): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isOptionsObject(value);
    default:
      return typeof type === 'string' ? typeof value === type : type.some((one) => matchesType(one, value));
  }
}

function outOfRange({ minimum = -Infinity, maximum = Infinity }: CheckedSchema, value: number): boolean {
  return !(value >= minimum && value <= maximum);
}

const patterns = new Map<string, RegExp>();

function textFits({ minLength = 0, maxLength = Infinity, pattern }: CheckedSchema, text: string): boolean {
  if (text.length < minLength || text.length > maxLength) return false;
  if (pattern === undefined) return true;
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex.test(text);
}
