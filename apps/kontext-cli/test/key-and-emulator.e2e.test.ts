import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { runKontext, type KontextRun } from './run-kontext.js';

const apiKey = 'sk-kontext-cli-secret-0b1c2d3e4f';
let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 50 });
});
afterAll(() => emulator?.stop());

const output = (run: KontextRun) => run.stdout + run.stderr;

describe('the API key', () => {
  it('never appears in the output of any command, right or wrong key', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const right = { ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey };
    const wrong = { ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: 'sk-wrong-key-9a8b7c6d5e' };
    const runs = await Promise.all([
      runKontext(['edit', 'photos', '-p', 'x', '--json'], { cwd: work, env: right }),
      runKontext(['usage', '--json'], { cwd: work, env: right }),
      runKontext(['status', 'no-such-id'], { cwd: work, env: right }),
    ]);
    const refused = await runKontext(['edit', 'photos', '-p', 'x', '-o', 'refused'], { cwd: work, env: wrong });
    const refusedUsage = await runKontext(['usage'], { cwd: work, env: wrong });
    for (const run of runs) expect(output(run)).not.toContain(apiKey);
    for (const run of [refused, refusedUsage]) expect(output(run)).not.toContain('sk-wrong-key-9a8b7c6d5e');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/failed: AnyAPI refused the key \(401\): check ANYAPI_API_KEY/);
    expect(refusedUsage.stderr).toBe('kontext: AnyAPI refused the key (401): check ANYAPI_API_KEY\n');
  });
});

describe('without a key', () => {
  it('starts the emulator in-process, says so in one line, and edits', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const run = await runKontext(['edit', 'photos/apple.png', '-p', 'x'], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^No ANYAPI_API_KEY set: using a local emulator at http:\/\/127\.0\.0\.1:\d+ .*\n$/);
    expect(existsSync(join(work, 'out', 'apple.1.jpg'))).toBe(true);
  });
});
