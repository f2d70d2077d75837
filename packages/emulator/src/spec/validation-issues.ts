import type { ErrorObject } from 'ajv';

/** One entry of fal's (FastAPI/pydantic) 422 body: `{detail: [issue, ...]}`. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  ctx?: Record<string, unknown>;
  input?: unknown;
}

/** Inputs longer than this (data URLs) are not echoed back in `input`. */
const MAX_ECHOED_INPUT = 500;

/**
 * Turns ajv's errors into the issues fal answers, with pydantic v2's types and messages,
 * one per field (the first error found for it).
 */
export function toValidationIssues(errors: ErrorObject[], body: unknown): ValidationIssue[] {
  const byLocation = new Map<string, ValidationIssue>();
  for (const error of errors) {
    const issue = toIssue(error, body);
    const key = JSON.stringify(issue.loc);
    if (!byLocation.has(key)) byLocation.set(key, issue);
  }
  return [...byLocation.values()];
}

function toIssue(error: ErrorObject, body: unknown): ValidationIssue {
  // pydantic names list items by their index, a number: ["body", "image_urls", 1].
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map(unescapePointer)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { loc: ['body', ...path, String(params.missingProperty)], msg: 'Field required', type: 'missing', input: valueAt(body, path) };
  }
  if (error.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    return { loc: ['body', ...path, field], msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: echo(valueAt(body, [...path, field])) };
  }
  const input = echo(valueAt(body, path));
  const loc = ['body', ...path];
  const described = describe(error, params, path.length === 0);
  return { loc, ...described, ...(input === undefined ? {} : { input }) };
}

function describe(
  error: ErrorObject,
  params: Record<string, unknown>,
  isRoot: boolean,
): { msg: string; type: string; ctx?: Record<string, unknown> } {
  switch (error.keyword) {
    case 'type':
      return typeIssue(String(params.type), isRoot);
    case 'minimum':
      return { msg: `Input should be greater than or equal to ${params.limit}`, type: 'greater_than_equal', ctx: { ge: params.limit } };
    case 'maximum':
      return { msg: `Input should be less than or equal to ${params.limit}`, type: 'less_than_equal', ctx: { le: params.limit } };
    case 'exclusiveMinimum':
      return { msg: `Input should be greater than ${params.limit}`, type: 'greater_than', ctx: { gt: params.limit } };
    case 'exclusiveMaximum':
      return { msg: `Input should be less than ${params.limit}`, type: 'less_than', ctx: { lt: params.limit } };
    case 'minLength':
      return { msg: `String should have at least ${params.limit} character${params.limit === 1 ? '' : 's'}`, type: 'string_too_short', ctx: { min_length: params.limit } };
    case 'maxLength':
      return { msg: `String should have at most ${params.limit} characters`, type: 'string_too_long', ctx: { max_length: params.limit } };
    case 'pattern':
      return { msg: `String should match pattern '${params.pattern}'`, type: 'string_pattern_mismatch', ctx: { pattern: params.pattern } };
    case 'enum': {
      const expected = literalList(params.allowedValues as unknown[]);
      return { msg: `Input should be ${expected}`, type: 'literal_error', ctx: { expected } };
    }
    case 'const': {
      const expected = literalList([params.allowedValue]);
      return { msg: `Input should be ${expected}`, type: 'literal_error', ctx: { expected } };
    }
    default:
      return { msg: error.message ?? 'Invalid value', type: 'value_error' };
  }
}

function typeIssue(expected: string, isRoot: boolean): { msg: string; type: string } {
  if (isRoot) return { msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type' };
  const first = expected.split(',')[0];
  switch (first) {
    case 'integer':
      return { msg: 'Input should be a valid integer', type: 'int_type' };
    case 'number':
      return { msg: 'Input should be a valid number', type: 'float_type' };
    case 'string':
      return { msg: 'Input should be a valid string', type: 'string_type' };
    case 'boolean':
      return { msg: 'Input should be a valid boolean', type: 'bool_type' };
    case 'array':
      return { msg: 'Input should be a valid list', type: 'list_type' };
    default:
      return { msg: 'Input should be a valid dictionary', type: 'dict_type' };
  }
}

function literalList(values: unknown[]): string {
  const quoted = values.map((value) => (typeof value === 'string' ? `'${value}'` : String(value)));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

function valueAt(body: unknown, path: (string | number)[]): unknown {
  let value: unknown = body;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function echo(value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_ECHOED_INPUT) return undefined;
  return value;
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}
