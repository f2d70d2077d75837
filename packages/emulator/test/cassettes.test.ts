import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArguments } from '../src/cli-arguments.js';
import { readCassette, startRecorder, startReplay, type RunningRecorder, type RunningReplay } from '../src/index.js';
import { SUBMIT_PATH, sampleInput, statusPath, useEmulator, waitFor, type JsonBody } from './helpers.js';

const KEY = 'sk-recorded-never-0f1e2d3c4b5a';
const builtBin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const started: (RunningRecorder | RunningReplay)[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

const auth = { authorization: `Bearer ${KEY}` };
const json = async (response: Response): Promise<JsonBody> => response.json();

/** Every file of a folder, as text (blobs as latin1), to search for what must not be there. */
function everything(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'))
    .join('\n');
}

describe('recording', () => {
  it('passes every exchange through and writes it to a cassette: no key, images by hash, timings kept', async () => {
    const upstream = await useEmulator({ apiKey: KEY, jobDuration: 30 });
    const dir = mkdtempSync(join(tmpdir(), 'cassette-'));
    const recorder = await startRecorder({ upstream: upstream.url, dir });
    started.push(recorder);

    const input = await sampleInput();
    const ticket = await json(await fetch(`${recorder.url}${SUBMIT_PATH}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(input) }));
    expect(ticket.status).toBe('IN_QUEUE');
    const stream = await fetch(`${recorder.url}${statusPath(ticket.request_id, '/status/stream')}`, { headers: auth });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await stream.text()).toMatch(/"status":"COMPLETED"/);
    const result = await json(await fetch(`${recorder.url}/fal-ai/flux-pro/requests/${ticket.request_id}`, { headers: auth }));
    // The emulator's image URLs are moved to the recorder, so the download is recorded too.
    expect(result.images[0].url.startsWith(`${recorder.url}/files/`)).toBe(true);
    const image = Buffer.from(await (await fetch(result.images[0].url)).arrayBuffer());
    const refused = await fetch(`${recorder.url}/api/usage/token/`, { headers: { authorization: 'Bearer sk-some-other-key-123456' } });
    expect(refused.status).toBe(401);
    expect(upstream.counters.submits).toBe(1);

    const cassette = readCassette(dir);
    expect(cassette.exchanges.map((e) => `${e.request.method} ${e.request.path.split('?')[0]} ${e.response.status}`)).toEqual([
      `POST ${SUBMIT_PATH} 200`,
      `GET ${statusPath(ticket.request_id, '/status/stream')} 200`,
      `GET /fal-ai/flux-pro/requests/${ticket.request_id} 200`,
      `GET ${new URL(result.images[0].url).pathname} 200`,
      'GET /api/usage/token/ 401',
    ]);
    for (const exchange of cassette.exchanges) {
      expect(exchange.request.headers).not.toHaveProperty('authorization');
      expect(exchange.response.totalMs).toBeGreaterThanOrEqual(exchange.response.headersMs);
    }
    const [submit, streamed, fetched, download] = cassette.exchanges;
    const imageBlob = `${createHash('sha256').update(Buffer.from((input.image_url as string).split(',')[1]!, 'base64')).digest('hex')}.png`;
    expect(submit!.request.body).toEqual({ json: { ...input, image_url: { $dataUrl: imageBlob } } });
    expect(streamed!.response.chunks!.map((chunk) => chunk.text).join('')).toMatch(/"status":"COMPLETED"/);
    expect(JSON.stringify(fetched!.response.body)).toContain('"url":"{{origin}}/files/');
    expect(download!.response.body).toEqual({ blob: `${createHash('sha256').update(image).digest('hex')}.jpg`, contentType: 'image/jpeg' });
    expect(readdirSync(join(dir, 'blobs')).sort()).toEqual([imageBlob, `${createHash('sha256').update(image).digest('hex')}.jpg`].sort());
    const written = everything(dir);
    expect(written).not.toContain(KEY);
    expect(written).not.toContain('sk-some-other-key-123456');
    expect(written).not.toContain(upstream.url);
  });
});

describe('replaying', () => {
  it('serves the recorded answers in order, repeats the last, and answers what it lacks with 404', async () => {
    const upstream = await useEmulator({ apiKey: KEY, jobDuration: 10_000, stream: false });
    const dir = mkdtempSync(join(tmpdir(), 'cassette-'));
    const recorder = await startRecorder({ upstream: upstream.url, dir });
    started.push(recorder);
    const ticket = await json(await fetch(`${recorder.url}${SUBMIT_PATH}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(await sampleInput()) }));
    const statusUrl = statusPath(ticket.request_id);
    await waitFor(async () => (await json(await fetch(`${recorder.url}${statusUrl}`, { headers: auth }))).status === 'IN_PROGRESS');
    upstream.finishRunningJobs();
    await waitFor(async () => (await json(await fetch(`${recorder.url}${statusUrl}`, { headers: auth }))).status === 'COMPLETED');
    const recordedStates = readCassette(dir).exchanges.filter((e) => e.request.path === statusUrl).map((e) => (e.response.body as { json: { status: string } }).json.status);

    const replay = await startReplay({ dir });
    started.push(replay);
    const replayed: string[] = [];
    for (let i = 0; i < recordedStates.length + 2; i += 1) replayed.push((await json(await fetch(`${replay.url}${statusUrl}`))).status);
    expect(replayed).toEqual([...recordedStates, 'COMPLETED', 'COMPLETED']);
    const missing = await fetch(`${replay.url}/fal-ai/flux-pro/requests/${ticket.request_id}/cancel`, { method: 'PUT' });
    expect(missing.status).toBe(404);
    expect(replay.misses).toEqual([`PUT /fal-ai/flux-pro/requests/${ticket.request_id}/cancel`]);
  });
});

describe('the command line', () => {
  it('takes --record <dir> --upstream <url> and --replay <dir>, and refuses half of it', () => {
    expect(parseCliArguments(['--record', 'out', '--upstream', 'https://www.anyapi.vip', '--port', '0'], {})).toEqual({
      kind: 'record', dir: 'out', upstream: 'https://www.anyapi.vip', port: 0, host: '127.0.0.1',
    });
    expect(parseCliArguments(['--replay', 'out'], {})).toEqual({ kind: 'replay', dir: 'out', port: 8787, host: '127.0.0.1' });
    expect(() => parseCliArguments(['--record', 'out'], {})).toThrow(/--record needs --upstream <url>/);
    expect(() => parseCliArguments(['--upstream', 'https://x.example'], {})).toThrow(/--upstream goes with --record/);
    expect(() => parseCliArguments(['--record', 'a', '--upstream', 'https://x.example', '--replay', 'b'], {})).toThrow(/cannot be used together/);
  });

  it.skipIf(!existsSync(builtBin))('records through the built bin and stops on Ctrl-C', async () => {
    const upstream = await useEmulator({ apiKey: KEY });
    const dir = mkdtempSync(join(tmpdir(), 'cassette-'));
    const child = spawn(process.execPath, [builtBin, '--record', dir, '--upstream', upstream.url, '--port', '0']);
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /^Recording \S+ on (http:\/\/127\.0\.0\.1:\d+) into /m.exec(output);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect((await fetch(`${url}/api/usage/token/`, { headers: auth })).status).toBe(200);
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exitCode).toBe(0);
    expect(readCassette(dir).exchanges).toHaveLength(1);
  });
});
