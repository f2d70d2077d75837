import { InputError } from '../errors.js';
import { describeGot, parseUrl } from '../validation/check-arguments.js';
import type { QueueTicket } from '../types.js';

/** The host fal's tickets point at; AnyAPI's relay does not rewrite it. */
export const FAL_QUEUE_HOST = 'queue.fal.run';
export const DEFAULT_BASE_URL = 'https://www.anyapi.vip';

/** Moves a URL on fal's queue host onto `baseUrl`; other URLs are returned as they are. */
export function swapQueueHost(url: string, baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.hostname !== FAL_QUEUE_HOST) return url;
  return `${baseUrl}${parsed.pathname}${parsed.search}`;
}

export function swapTicketHost(ticket: QueueTicket, baseUrl: string): QueueTicket {
  return {
    ...ticket,
    response_url: swapQueueHost(ticket.response_url, baseUrl),
    status_url: swapQueueHost(ticket.status_url, baseUrl),
    cancel_url: swapQueueHost(ticket.cancel_url, baseUrl),
  };
}

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
