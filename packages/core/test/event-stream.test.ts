import { describe, expect, it } from 'vitest';
import { eventData } from '../src/queue/event-stream.js';

async function collect(chunks: string[]): Promise<string[]> {
  const encoder = new TextEncoder();
  async function* source() {
    for (const chunk of chunks) yield encoder.encode(chunk);
  }
  const events: string[] = [];
  for await (const data of eventData(source())) events.push(data);
  return events;
}

describe('eventData', () => {
  it('yields each event\'s data and skips keep-alive comments', async () => {
    expect(await collect([': ping\n\n', 'data: {"status":"IN_QUEUE"}\n\n', ': ping\n\ndata: {"status":"COMPLETED"}\n\n'])).toEqual([
      '{"status":"IN_QUEUE"}',
      '{"status":"COMPLETED"}',
    ]);
  });

  it('joins events split across chunks, with CRLF line ends', async () => {
    expect(await collect(['da', 'ta: {"a"', ':1}\r', '\n\r\ndata:x\r\n\r\n'])).toEqual(['{"a":1}', 'x']);
  });

  it('reads a CRLF split between two chunks as one line end', async () => {
    expect(await collect(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual(['a\nb']);
  });

  it('joins multi-line data with newlines and drops an event the stream cut off', async () => {
    expect(await collect(['data: one\ndata: two\n\n', 'data: cut\n'])).toEqual(['one\ntwo']);
  });
});
