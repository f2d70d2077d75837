import { InputError } from '../errors/lifecycle-errors.js';
import type { FieldError } from '../errors/kontext-error.js';
import { defaultEndpoint, submitEndpoints } from '../generated/endpoints.js';
import { inputSchemas } from '../generated/input-schemas.js';
import * as validators from '../generated/validators.js';
import type { InputFor, SubmitPath } from '../types.js';
import { describeAllowed, showValue, type FieldSchema } from './describe-allowed.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; additionalProperty?: string };
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
type InputSchema = { properties: Record<string, FieldSchema> };

/** Checks that `endpoint` is one AnyAPI documents; throws InputError naming the allowed ones. */
export function assertEndpoint(endpoint: unknown): asserts endpoint is SubmitPath {
  if (typeof endpoint !== 'string' || !Object.hasOwn(submitEndpoints, endpoint)) {
    const allowed = Object.keys(submitEndpoints).join(', ');
    throw new InputError([{ field: 'endpoint', message: `endpoint must be one of ${allowed} (got ${showValue(endpoint)})` }]);
  }
}

/**
 * Validates a submit body against the spec's schema for `endpoint`, before anything is sent.
 * Every problem is reported at once, each naming its field and what the field allows.
 */
export function validateInput<P extends SubmitPath = typeof defaultEndpoint>(
  input: unknown,
  endpoint: P = defaultEndpoint as P,
): InputFor<P> {
  assertEndpoint(endpoint);
  const schemaName = submitEndpoints[endpoint].inputSchema;
  const validate = validators[schemaName] as Validator;
  let valid: boolean;
  try {
    valid = validate(input);
  } catch {
    // A Proxy or a getter that throws: nothing we could send.
    throw new InputError([{ field: 'input', message: `input must be a plain object with the fields ${Object.keys(inputSchemas[schemaName].properties).join(', ')}` }]);
  }
  if (valid) return input as InputFor<P>;
  const schema = inputSchemas[schemaName] as unknown as InputSchema;
  throw new InputError(fieldErrorsFrom(validate.errors ?? [], input, schema));
}

function fieldErrorsFrom(errors: AjvError[], input: unknown, schema: InputSchema): FieldError[] {
  const seen = new Set<string>();
  const fieldErrors: FieldError[] = [];
  for (const error of errors) {
    const fieldError = describe(error, input, schema);
    // ajv reports some fields twice (type and range); the first says it all.
    if (seen.has(fieldError.field)) continue;
    seen.add(fieldError.field);
    fieldErrors.push(fieldError);
  }
  return fieldErrors;
}

function describe(error: AjvError, input: unknown, schema: InputSchema): FieldError {
  const path = error.instancePath.split('/').slice(1).map(unescapePointer);
  const at = schemaAt(schema, path);
  if (error.keyword === 'required' || error.keyword === 'additionalProperties') {
    const name = error.params.missingProperty ?? error.params.additionalProperty ?? 'input';
    const field = fieldName([...path, name]);
    const fields = Object.keys(at?.properties ?? {}).join(', ');
    if (error.keyword === 'required') {
      const fieldSchema = at?.properties?.[name];
      return { field, message: `${field} is required: ${fieldSchema ? describeAllowed(fieldSchema) : 'a valid value'}` };
    }
    if (path.length === 0) return { field, message: `${field} is not an input of this endpoint; the inputs are ${fields}` };
    return { field, message: `${field} is not a field of ${fieldName(path)}; its fields are ${fields}` };
  }
  if (path.length === 0) {
    return { field: 'input', message: `input must be an object with the fields ${Object.keys(schema.properties).join(', ')}` };
  }
  const field = fieldName(path);
  const allowed = at ? describeAllowed(at) : 'a valid value';
  return { field, message: `${field} must be ${allowed} (got ${showValue(valueAt(input, path))})` };
}

/** `image_size.width`, `image_urls[1]`: how a person writes where a nested value is. */
function fieldName(path: readonly string[]): string {
  return path.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '');
}

/** The schema of the value at `path`, through objects' properties and lists' items. */
function schemaAt(schema: FieldSchema, path: readonly string[]): FieldSchema | undefined {
  let current: FieldSchema | undefined = schema;
  for (const segment of path) {
    if (!current) return undefined;
    current = /^\d+$/.test(segment) && current.items ? current.items : current.properties?.[segment];
  }
  return current;
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}
