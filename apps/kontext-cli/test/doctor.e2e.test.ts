import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCassette, startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from './fixtures.js';
import { kontextBin, runKontext, type KontextRun } from './run-kontext.js';

const apiKey = 'sk-doctor-secret-5e6f7a8b9c0d1e2f';
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 30 });
});
afterAll(() => emulator?.stop());
beforeEach(() => {
  emulator.configure({ stream: true, faults: {} });
  emulator.resetCounters();
});

interface Report {
  ok: boolean;
  checks: { name: string; status: string; summary: string }[];
  job?: { requestId: string; stream: { works: boolean; status: number; unreadable: number }; ticketHost: string; result: { images: number } };
}
const report = (run: KontextRun) => JSON.parse(run.stdout) as Report;
const check = (run: KontextRun, name: string) => report(run).checks.find((c) => c.name === name);
const keyed = () => ({ ANYAPI_API_KEY: apiKey, ANYAPI_BASE_URL: emulator.url });

/** No 8 characters in a row of the key, anywhere in what the command wrote. */
function expectNoKeyIn(run: KontextRun, key: string): void {
  const output = run.stdout + run.stderr;
  for (let start = 0; start + 8 <= key.length; start += 1) expect(output).not.toContain(key.slice(start, start + 8));
}

describe('kontext doctor', () => {
  it('without a key checks a local emulator, where every check and the job pass', async () => {
    const run = await runKontext(['doctor', '--run-job', '--json'], { cwd: makeTempDir() });
    expect(run.code, run.stderr).toBe(0);
    const { ok, checks, job } = report(run);
    expect(ok).toBe(true);
    expect(checks.map((c) => c.name)).toEqual([
      'key', 'base URL', 'proxy', 'DNS', 'TLS', 'key accepted', 'clock', 'round trip', 'job', 'status stream', 'queue URLs', 'result',
    ]);
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(job?.stream.works).toBe(true);
    expect(job?.ticketHost).toBe('queue.fal.run');
    expect(job?.result.images).toBe(1);
    expect(run.stderr).toMatch(/on the local emulator: it costs nothing/);

    const text = await runKontext(['doctor'], { cwd: makeTempDir() });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^ok {4}key +ANYAPI_API_KEY not set: checking a local emulator/m);
    expect(text.stdout).toMatch(/^ok {4}key accepted +yes \(the free usage call/m);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('All checks passed.');
  });

  it('with a key, against the emulator with the status stream off: the job runs and the stream is reported as missing', async () => {
    emulator.configure({ stream: false });
    const run = await runKontext(['doctor', '--run-job', '--yes', '--json'], { cwd: makeTempDir(), env: keyed() });
    expect(run.code, run.stderr).toBe(0);
    expect(check(run, 'key')?.summary).toBe('ANYAPI_API_KEY is set and well-formed (one line of printable ASCII)');
    expect(check(run, 'status stream')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/^not passed through \(405/) });
    expect(report(run).job?.stream).toMatchObject({ works: false, status: 405 });
    expect(emulator.counters.stream).toBe(1);
    expect(emulator.counters.submits).toBe(1);
    expect(check(run, 'result')?.status).toBe('ok');
    expect(run.stderr).toMatch(/submits one job to \/fal-ai\/flux-pro\/kontext that makes 1 image/);
    expectNoKeyIn(run, apiKey);
  });

  it('a status-stream event that is not a queue status is a warning that shows it; the job still runs to its end', async () => {
    emulator.configure({ faults: { stream: { event: 'not json: a relay rewrote the stream', times: 1 } } });
    const run = await runKontext(['doctor', '--run-job', '--yes', '--json'], { cwd: makeTempDir(), env: keyed() });
    expect(run.code, run.stderr).toBe(0);
    expect(check(run, 'status stream')).toMatchObject({
      status: 'warn',
      summary: expect.stringMatching(
        /^works: (\d+) events \((IN_QUEUE -> )?(IN_PROGRESS -> )?COMPLETED\), the first after \d+ ms; 1 of its \1 events was not a queue status and skipped, as clients skip them \(the first: "not json: a relay rewrote the stream"\)$/,
      ),
    });
    expect(report(run).job?.stream).toMatchObject({ works: true, unreadable: 1 });
    expect(check(run, 'job')?.status).toBe('ok');
    expect(check(run, 'result')?.status).toBe('ok');
    expect(emulator.counters).toMatchObject({ submits: 1, cancel: 0 });
  });

  it('a usage answer that is not the usage the spec describes is a warning that shows it', async () => {
    emulator.configure({ faults: { usage: { status: 200, body: { quota: 'plenty' } } } });
    const run = await runKontext(['doctor', '--json'], { cwd: makeTempDir(), env: keyed() });
    expect(run.code, run.stderr).toBe(0);
    expect(check(run, 'key accepted')).toMatchObject({
      status: 'warn',
      summary: 'yes (the free usage call: its answer is not the key\'s usage as the spec describes it, which the client refuses: {"quota":"plenty"})',
    });
  });

  it('reports a refused key truly, spends nothing, and never shows the key', async () => {
    const wrongKey = 'sk-refused-key-0a1b2c3d4e5f';
    const run = await runKontext(['doctor', '--run-job', '--yes'], { cwd: makeTempDir(), env: { ...keyed(), ANYAPI_API_KEY: wrongKey } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^fail {2}key accepted +AnyAPI refused the key \(401\): check ANYAPI_API_KEY$/m);
    expect(run.stdout).toMatch(/^skip {2}job +not run: the checks above failed, so nothing was spent$/m);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('Some checks failed.');
    expect(emulator.counters.submit).toBe(0);
    expectNoKeyIn(run, wrongKey);
  });

  it('asks before it spends: without --yes and no terminal to ask on, it sends nothing', async () => {
    const run = await runKontext(['doctor', '--run-job'], { cwd: makeTempDir(), env: keyed() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/charges it as one image of that model/);
    expect(run.stderr).toMatch(/pass --yes to run it without a question \(stdin is not a terminal\)/);
    expect(emulator.counters.total).toBe(0);
  });

  it('names the proxy in use without its password, and a key that cannot be sent without sending anything', async () => {
    const proxied = await runKontext(['doctor', '--json'], {
      cwd: makeTempDir(),
      env: { ...keyed(), HTTP_PROXY: 'http://someone:proxy-password@127.0.0.1:9', NO_PROXY: '127.0.0.1' },
    });
    expect(proxied.code, proxied.stderr).toBe(0);
    expect(check(proxied, 'proxy')?.summary).toBe('http://***@127.0.0.1:9 from HTTP_PROXY; NO_PROXY=127.0.0.1 (hosts it names are reached directly)');
    expect(proxied.stdout).not.toContain('proxy-password');

    emulator.resetCounters();
    const broken = await runKontext(['doctor'], { cwd: makeTempDir(), env: { ...keyed(), ANYAPI_API_KEY: 'sk-has a-space-inside' } });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^fail {2}key +ANYAPI_API_KEY is not usable: it contains a space or a tab$/m);
    expect(broken.stdout).toMatch(/^skip {2}key accepted +not asked/m);
    expect(emulator.counters.total).toBe(0);
  });

  it('--record writes its calls as a cassette, without the key', async () => {
    const work = makeTempDir();
    const run = await runKontext(['doctor', '--run-job', '--yes', '--record', 'recorded'], { cwd: work, env: keyed() });
    expect(run.code, run.stderr).toBe(0);
    const cassette = readCassette(join(work, 'recorded'));
    const calls = cassette.exchanges.map((e) => `${e.request.method} ${e.request.path.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '<id>')}`);
    expect(calls.filter((call) => call === 'GET /api/usage/token/').length).toBeGreaterThanOrEqual(4);
    expect(calls).toEqual(expect.arrayContaining(['POST /fal-ai/flux-pro/kontext', 'GET /fal-ai/flux-pro/requests/<id>/status/stream', 'GET /fal-ai/flux-pro/requests/<id>']));
    expect(run.stdout).toMatch(new RegExp(`^ok {4}recording +${cassette.exchanges.length} exchanges in recorded \\(cassette.json, blobs/\\), without the key$`, 'm'));
    const files = readdirSync(join(work, 'recorded'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    for (const file of files) expect(readFileSync(join(file.parentPath, file.name), 'latin1')).not.toContain(apiKey.slice(3, 20));
    expectNoKeyIn(run, apiKey);
  });

  // util-linux `script` gives the command a terminal, so it asks; the answer is typed into it.
  it.skipIf(spawnSync('script', ['--version']).status !== 0).each([
    ['n', 0],
    ['y', 1],
  ])('on a terminal it asks before it spends: answering %s submits %i job(s)', async (answer, submits) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(kontextBin)} doctor --run-job`;
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ANYAPI_API_KEY|ANYAPI_BASE_URL|(https?|no|all)_proxy)$/i.test(name)));
    // Asynchronous: the emulator runs in this process and must keep answering.
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: makeTempDir(), env: { ...inherited, ...keyed(), NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      screen += text;
      if (screen.includes('Run it? [y/N]') && child.stdin.writable) child.stdin.end(`${answer}\n`);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    expect(screen.indexOf('charges it as one image')).toBeLessThan(screen.indexOf('Run it? [y/N]'));
    expect(emulator.counters.submits).toBe(submits);
    expect(screen).toMatch(answer === 'n' ? /skip {2}job +not run: you answered no/ : /ok {4}job +\S+ on \/fal-ai\/flux-pro\/kontext: submit/);
  });
});
