import type { QueueStatus } from '../types.js';
import { isQueueStatus } from './spec-requests.js';

/**
 * Yields the `data` of each server-sent event in `chunks`; comments (`: ping`) and other
 * fields are skipped. Handles events split across chunks and CRLF line ends. As the SSE
 * standard says, an event cut off by the end of the stream is dropped.
 */
export async function* eventData(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of chunks) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r?\n|\r/);
    // A `\r` at the very end may be the first half of a `\r\n` the next chunk completes.
    while (newline !== -1 && !(buffer[newline] === '\r' && newline === buffer.length - 1)) {
      const line = buffer.slice(0, newline);
      const lineEnd = buffer.startsWith('\r\n', newline) ? 2 : 1;
      buffer = buffer.slice(newline + lineEnd);
      if (line === '') {
        if (data.length > 0) yield data.join('\n');
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      newline = buffer.search(/\r?\n|\r/);
    }
  }
}

/**
 * The status a status-stream event holds (its events are status answers), or undefined when
 * its data is not JSON or not one of the spec's states.
 */
export function statusEvent(data: string): QueueStatus | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  return isQueueStatus(parsed) ? parsed : undefined;
}
