import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index.js';
import { call, sampleInput, statusPath, submit, useEmulator, waitUntilEnded } from './helpers.js';

interface StreamRead {
  contentType: string | null;
  events: { status: string; queue_position?: number; logs?: unknown[] | null }[];
  /** Every event's data as sent, JSON or not (`events` holds the JSON ones). */
  data: string[];
  pings: number;
  /** True when the server ended the stream (rather than our timeout). */
  closedByServer: boolean;
}

/**
 * Reads the whole event stream as a client would, giving up after `timeout` ms.
 * `onBlock` sees what has been read so far after each event or ping.
 */
async function readStream(
  emulator: RunningEmulator,
  requestId: string,
  { query = '', timeout = 10_000, onBlock = () => undefined }: { query?: string; timeout?: number; onBlock?: (read: StreamRead) => void } = {},
): Promise<StreamRead> {
  const response = await fetch(emulator.url + statusPath(requestId, '/status/stream') + query, {
    headers: { authorization: `Bearer ${emulator.apiKey}` },
    signal: AbortSignal.timeout(timeout),
  });
  const read: StreamRead = { contentType: response.headers.get('content-type'), events: [], data: [], pings: 0, closedByServer: false };
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (block.startsWith(': ping')) read.pings += 1;
        else if (block.startsWith('data: ')) {
          const data = block.split('\n').map((line) => line.slice('data: '.length)).join('\n');
          read.data.push(data);
          if (data.startsWith('{')) read.events.push(JSON.parse(data));
        }
        onBlock(read);
      }
    }
    read.closedByServer = true;
  } catch {
    read.closedByServer = false;
  }
  return read;
}

describe('status stream', () => {
  it('sends a data event per change and closes after COMPLETED', async () => {
    const emulator = await useEmulator({ concurrency: 1, jobDuration: 60_000 });
    const first = await submit(emulator, await sampleInput());
    const second = await submit(emulator, await sampleInput());
    // Each job is let go only once the stream has shown the state before it.
    const read = await readStream(emulator, second.request_id, {
      onBlock: ({ events }) => {
        if (events.length === 1 || events.at(-1)?.status === 'IN_PROGRESS') emulator.finishRunningJobs();
      },
    });
    expect(read.contentType).toBe('text/event-stream');
    expect(read.closedByServer).toBe(true);
    const states = read.events.map((event) => event.status);
    expect(states[0]).toBe('IN_QUEUE');
    expect(read.events[0]?.queue_position).toBe(0);
    expect(states).toContain('IN_PROGRESS');
    expect(states.at(-1)).toBe('COMPLETED');
    expect(first.request_id).not.toBe(second.request_id);
  });

  it('streams the growing logs with logs=1', async () => {
    const emulator = await useEmulator({ jobDuration: 80 });
    const { request_id } = await submit(emulator, await sampleInput());
    const read = await readStream(emulator, request_id, { query: '?logs=1' });
    const logCounts = read.events.map((event) => event.logs?.length ?? 0);
    expect(logCounts.at(-1)).toBeGreaterThan(1);
    expect(logCounts).toEqual([...logCounts].sort((a, b) => a - b));
  });

  it('closes after FAILED too', async () => {
    const emulator = await useEmulator();
    const { request_id } = await submit(emulator, await sampleInput({ prompt: '[fail]' }));
    const read = await readStream(emulator, request_id);
    expect(read.closedByServer).toBe(true);
    expect(read.events.at(-1)?.status).toBe('FAILED');
  });

  it('sends `: ping` keep-alives while nothing changes', async () => {
    const emulator = await useEmulator({ jobDuration: 60_000, streamPingInterval: 20 });
    const { request_id } = await submit(emulator, await sampleInput());
    const read = await readStream(emulator, request_id, {
      onBlock: ({ pings }) => {
        if (pings === 2) emulator.finishRunningJobs();
      },
    });
    expect(read.events.at(-1)?.status).toBe('COMPLETED');
    expect(read.pings).toBeGreaterThanOrEqual(2);
  });

  it('answers an ended job with its final status and closes at once', async () => {
    const emulator = await useEmulator({ jobDuration: 0 });
    const { request_id } = await submit(emulator, await sampleInput());
    await waitUntilEnded(emulator, request_id);
    const read = await readStream(emulator, request_id);
    expect(read.events.map((event) => event.status)).toEqual(['COMPLETED']);
  });

  it('the fault `event` sends its text as an event before the job\'s own, on the streams it fires on', async () => {
    const emulator = await useEmulator({ jobDuration: 0, faults: { stream: { event: 'not json\non two lines', times: 1 } } });
    const { request_id } = await submit(emulator, await sampleInput());
    await waitUntilEnded(emulator, request_id);
    const faulted = await readStream(emulator, request_id);
    expect(faulted.data[0]).toBe('not json\non two lines');
    expect(faulted.events.map((event) => event.status)).toEqual(['COMPLETED']);
    expect(faulted.closedByServer).toBe(true);
    const next = await readStream(emulator, request_id);
    expect(next.data).toHaveLength(1);
    expect(next.events.map((event) => event.status)).toEqual(['COMPLETED']);
  });

  it('answers 404 for an unknown id', async () => {
    const emulator = await useEmulator();
    expect((await call(emulator, 'GET', statusPath('unknown', '/status/stream'))).status).toBe(404);
  });

  it('answers 405 in polling-only mode (stream: false), switchable with configure()', async () => {
    const emulator = await useEmulator({ stream: false });
    const { request_id } = await submit(emulator, await sampleInput());
    const refused = await call(emulator, 'GET', statusPath(request_id, '/status/stream'));
    expect(refused.status).toBe(405);
    expect(refused.headers.get('content-type')).toBe('application/json');
    expect((await call(emulator, 'GET', statusPath(request_id))).status).toBeLessThan(300);
    emulator.configure({ stream: true });
    expect((await readStream(emulator, request_id)).closedByServer).toBe(true);
    expect(emulator.counters.stream).toBe(2);
  });
});
