/**
 * How the lifecycle talks to AnyAPI. The default sends with the platform's fetch; the n8n node
 * sends through n8n's own HTTP helpers. The transport adds authentication itself, so the lifecycle
 * never holds the key.
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Optional: without it, waiting for a job polls its status. */
  openEventStream?(request: TransportRequest): Promise<TransportStream>;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** The path with its parameters filled in, e.g. `/fal-ai/flux-pro/requests/ID/status`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Long strings the caller holds (the submitted input's data URLs) that the answer may echo:
   * a transport may put these very strings in the parsed body rather than copies of them.
   */
  echoes?: readonly string[];
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
}

export interface TransportStream {
  status: number;
  headers: Record<string, string>;
  /** The body's chunks when the answer is a 2xx; empty otherwise. */
  chunks: AsyncIterable<Uint8Array | string>;
  /** Releases the connection when the caller stops reading early. */
  close(): void;
}

/** Waits `ms`; rejects with an AbortError as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Parses a body text as JSON, keeping the text when it is not JSON. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
