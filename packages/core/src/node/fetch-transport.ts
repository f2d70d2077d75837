import type { Transport, TransportRequest, TransportResponse } from '../transport/transport.js';
import { parseBody } from '../transport/transport.js';
import { jsonBody, readJsonSharing, readText } from './large-bodies.js';
import type { RawClient } from './raw-client.js';

type UntypedRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/**
 * The default transport: the typed openapi-fetch client, used untyped here because the
 * lifecycle has already filled the path in. `redact` scrubs anything that must not leak
 * (the key) from bodies before they can reach an error message.
 */
export function createFetchTransport(raw: RawClient, redact: (text: string) => string): Transport {
  const request = raw.request as unknown as UntypedRequest;
  const init = (req: TransportRequest, parseAs: 'text' | 'stream') => ({
    ...(req.query ? { params: { query: req.query } } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.headers ? { headers: req.headers } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    parseAs,
  });

  return {
    async send(req): Promise<TransportResponse> {
      const { data, error, response } = await request(req.method.toLowerCase(), req.path, {
        ...init(req, 'stream'),
        ...(req.body !== undefined ? bodyInit(req) : {}),
      });
      // A large result (AnyAPI echoes a data URL back) is decoded as it arrives: see large-bodies.ts.
      const stream = data as ReadableStream<Uint8Array> | null;
      if (response.ok && req.echoes?.length) {
        return { status: response.status, headers: headersOf(response), body: await readJsonSharing(stream, req.echoes) };
      }
      const payload = response.ok ? await readText(stream) : error;
      const body = typeof payload === 'string' ? parseBody(redact(payload)) : redactDeep(payload, redact);
      return { status: response.status, headers: headersOf(response), body };
    },
    async openEventStream(req) {
      const { data, response } = await request('get', req.path, init(req, 'stream'));
      const stream = response.ok ? (data as ReadableStream<Uint8Array> | null) : null;
      return {
        status: response.status,
        headers: headersOf(response),
        chunks: stream ?? emptyChunks(),
        close: () => {
          stream?.cancel().catch(() => undefined);
        },
      };
    },
  };
}

/** The body already serialized, streamed with its length when it holds long strings. */
function bodyInit(req: TransportRequest): Record<string, unknown> {
  const body = jsonBody(req.body);
  const keep = (serialized: unknown) => serialized;
  if (typeof body === 'string') return { body, bodySerializer: keep };
  return {
    body: body.stream,
    bodySerializer: keep,
    duplex: 'half',
    headers: { ...req.headers, 'content-length': String(body.length) },
  };
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return headers;
}

function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(redact(JSON.stringify(value)));
}

async function* emptyChunks(): AsyncGenerator<Uint8Array> {}
