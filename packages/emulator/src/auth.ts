import type { IncomingMessage } from 'node:http';
import { detailReply, type JsonReply } from './http/reply.js';

/**
 * AnyAPI wants `Authorization: Bearer <key>` (fal itself uses `Key <key>`, which AnyAPI
 * refuses). The answer never repeats what was sent, so a leaked key cannot end up in logs.
 */
export function checkBearerKey(request: IncomingMessage, apiKey: string): JsonReply | undefined {
  const header = request.headers.authorization;
  if (!header) return unauthorized('Missing Authorization header: send "Authorization: Bearer <AnyAPI key>".');
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return unauthorized('Malformed Authorization header: use the Bearer scheme with your AnyAPI key.');
  if (match[1] !== apiKey) return unauthorized('Invalid API key.');
  return undefined;
}

function unauthorized(detail: string): JsonReply {
  return detailReply(401, detail, { 'www-authenticate': 'Bearer' });
}
