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
  if (error.instancePath === '') {
    if (error.keyword === 'required') {
      const field = error.params.missingProperty ?? 'input';
      return { field, message: `${field} is required: ${allowedFor(schema, field)}` };
    }
    if (error.keyword === 'additionalProperties') {
      const field = error.params.additionalProperty ?? 'input';
      const known = Object.keys(schema.properties).join(', ');
      return { field, message: `${field} is not an input of this endpoint; the inputs are ${known}` };
    }
    return { field: 'input', message: `input must be an object with the fields ${Object.keys(schema.properties).join(', ')}` };
  }
  const field = error.instancePath.slice(1).split('/')[0] ?? 'input';
  const value = (input as Record<string, unknown>)[field];
  return { field, message: `${field} must be ${allowedFor(schema, field)} (got ${showValue(value)})` };
}

function allowedFor(schema: InputSchema, field: string): string {
  const fieldSchema = schema.properties[field];
  return fieldSchema ? describeAllowed(fieldSchema) : 'a valid value';
}
