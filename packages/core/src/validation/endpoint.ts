import { InputError } from '../errors.js';
import { submitEndpoints } from '../generated/endpoints.js';
import type { SubmitPath } from '../types.js';
import type { ArgumentRule } from './check-arguments.js';
import { showValue } from './describe-allowed.js';

/** The rule for an `endpoint` option: one of the spec's submit paths. */
export const endpointRule: ArgumentRule = {
  allowed: `one of ${Object.keys(submitEndpoints).join(', ')}`,
  test: (value) => typeof value === 'string' && Object.hasOwn(submitEndpoints, value),
};

/** Checks that `endpoint` is one AnyAPI documents; throws InputError naming the allowed ones. */
export function assertEndpoint(endpoint: unknown): asserts endpoint is SubmitPath {
  if (!endpointRule.test(endpoint)) {
    throw new InputError([{ field: 'endpoint', message: `endpoint must be ${endpointRule.allowed} (got ${showValue(endpoint)})` }]);
  }
}
