// The options createKontextClient and createRawClient share, checked in one place. Apart from
// the client itself, so that the raw client (`@anyapi-kontext/core/fetch`) does not load the
// queue lifecycle.
import { type FieldError, InputError } from '../errors.js';
import type { RetryPolicy } from '../retry-policy.js';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../urls/base-url.js';
import { apiKeyMessage, apiKeyProblem } from '../validation/api-key.js';
import { readOptions, throwIfProblems } from '../validation/check-arguments.js';

export interface KontextClientOptions {
  /** Your AnyAPI key; sent as a bearer token and never shown in errors. Default: `ANYAPI_API_KEY`. */
  apiKey?: string;
  /** Default: `ANYAPI_BASE_URL`, else https://www.anyapi.vip. */
  baseUrl?: string;
  /**
   * A fetch to send with. Default: the global fetch, through the proxy that HTTPS_PROXY,
   * HTTP_PROXY and NO_PROXY name, as curl reads them.
   */
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Milliseconds one request attempt may take; default 120 000, `Infinity` for no limit. */
  requestTimeout?: number;
}

const anything = { allowed: 'anything', test: () => true };
const OPTION_RULES = {
  apiKey: anything,
  baseUrl: anything,
  fetch: { allowed: 'a fetch function', test: (value: unknown) => typeof value === 'function' },
  retry: anything,
  requestTimeout: anything,
};

/**
 * The options of createKontextClient and createRawClient, checked, with the key and the base
 * URL read from the environment when they are not given.
 */
export function readClientOptions(options: KontextClientOptions): KontextClientOptions & { apiKey: string; baseUrl: string } {
  if (typeof options === 'string') {
    // Most likely the key itself, passed where the options go: never quote it.
    throw new InputError([{ field: 'options', message: 'options must be an object such as { apiKey, baseUrl } (got a text; pass the key as { apiKey })' }]);
  }
  const problems: FieldError[] = [];
  const given = readOptions('options', options, OPTION_RULES, problems) as KontextClientOptions;
  throwIfProblems(problems);
  const fromEnvironment = given.apiKey === undefined;
  const apiKey = given.apiKey ?? process.env.ANYAPI_API_KEY;
  if (apiKey === undefined || (typeof apiKey === 'string' && apiKey.trim() === '')) {
    throw new InputError([
      { field: 'apiKey', message: 'apiKey is required: pass your AnyAPI key, or set the ANYAPI_API_KEY environment variable' },
    ]);
  }
  const keyProblem = apiKeyProblem(apiKey);
  if (keyProblem) {
    const field = fromEnvironment ? 'ANYAPI_API_KEY' : 'apiKey';
    throw new InputError([{ field, message: apiKeyMessage(field, keyProblem) }]);
  }
  const baseUrl =
    given.baseUrl !== undefined
      ? normalizeBaseUrl(given.baseUrl)
      : normalizeBaseUrl(process.env.ANYAPI_BASE_URL?.trim() || DEFAULT_BASE_URL, 'ANYAPI_BASE_URL');
  return { ...given, apiKey: apiKey.trim(), baseUrl };
}
