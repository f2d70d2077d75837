import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToDataUrl, createKontextClient, submitEndpoints } from '@anyapi-kontext/core';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, pngSample } from './fixtures.js';
import { runKontext } from './run-kontext.js';

const apiKey = 'kontext-cli-test-key-commands';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let work: string;
let finishedId: string;

const env = () => ({ ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 50 });
  work = makeTempDir();
  const client = createKontextClient({ apiKey, baseUrl: emulator.url });
  const result = await client.run({ prompt: 'x', image_url: bytesToDataUrl(readFileSync(pngSample)), output_format: 'png' });
  finishedId = result.requestId;
});
afterAll(() => emulator?.stop());

describe('kontext models', () => {
  it('lists every model of the spec with its path and how it takes images, the default marked', async () => {
    emulator.resetCounters();
    const run = await runKontext(['models'], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^MODEL +PATH +TAKES$/);
    expect(lines).toHaveLength(1 + Object.keys(submitEndpoints).length);
    for (const [path, endpoint] of Object.entries(submitEndpoints)) {
      const name = (endpoint as { displayName?: string }).displayName ?? path;
      expect(lines.some((line) => line.startsWith(name) && line.includes(` ${path} `))).toBe(true);
    }
    expect(run.stdout).toMatch(/\(default\) +\/fal-ai\/flux-pro\/kontext +one image$/m);
    const json = JSON.parse((await runKontext(['models', '--json'], { cwd: work, env: env() })).stdout);
    expect(json).toContainEqual(expect.objectContaining({ path: '/fal-ai/flux-pro/kontext', imageInput: 'single', default: true }));
    expect(emulator.counters.total).toBe(0);
  });
});

describe('kontext status, result, cancel, usage', () => {
  it('status shows a finished job', async () => {
    const run = await runKontext(['status', finishedId], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${finishedId}: COMPLETED\n`);
    const json = await runKontext(['status', finishedId, '--json'], { cwd: work, env: env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'COMPLETED' });
  });

  it('result lists the images and saves them with --out', async () => {
    const run = await runKontext(['result', finishedId, '--out', 'saved'], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${finishedId}: 1 image\\(s\\), seed \\d+`));
    const saved = join(work, 'saved', `${finishedId}.1.png`);
    expect(existsSync(saved)).toBe(true);
    const again = await runKontext(['result', finishedId, '--out', 'saved'], { cwd: work, env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --force to overwrite/);
    const json = await runKontext(['result', finishedId, '--json'], { cwd: work, env: env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ requestId: finishedId, images: [{ content_type: 'image/png' }] });
  });

  it('cancel stops a queued job and says when there is nothing to cancel', async () => {
    emulator.configure({ jobDuration: 30_000 });
    try {
      const client = createKontextClient({ apiKey, baseUrl: emulator.url });
      const ticket = await client.submit({ prompt: 'x', image_url: bytesToDataUrl(readFileSync(pngSample)) });
      const run = await runKontext(['cancel', ticket.request_id], { cwd: work, env: env() });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(`${ticket.request_id}: cancellation requested\n`);
    } finally {
      emulator.configure({ jobDuration: 50 });
    }
    const done = await runKontext(['cancel', finishedId], { cwd: work, env: env() });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe(`${finishedId}: already completed, nothing to cancel\n`);
  });

  it('usage shows the quota', async () => {
    const run = await runKontext(['usage'], { cwd: work, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^granted: +[\d,]+$/m);
    expect(run.stdout).toMatch(/^available: +[\d,]+$/m);
    const json = await runKontext(['usage', '--json'], { cwd: work, env: env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ total_granted: expect.any(Number) });
  });

  it('an unknown request id is one line and exit 1', async () => {
    const run = await runKontext(['status', 'no-such-request'], { cwd: work, env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^kontext: .*404/);
  });

  it.each(['edit', 'status', 'result', 'cancel', 'usage'])('kontext %s --help', async (command) => {
    const run = await runKontext([command, '--help'], { cwd: work });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: kontext ${command}`));
    expect(run.stdout).toContain('--help');
  });

  it('kontext --help lists the commands', async () => {
    const run = await runKontext(['--help'], { cwd: work });
    expect(run.code).toBe(0);
    for (const command of ['edit', 'status', 'result', 'cancel', 'usage']) expect(run.stdout).toContain(`  ${command} `);
  });

  it.each(['--version', '-v'])('kontext %s prints the version from its package.json', async (flag) => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runKontext([flag], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
    expect(run.stderr).toBe('');
  });
});
