import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from '../http/listen.js';
import { BlobStore, ORIGIN_PLACEHOLDER, readCassette, replaceInJson, restoreDataUrls, type Exchange } from './cassette.js';

export interface ReplayOptions {
  /** The cassette's folder (`cassette.json` and `blobs/`). */
  dir: string;
  port?: number;
  host?: string;
}

export interface RunningReplay {
  url: string;
  /** Every request so far (`METHOD /path`), in order. */
  readonly requests: readonly string[];
  /** Requests the cassette has no answer for (`METHOD /path`), answered 404. */
  readonly misses: readonly string[];
  stop(): Promise<void>;
}

/**
 * Serves a cassette: each request gets the next recorded answer for its method and path (the
 * query aside), and once they are used up the last one again, so a client that polls more often
 * than the recorded one still sees the job end, and one that polls less sees every state in
 * order. A streamed answer is written chunk by chunk, at once; the recorded timings stay in the
 * cassette for the reader. The key is not checked: the cassette does not hold it.
 */
export async function startReplay(options: ReplayOptions): Promise<RunningReplay> {
  const cassette = readCassette(options.dir);
  const blobs = new BlobStore(options.dir);
  const queues = new Map<string, Exchange[]>();
  for (const exchange of cassette.exchanges) {
    const key = requestKey(exchange.request.method, exchange.request.path);
    queues.set(key, [...(queues.get(key) ?? []), exchange]);
  }
  const used = new Map<string, number>();
  const misses: string[] = [];
  const requests: string[] = [];
  let origin = '';

  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const key = requestKey(request.method ?? 'GET', request.url ?? '/');
    requests.push(key);
    const queue = queues.get(key);
    if (!queue) {
      misses.push(key);
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ detail: `not in the cassette: ${key}` }));
      return;
    }
    const index = Math.min(used.get(key) ?? 0, queue.length - 1);
    used.set(key, index + 1);
    const recorded = queue[index]!.response;
    // The Date header is the replay's own: a recorded one would make the clock look wrong.
    const { date: _date, ...headers } = recorded.headers;
    const live = <T>(value: T): T => replaceInJson(value, ORIGIN_PLACEHOLDER, origin);
    response.writeHead(recorded.status, headers);
    if (recorded.chunks) {
      for (const chunk of recorded.chunks) response.write(live(chunk.text));
      response.end();
      return;
    }
    const body = recorded.body;
    if (!body) response.end();
    else if ('json' in body) response.end(JSON.stringify(live(restoreDataUrls(body.json, blobs))));
    else if ('text' in body) response.end(live(body.text));
    else response.end(blobs.get(body.blob));
  };

  const server = createServer((request, response) => {
    // The request body is read and dropped: the answer does not depend on it.
    request.resume();
    request.on('end', () => answer(request, response));
  });
  const listening = await listenLocally(server, options.port, options.host);
  origin = listening.url;
  return {
    url: origin,
    requests,
    misses,
    stop: listening.stop,
  };
}

function requestKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${new URL(path, 'http://cassette').pathname}`;
}
