import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { runKontext } from './run-kontext.js';

const apiKey = 'kontext-cli-test-key-journal';
let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  // Jobs run one at a time and only end when the test lets them (finishRunningJobs).
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 3_600_000, concurrency: 1 });
});
afterAll(() => emulator?.stop());

const env = () => ({ ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey });

interface Line {
  event: 'submitted' | 'saved' | 'ended';
  input: string;
  requestId: string;
}

function journal(work: string): Line[] {
  const file = join(work, 'out', '.kontext-journal.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
}

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Five inputs: the three sample images and two more copies under other names. */
function fiveImages(work: string): string[] {
  const { dir } = makeThreeImageFolder(work);
  copyFileSync(join(dir, 'apple.png'), join(dir, 'apple-copy.png'));
  copyFileSync(join(dir, 'lake.jpg'), join(dir, 'lake-copy.jpg'));
  return ['apple', 'apple-copy', 'lake', 'lake-copy', 'mirrored-apple'];
}

describe('the edit journal', () => {
  it('after a SIGKILL mid-batch, a rerun submits only what was never submitted and loses no result', async () => {
    const work = makeTempDir();
    const stems = fiveImages(work);
    emulator.resetCounters();
    const args = ['edit', 'photos', '-p', 'add a hat', '--concurrency', '3'];

    // Run 1: three jobs in flight; one is let through and saved, which starts a fourth; then kill -9.
    let killed = false;
    const first = await runKontext(args, {
      cwd: work,
      env: env(),
      onSpawn: (child) => {
        void (async () => {
          await until('3 submits in the journal', () => journal(work).filter((l) => l.event === 'submitted').length === 3);
          expect(emulator.finishRunningJobs()).toBe(1);
          await until('1 saved and 4 submitted', () => {
            const lines = journal(work);
            return lines.some((l) => l.event === 'saved') && lines.filter((l) => l.event === 'submitted').length === 4;
          });
          killed = child.kill('SIGKILL');
        })();
      },
    });
    expect(killed).toBe(true);
    expect(first.code).toBeNull(); // killed by a signal
    const afterCrash = journal(work);
    const submittedFirst = afterCrash.filter((l) => l.event === 'submitted');
    const savedFirst = afterCrash.filter((l) => l.event === 'saved');
    expect(submittedFirst).toHaveLength(4);
    expect(savedFirst).toHaveLength(1);
    expect(emulator.counters.submits).toBe(4);

    // Run 2: the same command. Release whatever runs until it is done.
    let running = true;
    const releaser = (async () => {
      while (running) {
        emulator.finishRunningJobs();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const second = await runKontext(args, { cwd: work, env: env() }).finally(() => (running = false));
    await releaser;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^Resuming from out\/\.kontext-journal\.jsonl: 1 already done \(skipped\), 3 already submitted \(collecting, not resubmitting\)\.$/m);
    expect(second.stdout).toMatch(/^5 of 5 done in /m);
    // Only the input never submitted was submitted again.
    expect(emulator.counters.submits).toBe(5);

    // Every paid job's result is on disk: each input's sidecar names the job the journal holds.
    const saved = journal(work).filter((l) => l.event === 'saved');
    expect(saved).toHaveLength(5);
    const paidIds = new Set(submittedFirst.map((l) => l.requestId));
    const paidFor = new Map(submittedFirst.map((l) => [l.input, l.requestId]));
    for (const stem of stems) {
      const sidecar = JSON.parse(readFileSync(join(work, 'out', `${stem}.json`), 'utf8'));
      expect(existsSync(join(work, 'out', `${stem}.1.jpg`))).toBe(true);
      // An input paid for in run 1 has that job's result; the fifth has a new job.
      if (paidFor.has(sidecar.input)) expect(sidecar.requestId).toBe(paidFor.get(sidecar.input));
      else expect(paidIds.has(sidecar.requestId)).toBe(false);
    }
    expect([...paidFor.keys()].every((input) => stems.some((stem) => input.includes(stem)))).toBe(true);
    expect(new Set(saved.map((l) => l.requestId)).size).toBe(5);
    for (const id of paidIds) expect(saved.some((l) => l.requestId === id)).toBe(true);

    // Run 3: nothing left to do, nothing sent.
    const before = emulator.counters.total;
    const third = await runKontext(args, { cwd: work, env: env() });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/5 already done \(skipped\), 0 already submitted/);
    expect(emulator.counters.total).toBe(before);
  });

  it('after Ctrl-C, the cancelled jobs are submitted again on the rerun', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    emulator.resetCounters();
    const args = ['edit', 'photos', '-p', 'add a scarf', '--concurrency', '2'];
    const interrupted = await runKontext(args, {
      cwd: work,
      env: env(),
      onSpawn: (child) => {
        void until('2 submits', () => journal(work).filter((l) => l.event === 'submitted').length === 2).then(() => child.kill('SIGINT'));
      },
    });
    expect(interrupted.code).toBe(130);
    expect(journal(work).filter((l) => l.event === 'ended')).toHaveLength(2);
    expect(emulator.counters.cancels).toBe(2);

    let running = true;
    const releaser = (async () => {
      while (running) {
        emulator.finishRunningJobs();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const rerun = await runKontext(args, { cwd: work, env: env() }).finally(() => (running = false));
    await releaser;
    expect(rerun.code, rerun.stderr).toBe(0);
    // The two cancelled jobs cannot be collected (nothing to pay twice for): all three are submitted.
    expect(emulator.counters.submits).toBe(2 + 3);
    expect(rerun.stdout).toMatch(/^3 of 3 done in /m);
  });
});
