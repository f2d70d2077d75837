import { type FieldError, InputError } from '../errors.js';

/**
 * Checks of the arguments plain JavaScript callers (and n8n expressions) can get wrong, run by
 * every public call before it sends anything. A bad argument is an InputError naming it and
 * what it allows; secrets are never shown (callers check those with their own words).
 */
export interface ArgumentRule {
  /** What the argument allows, in words: "a number of milliseconds above 0". */
  allowed: string;
  test(value: unknown): boolean;
}

const isMilliseconds = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export const rules = {
  signal: { allowed: 'an AbortSignal', test: isAbortSignal },
  callback: { allowed: 'a function', test: (value) => typeof value === 'function' },
  boolean: { allowed: 'true or false', test: (value) => typeof value === 'boolean' },
  positiveMs: { allowed: 'a number of milliseconds above 0', test: (value) => isMilliseconds(value) && value > 0 },
  nonNegativeMs: { allowed: 'a number of milliseconds, 0 or more', test: (value) => isMilliseconds(value) && value >= 0 },
  httpUrl: { allowed: 'an http(s) URL', test: isHttpUrl },
  nonEmptyText: { allowed: 'a non-empty text', test: (value) => typeof value === 'string' && value.trim() !== '' },
} satisfies Record<string, ArgumentRule>;

/** True for an AbortSignal from any realm (n8n and test runners may bring their own). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal) return true;
  if (typeof value !== 'object' || value === null) return false;
  const signal = value as Partial<AbortSignal>;
  return (
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function'
  );
}

/** An absolute http: or https: URL with a host and nothing a browser would have to guess. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || /[\s\p{Cc}]/u.test(value)) return false;
  const parsed = parseUrl(value);
  return parsed !== undefined && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
}

export function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Says what a caller passed, short: `5`, `"soon"`, `null`, `an object`. Never throws, whatever
 * the value (a Proxy, an object without a prototype, a getter that throws).
 */
export function describeGot(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'string':
      return shorten(JSON.stringify(value));
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${shorten(String(value))}n`;
    case 'boolean':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      try {
        return Array.isArray(value) ? 'an array' : 'an object';
      } catch {
        return 'an object'; // a revoked Proxy throws even on Array.isArray
      }
  }
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The one wording of a wrong argument: `<field> must be <allowed> (got <what was passed>)`. */
export function argumentProblem(field: string, allowed: string, value: unknown): FieldError {
  return { field, message: `${field} must be ${allowed} (got ${describeGot(value)})` };
}

/** A problem with `field`, or undefined when `value` is undefined (left out) or allowed. */
export function checkArgument(field: string, value: unknown, rule: ArgumentRule): FieldError | undefined {
  if (value === undefined || rule.test(value)) return undefined;
  return argumentProblem(field, rule.allowed, value);
}

/**
 * True for what can hold options or fields (options, an input, a JSON answer): an object that is
 * not an array or a function.
 */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Reads the named options out of `options` (undefined: all left out), checking each against
 * its rule. Returns the values read, so a getter is read once and what was checked is what is
 * used. Problems are added to `problems`.
 */
export function readOptions<K extends string>(
  name: string,
  options: unknown,
  optionRules: Record<K, ArgumentRule>,
  problems: FieldError[],
): Partial<Record<K, unknown>> {
  if (options === undefined) return {};
  if (!isOptionsObject(options)) {
    problems.push(argumentProblem(name, 'an object of options', options));
    return {};
  }
  const values: Partial<Record<K, unknown>> = {};
  for (const key of Object.keys(optionRules) as K[]) {
    let value: unknown;
    try {
      value = options[key];
    } catch {
      problems.push({ field: key, message: `${key} could not be read from ${name}` });
      continue;
    }
    const problem = checkArgument(key, value, optionRules[key]);
    if (problem) problems.push(problem);
    else if (value !== undefined) values[key] = value;
  }
  return values;
}

export function throwIfProblems(problems: readonly FieldError[]): void {
  if (problems.length > 0) throw new InputError([...problems]);
}
