import type { ServerResponse } from 'node:http';

/**
 * What a route answers, as data. Routes return a Reply instead of writing to the socket so
 * the server can still decide to drop the answer (the `after-accept` fault).
 */
export type Reply = JsonReply | BytesReply | StreamReply;

export interface JsonReply {
  kind: 'json';
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface BytesReply {
  kind: 'bytes';
  status: number;
  body: Uint8Array;
  contentType: string;
  headers?: Record<string, string>;
}

/** A long-lived answer (the status event stream) that takes over the response itself. */
export interface StreamReply {
  kind: 'stream';
  open(response: ServerResponse): void;
}

export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): JsonReply {
  return headers ? { kind: 'json', status, body, headers } : { kind: 'json', status, body };
}

/** fal's plain error body: `{detail: "text"}`. */
export function detailReply(status: number, detail: string, headers?: Record<string, string>): JsonReply {
  return jsonReply(status, { detail }, headers);
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  if (reply.kind === 'stream') {
    reply.open(response);
    return;
  }
  const isJson = reply.kind === 'json';
  const payload = isJson ? Buffer.from(JSON.stringify(reply.body)) : reply.body;
  response.writeHead(reply.status, {
    ...reply.headers,
    'content-type': isJson ? 'application/json' : reply.contentType,
    'content-length': String(payload.byteLength),
  });
  response.end(payload);
}
