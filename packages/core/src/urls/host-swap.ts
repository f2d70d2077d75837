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

/** Checks a base URL and drops its trailing slashes. */
export function normalizeBaseUrl(baseUrl: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(baseUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new TypeError(`baseUrl must be an http(s) URL such as ${DEFAULT_BASE_URL} (got ${JSON.stringify(baseUrl)})`);
  }
  return baseUrl.replace(/\/+$/, '');
}
