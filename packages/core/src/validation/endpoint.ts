import { InputError } from '../errors.js';
import { submitEndpoints } from '../generated/endpoints.js';
import type { AnyModelPath, SubmitPath } from '../types.js';
import type { ArgumentRule } from './check-arguments.js';
import { showValue } from './describe-allowed.js';

/** The rule for an `endpoint` option: one of the spec's submit paths. */
export const endpointRule: ArgumentRule = {
  allowed: `one of ${Object.keys(submitEndpoints).join(', ')}`,
  test: (value) => isSubmitPath(value),
};

/** True for a path the spec lists (its input is typed and checked). */
export function isSubmitPath(value: unknown): value is SubmitPath {
  return typeof value === 'string' && Object.hasOwn(submitEndpoints, value);
}

// fal's app ids and model paths: lower- and upper-case letters, digits, `.`, `_` and `-` between
// slashes, each segment starting with a letter or digit (so no `..`), no query or fragment.
const MODEL_PATH = /^(?:\/[A-Za-z0-9][A-Za-z0-9._-]*){2,}$/;
const MODEL_PATH_MAX = 256;

/** The rule for `submitAny`/`runAny`'s path: any fal-queue model path, `/owner/app[/sub...]`. */
export const modelPathRule: ArgumentRule = {
  allowed:
    'a fal-queue model path /owner/app or /owner/app/sub..., e.g. /fal-ai/flux-pro/kontext (letters, digits, ".", "_" and "-" between the slashes, at most 256 characters)',
  test: (value) => isModelPath(value),
};

export function isModelPath(value: unknown): value is AnyModelPath {
  return typeof value === 'string' && value.length <= MODEL_PATH_MAX && MODEL_PATH.test(value);
}

/**
 * The app (owner/alias) whose queue runs a model path's jobs: the spec's for a listed path,
 * else the first two segments, as fal does (`/fal-ai/nano-banana/edit` runs on `fal-ai/nano-banana`).
 */
export function appOfPath(path: SubmitPath | AnyModelPath): string {
  if (isSubmitPath(path)) return submitEndpoints[path].app;
  const [owner, alias] = path.split('/').slice(1);
  return `${owner}/${alias}`;
}

/** Checks that `endpoint` is one AnyAPI documents; throws InputError naming the allowed ones. */
export function assertEndpoint(endpoint: unknown): asserts endpoint is SubmitPath {
  if (!endpointRule.test(endpoint)) {
    throw new InputError([{ field: 'endpoint', message: `endpoint must be ${endpointRule.allowed} (got ${showValue(endpoint)})` }]);
  }
}
