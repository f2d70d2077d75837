// fal's queue URLs moved onto the base URL: AnyAPI's relay hands out its tickets and statuses
// as fal wrote them. Loaded with the first call (queue-work), and by the raw client.
import type { QueueTicket } from '../types.js';
import { isOptionsObject } from '../validation/check-arguments.js';

/** The host fal's tickets point at; AnyAPI's relay does not rewrite it. */
export const FAL_QUEUE_HOST = 'queue.fal.run';

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

/** The fields of fal's queue answers (the ticket, a status) that hold the job's queue URLs. */
const QUEUE_URL_FIELDS = ['response_url', 'status_url', 'cancel_url'];

/**
 * A queue answer (a ticket, a status, a status stream event, any answer the raw client reads)
 * with the queue URLs it holds moved onto `baseUrl` by `swapQueueHost`; what is not an object
 * is returned as it is.
 */
export function swapQueueUrls<Body>(body: Body, baseUrl: string): Body {
  if (!isOptionsObject(body)) return body;
  const swapped: Record<string, unknown> = { ...body };
  for (const field of QUEUE_URL_FIELDS) {
    const url = swapped[field];
    if (typeof url === 'string') swapped[field] = swapQueueHost(url, baseUrl);
  }
  // The same fields, each still a text: the body keeps its type.
  return swapped as Body;
}

/** @deprecated Use `swapQueueUrls`, which moves the URLs of a status too. */
export const swapTicketHost: (ticket: QueueTicket, baseUrl: string) => QueueTicket = swapQueueUrls;
