import { InputError } from '../errors.js';
import type { Transport, TransportRequest, TransportResponse } from '../transport/transport.js';
import { parseBody } from '../transport/transport.js';
import { normalizeBaseUrl } from '../urls/base-url.js';
import { apiKeyMessage, apiKeyProblem } from '../validation/api-key.js';
import type * as LargeBodies from './large-bodies.js';
import type { JsonBody } from './large-bodies.js';
import type * as ProxyFetch from './proxy-fetch.js';

export interface FetchTransportOptions {
  apiKey: string;
  baseUrl: string;
  /**
   * A fetch to send with. Default: the global fetch, through the proxy that HTTPS_PROXY,
   * HTTP_PROXY and NO_PROXY name (see proxy-fetch.ts).
   */
  fetch?: typeof fetch;
}

const REDACTED = '[redacted]';

/** The body helpers load with the first request, once: see large-bodies.ts for why they exist. */
let largeBodies: Promise<typeof LargeBodies> | undefined;
const loadLargeBodies = () => (largeBodies ??= import('./large-bodies.js'));
/** So is the proxy choice: what `import` loads stays small for the many who set no proxy. */
let proxyFetch: Promise<typeof ProxyFetch> | undefined;
const loadProxyFetch = () => (proxyFetch ??= import('./proxy-fetch.js'));

/**
 * The default transport: the platform's fetch (through the environment's proxy) with AnyAPI's
 * bearer auth. The key is checked first and sent trimmed; it is scrubbed from answer bodies
 * before they can reach an error message (a server may echo it).
 */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const problem = apiKeyProblem(options.apiKey);
  if (problem) throw new InputError([{ field: 'apiKey', message: apiKeyMessage('apiKey', problem) }]);
  const apiKey = options.apiKey.trim();
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  // The environment's proxy is read at the first request (a bad proxy variable fails it, and
  // every later one, before anything is sent).
  let environmentFetch: Promise<typeof fetch> | undefined;
  const send =
    options.fetch ??
    (async (request: Request) => (await (environmentFetch ??= loadProxyFetch().then((module) => module.environmentFetch())))(request));
  const redact = (text: string) => text.split(apiKey).join(REDACTED);

  const call = async (req: TransportRequest, body?: SerializedBody): Promise<Response> => {
    const url = new URL(`${baseUrl}${req.path}`);
    for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value);
    // A Request, as openapi-fetch passed it: a `fetch` option written for that keeps working.
    return send(
      new Request(url, {
        method: req.method,
        ...body,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...req.headers, ...body?.headers, authorization: `Bearer ${apiKey}` },
        ...(req.signal ? { signal: req.signal } : {}),
      } as RequestInit),
    );
  };

  return {
    async send(req): Promise<TransportResponse> {
      const { jsonBody, readJsonSharing, readText } = await loadLargeBodies();
      const response = await call(req, req.body !== undefined ? bodyInit(jsonBody(req.body)) : undefined);
      // A large result (AnyAPI echoes a data URL back) is decoded as it arrives.
      if (response.ok && req.echoes?.length) {
        return { status: response.status, headers: headersOf(response), body: await readJsonSharing(response.body, req.echoes) };
      }
      return { status: response.status, headers: headersOf(response), body: parseBody(redact(await readText(response.body))) };
    },
    async openEventStream(req) {
      const response = await call({ ...req, method: 'GET' });
      const stream = response.ok ? response.body : null;
      if (!response.ok) await response.body?.cancel().catch(() => undefined);
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

interface SerializedBody {
  body: string | ReadableStream<Uint8Array>;
  duplex?: 'half';
  headers?: Record<string, string>;
}

/** The body already serialized, streamed with its length when it holds long strings. */
function bodyInit(body: string | JsonBody): SerializedBody {
  if (typeof body === 'string') return { body };
  return { body: body.stream, duplex: 'half', headers: { 'content-length': String(body.length) } };
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return headers;
}

async function* emptyChunks(): AsyncGenerator<Uint8Array> {}
