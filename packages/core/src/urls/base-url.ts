import { InputError } from '../errors.js';
import { describeGot, parseUrl } from '../validation/check-arguments.js';

/** Where AnyAPI serves its API, and where fal's queue URLs are moved to (host-swap.ts). */
export const DEFAULT_BASE_URL = 'https://www.anyapi.vip';

/**
 * Checks a base URL and drops its trailing slashes. Throws InputError naming `field` (the
 * option, or the environment variable it came from) and what is wrong, without quoting the
 * value: a key pasted into the wrong place must not end up in a log.
 */
export function normalizeBaseUrl(baseUrl: unknown, field = 'baseUrl'): string {
  const problem = baseUrlProblem(baseUrl);
  if (problem) {
    throw new InputError([{ field, message: `${field} must be an http(s) URL such as ${DEFAULT_BASE_URL} (${problem})` }]);
  }
  return (baseUrl as string).replace(/\/+$/, '');
}

function baseUrlProblem(baseUrl: unknown): string | undefined {
  if (typeof baseUrl !== 'string') return `got ${describeGot(baseUrl)}`;
  if (baseUrl.trim() === '') return 'got an empty text';
  if (/[\s\p{Cc}]/u.test(baseUrl)) return 'it has spaces or control characters';
  const parsed = parseUrl(baseUrl);
  if (!parsed) return 'it is not a URL';
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'its scheme is not http or https';
  if (parsed.hostname === '') return 'it has no host';
  if (parsed.username || parsed.password) return 'it holds a user name or password; the key goes in apiKey';
  if (parsed.search || parsed.hash || baseUrl.includes('?') || baseUrl.includes('#')) return 'it has a query or a fragment';
  return undefined;
}
