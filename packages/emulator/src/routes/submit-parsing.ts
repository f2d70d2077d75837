import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBody, type BodyLimits } from '../http/read-body.js';
import { detailReply, jsonReply, type JsonReply } from '../http/reply.js';
import type { ValidationIssue } from '../spec/validation-issues.js';

/** fal's 422 body for a list of field problems. */
export function unprocessable(issues: ValidationIssue[], headers?: Record<string, string>): JsonReply {
  return jsonReply(422, { detail: issues }, headers);
}

/** `?fal_webhook=<url>`: where to POST the outcome. Must be an absolute http(s) URL. */
export function parseWebhookUrl(url: URL): { ok: true; value: string | undefined } | { ok: false; reply: JsonReply } {
  const value = url.searchParams.get('fal_webhook');
  if (value === null) return { ok: true, value: undefined };
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) return { ok: true, value };
  return {
    ok: false,
    reply: unprocessable([{ loc: ['query', 'fal_webhook'], msg: 'Input should be a valid URL', type: 'url_parsing', input: value }]),
  };
}

/** `x-fal-request-timeout: <seconds>`: the caller's deadline for the whole job. */
export function parseRequestTimeout(
  request: IncomingMessage,
): { ok: true; value: number | undefined } | { ok: false; reply: JsonReply } {
  const raw = request.headers['x-fal-request-timeout'];
  if (raw === undefined) return { ok: true, value: undefined };
  const text = Array.isArray(raw) ? (raw[0] ?? '') : raw;
  const seconds = Number(text);
  if (Number.isInteger(seconds) && seconds >= 1) return { ok: true, value: seconds };
  return {
    ok: false,
    reply: unprocessable([
      { loc: ['header', 'x-fal-request-timeout'], msg: 'Input should be an integer of at least 1', type: 'int_parsing', input: text },
    ]),
  };
}

/** The JSON body, or the answer FastAPI gives for a missing, oversized or malformed one. */
export async function parseJsonBody(
  request: IncomingMessage,
  limits: BodyLimits,
): Promise<{ ok: true; value: unknown } | { ok: false; reply: JsonReply }> {
  let text: string;
  try {
    text = await readBody(request, limits);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { ok: false, reply: detailReply(413, error.message) };
    throw error;
  }
  if (text.trim() === '') {
    return { ok: false, reply: unprocessable([{ loc: ['body'], msg: 'Field required', type: 'missing', input: null }]) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid JSON';
    return {
      ok: false,
      reply: unprocessable([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid', ctx: { error: reason } }]),
    };
  }
}
