import { type FieldError, InputError } from '../errors.js';
import { defaultEndpoint, submitEndpoints } from '../generated/endpoints.js';
import { inputSchemas } from '../generated/input-schemas.js';
import type { AnyModelPath, InputFor, SubmitPath } from '../types.js';
import { argumentProblem, isOptionsObject } from './check-arguments.js';
import { assertEndpoint, isSubmitPath } from './endpoint.js';
import { schemaProblems, type CheckedSchema, type SchemaProblem } from './check-schema.js';
import { describeAllowed, showValue } from './describe-allowed.js';
import { dataUrlImageErrors } from '../images/image-check.js';

/**
 * Validates a submit body against the spec's schema for `endpoint`, before anything is sent.
 * Every problem is reported at once, each naming its field and what the field allows.
 */
export function validateInput<P extends SubmitPath = typeof defaultEndpoint>(
  input: unknown,
  endpoint: P = defaultEndpoint as P,
): InputFor<P> {
  assertEndpoint(endpoint);
  const schema = inputSchemas[submitEndpoints[endpoint].inputSchema] as CheckedSchema;
  let problems: SchemaProblem[];
  try {
    problems = schemaProblems(schema, input);
  } catch {
    // A Proxy or a getter that throws: nothing we could send.
    throw new InputError([{ field: 'input', message: `input must be a plain object with the fields ${fieldList(schema)}` }]);
  }
  if (problems.length === 0) {
    // Image data URLs: their type and the 20 MB / 20 MP limits, read from their headers.
    const imageErrors = dataUrlImageErrors(imageValues(input as Record<string, unknown>, submitEndpoints[endpoint].imageInput));
    if (imageErrors.length > 0) throw new InputError(imageErrors);
    return input as InputFor<P>;
  }
  const seen = new Set<string>();
  const fieldErrors: FieldError[] = [];
  for (const problem of problems) {
    const fieldError = describe(problem, input, schema);
    // A field can break several rules (type and range); the first says it all.
    if (seen.has(fieldError.field)) continue;
    seen.add(fieldError.field);
    fieldErrors.push(fieldError);
  }
  throw new InputError(fieldErrors);
}

/**
 * The body of `submitAny`/`runAny`: checked against the spec's schema when the spec lists the
 * path (its rules still hold), else only to be a JSON object: an unlisted model's fields are
 * the service's to check, and its answer names them.
 */
export function validateAnyInput(input: unknown, path: SubmitPath | AnyModelPath): Record<string, unknown> {
  if (isSubmitPath(path)) return validateInput<SubmitPath>(input, path);
  if (!isOptionsObject(input)) {
    throw new InputError([argumentProblem('input', `an object of the fields of ${path}`, input)]);
  }
  return input;
}

function describe({ path, kind, name = 'input' }: SchemaProblem, input: unknown, schema: CheckedSchema): FieldError {
  const at = schemaAt(schema, path);
  if (kind === 'required') {
    const field = fieldName([...path, name]);
    const fieldSchema = at?.properties?.[name];
    return { field, message: `${field} is required: ${fieldSchema ? describeAllowed(fieldSchema) : 'a valid value'}` };
  }
  if (kind === 'extra') {
    const field = fieldName([...path, name]);
    if (path.length === 0) return { field, message: `${field} is not an input of this endpoint; the inputs are ${fieldList(at)}` };
    return { field, message: `${field} is not a field of ${fieldName(path)}; its fields are ${fieldList(at)}` };
  }
  if (path.length === 0) return { field: 'input', message: `input must be an object with the fields ${fieldList(schema)}` };
  const field = fieldName(path);
  const allowed = at ? describeAllowed(at) : 'a valid value';
  return { field, message: `${field} must be ${allowed} (got ${showValue(valueAt(input, path))})` };
}

const fieldList = (schema: CheckedSchema | undefined): string => Object.keys(schema?.properties ?? {}).join(', ');

/** `image_size.width`, `image_urls[1]`: how a person writes where a nested value is. */
function fieldName(path: readonly string[]): string {
  return path.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '');
}

/** The schema of the value at `path`, through objects' properties and lists' items. */
function schemaAt(schema: CheckedSchema, path: readonly string[]): CheckedSchema | undefined {
  let current: CheckedSchema | undefined = schema;
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

/** The image inputs of a valid body, each with the name of its field (`image_urls[1]`). */
function imageValues(input: Record<string, unknown>, imageInput: string): [string, unknown][] {
  if (imageInput === 'single') return [['image_url', input.image_url]];
  if (imageInput === 'multiple' && Array.isArray(input.image_urls)) return input.image_urls.map((url, i): [string, unknown] => [`image_urls[${i}]`, url]);
  return [];
}
