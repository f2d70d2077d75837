import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from '../http/listen.js';
import {
  BlobStore,
  KEY_PLACEHOLDER,
  keptRequestHeaders,
  keptResponseHeaders,
  ORIGIN_PLACEHOLDER,
  replaceInJson,
  storeDataUrls,
  writeCassette,
  type Cassette,
  type Exchange,
  type RecordedBody,
} from './cassette.js';

export interface RecorderOptions {
  /** The base URL recorded from, e.g. https://www.anyapi.vip or another emulator. */
  upstream: string;
  /** Where the cassette is written (`cassette.json` and `blobs/`); made if missing. */
  dir: string;
  port?: number;
  host?: string;
  /** The fetch that reaches the upstream, e.g. one through a proxy; the global fetch by default. */
  fetch?: typeof fetch;
}

export interface RunningRecorder {
  /** The base URL to point a client at instead of the upstream. */
  url: string;
  /** The exchanges written so far, in the order their requests came. */
  readonly exchanges: readonly Exchange[];
  stop(): Promise<void>;
}

/** Request headers not passed on: the connection's own, and lengths fetch sets itself. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'accept-encoding']);

/**
 * A recording proxy: every request is passed to the upstream as it came (the key included, so
 * the upstream can check it) and its answer passed back, while the exchange is written to the
 * cassette without the key (see cassette.ts). Answers that name the upstream's own origin (the
 * emulator's image files) are rewritten to this proxy's, so their downloads are recorded too.
 * The cassette is rewritten whole after each exchange, so stopping at any point leaves it usable.
 */
export async function startRecorder(options: RecorderOptions): Promise<RunningRecorder> {
  const upstream = options.upstream.replace(/\/+$/, '');
  const upstreamOrigin = new URL(upstream).origin;
  const send = options.fetch ?? fetch;
  const blobs = new BlobStore(options.dir);
  const started = Date.now();
  const cassette: Cassette = { format: 1, recordedAt: new Date(started).toISOString(), upstreamHost: new URL(upstream).host, exchanges: [] };
  let origin = '';

  const record = (exchange: Exchange) => {
    cassette.exchanges.push(exchange);
    cassette.exchanges.sort((a, b) => a.at - b.at);
    writeCassette(options.dir, cassette);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const at = Date.now() - started;
    const begun = performance.now();
    const key = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
    // What is recorded names neither the key nor the upstream's origin.
    const clean = (text: string) => replaceInJson(replaceInJson(text, key, KEY_PLACEHOLDER), upstreamOrigin, ORIGIN_PLACEHOLDER);
    const body = await readAll(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const aborter = new AbortController();
    response.on('close', () => aborter.abort());
    let answer: Response;
    try {
      answer = await send(`${upstream}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
        redirect: 'manual',
        signal: aborter.signal,
      });
    } catch (error) {
      // Not the upstream's behaviour: answered, never recorded.
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ detail: `recorder: the upstream could not be reached: ${(error as Error).message}` }));
      return;
    }
    const headersMs = performance.now() - begun;
    const responseHeaders = keptResponseHeaders(answer.headers);
    const contentType = answer.headers.get('content-type') ?? '';
    const exchange: Exchange = {
      at,
      request: {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: keptRequestHeaders(request.headers),
        ...(body.length > 0 ? { body: recordedBody(body, request.headers['content-type'] ?? '', clean, blobs) } : {}),
      },
      response: { status: answer.status, headers: responseHeaders, headersMs: Math.round(headersMs), totalMs: 0 },
    };
    response.writeHead(answer.status, responseHeaders);
    if (contentType.startsWith('text/event-stream') && answer.body) {
      const chunks: { ms: number; text: string }[] = [];
      const decoder = new TextDecoder();
      try {
        for await (const chunk of answer.body) {
          const text = decoder.decode(chunk as Uint8Array, { stream: true });
          chunks.push({ ms: Math.round(performance.now() - begun), text: clean(text) });
          response.write(text.split(upstreamOrigin).join(origin));
        }
      } catch {
        // The client went away (it closes the stream once the job ended): keep what came.
      }
      response.end();
      exchange.response.chunks = chunks;
    } else {
      const bytes = Buffer.from(await answer.arrayBuffer());
      const textual = /json|^text\//.test(contentType);
      response.end(textual ? Buffer.from(bytes.toString('utf8').split(upstreamOrigin).join(origin)) : bytes);
      if (bytes.length > 0) exchange.response.body = recordedBody(bytes, contentType, clean, blobs);
    }
    exchange.response.totalMs = Math.round(performance.now() - begun);
    record(exchange);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ detail: `recorder: ${(error as Error).message}` }));
    });
  });
  const listening = await listenLocally(server, options.port, options.host);
  origin = listening.url;
  writeCassette(options.dir, cassette);
  return {
    url: origin,
    get exchanges() {
      return [...cassette.exchanges];
    },
    stop: listening.stop,
  };
}

function recordedBody(bytes: Buffer, contentType: string, clean: (text: string) => string, blobs: BlobStore): RecordedBody {
  if (/json/.test(contentType)) {
    const text = clean(bytes.toString('utf8'));
    try {
      return { json: storeDataUrls(JSON.parse(text), blobs) };
    } catch {
      return { text };
    }
  }
  if (/^text\//.test(contentType)) return { text: clean(bytes.toString('utf8')) };
  return { blob: blobs.put(bytes, contentType || 'application/octet-stream'), contentType: contentType || 'application/octet-stream' };
}

function readAll(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts)));
    request.on('error', reject);
  });
}
