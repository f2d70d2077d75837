import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { runKontext } from './run-kontext.js';

const apiKey = 'kontext-cli-test-key-interrupt';
let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  // Jobs that would take far longer than the test: only a cancel ends them.
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 60_000, concurrency: 1 });
});
afterAll(() => emulator?.stop());

describe('Ctrl-C', () => {
  it('cancels the jobs still on the server and exits 130', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    let sent = false;
    const run = await runKontext(['edit', 'photos', '-p', 'x', '--concurrency', '2'], {
      cwd: work,
      env: { ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey },
      onStdout: (stdout, child) => {
        // Both jobs in flight are on the server once two "queued" lines are out.
        if (!sent && (stdout.match(/ queued /g) ?? []).length >= 2) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/^Cancelling the jobs still running on the server/m);
    expect(emulator.counters.submits).toBe(2);
    expect(emulator.counters.cancels).toBe(2);
    expect(run.stdout).toMatch(/0 of 3 done, 3 cancelled in /);
  });
});

describe('--timeout', () => {
  it('gives up on a job that takes too long, cancels it on the server, and exits 1', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    emulator.resetCounters();
    const run = await runKontext(['edit', 'photos/apple.png', '-p', 'x', '--timeout', '0.5'], {
      cwd: work,
      env: { ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[1\/1\] photos\/apple\.png failed: Job \S+ did not finish within 500 ms; it was cancelled on the server\.$/m);
    expect(emulator.counters.cancels).toBe(1);
  });
});
