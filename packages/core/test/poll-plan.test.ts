import { describe, expect, it } from 'vitest';
import {
  defaultPollTuning,
  estimatedStart,
  HISTORY_SIZE,
  logTime,
  nextPollDelay,
  observeStatus,
  plausibleRange,
  progressOf,
  startWatch,
  windowSpacing,
  withDuration,
} from '../src/queue/poll-plan.js';
import type { LogEntry, QueueStatus } from '../src/index.js';

// The emulator's clock and ours agree in these tests unless one says otherwise: times are ms.
const T0 = Date.parse('2026-11-24T06:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const line = (message: string, ms: number): LogEntry => ({ message, level: 'INFO', source: 'USER', timestamp: at(ms) });
const running = (logs: LogEntry[] = []): QueueStatus => ({ status: 'IN_PROGRESS', logs });
const queued = (queue_position: number): QueueStatus => ({ status: 'IN_QUEUE', queue_position });
const completed = (inference_time: number | null | undefined): QueueStatus => ({
  status: 'COMPLETED',
  logs: [],
  metrics: inference_time === undefined ? {} : { inference_time },
});

describe('progressOf', () => {
  it('reads a percentage or a diffusion step count as a share of the job', () => {
    expect(progressOf('Editing: 25% (step 7/28)')).toBe(0.25);
    expect(progressOf('denoising step 14/28')).toBe(0.5);
    expect(progressOf('45.5 % done')).toBe(0.455);
  });

  it('says nothing for lines without progress, or with impossible progress', () => {
    expect(progressOf('Starting FLUX.1 Kontext [pro] edit')).toBeUndefined();
    expect(progressOf('loaded 150% faster')).toBeUndefined();
    expect(progressOf('step 30/28')).toBeUndefined();
  });
});

describe('logTime', () => {
  it('reads ISO timestamps, taking one without a zone as UTC as fal writes them', () => {
    expect(logTime(line('x', 1234))).toBe(T0 + 1234);
    expect(logTime({ message: 'x', timestamp: '2026-11-24T06:00:01.234' } as LogEntry)).toBe(T0 + 1234);
    expect(logTime({ message: 'x', timestamp: '2026-11-24T06:00:01.234567' } as LogEntry)).toBe(T0 + 1234);
    expect(logTime({ message: 'x', timestamp: '2026-11-24T08:00:01.234+02:00' } as LogEntry)).toBe(T0 + 1234);
  });

  it('ignores what it cannot read', () => {
    expect(logTime({ message: 'x', timestamp: 'yesterday' } as LogEntry)).toBeUndefined();
    expect(logTime({ message: 'x' } as LogEntry)).toBeUndefined();
  });
});

describe('withDuration', () => {
  it("keeps a finished job's inference_time in ms", () => {
    expect(withDuration([800], completed(1.25))).toEqual([800, 1250]);
  });

  it('ignores statuses without a usable inference_time', () => {
    for (const status of [completed(null), completed(undefined), completed(0), completed(-1), running()]) {
      expect(withDuration([800], status)).toEqual([800]);
    }
  });

  it(`keeps the newest ${HISTORY_SIZE}`, () => {
    let history: readonly number[] = [];
    for (let i = 1; i <= HISTORY_SIZE + 3; i += 1) history = withDuration(history, completed(i));
    expect(history).toHaveLength(HISTORY_SIZE);
    expect(history[0]).toBe(4000);
    expect(history.at(-1)).toBe((HISTORY_SIZE + 3) * 1000);
  });
});

describe('plausibleRange', () => {
  it('is unknown without history', () => {
    expect(plausibleRange([])).toBeUndefined();
  });

  it('widens the range seen while it rests on few jobs, less as jobs are added', () => {
    expect(plausibleRange([1000])).toEqual({ earliest: 500, latest: 1250 });
    expect(plausibleRange([1000, 3000, 2000])).toEqual({ earliest: 750, latest: 3562.5 });
  });

  it('reaches further when many jobs still run where few have finished', () => {
    // One of eight ended at 4 s and seven still run at 4 s: a uniform spread from 2 s that
    // makes this likeliest ends near 2 + 8 x 2 = 18 s, not at the 5 s one finished job suggests.
    const alone = plausibleRange([4000])!;
    const crowd = plausibleRange([4000], Array(7).fill(4000))!;
    expect(alone.latest).toBe(5000);
    expect(crowd.earliest).toBe(2000);
    expect(crowd.latest).toBeCloseTo(18_000, 0);
  });

  it('moves with a job that runs past every finished one, so the window never closes on it', () => {
    const history = [3000, 5000, 7000];
    for (const age of [8000, 12_000, 30_000]) {
      expect(plausibleRange(history, [age])!.latest).toBeGreaterThan(age);
    }
  });

  it('ignores running jobs that have not reached the window yet', () => {
    expect(plausibleRange([1000, 3000, 2000], [100, 200])).toEqual(plausibleRange([1000, 3000, 2000]));
  });
});

describe('windowSpacing', () => {
  it('polls closer together as the window closes', () => {
    const range = { earliest: 3000, latest: 12_000 };
    const spacings = [3000, 6000, 9000, 11_000].map((age) => windowSpacing(range, age));
    for (let i = 1; i < spacings.length; i += 1) expect(spacings[i]).toBeLessThan(spacings[i - 1]!);
  });

  it('spends about one poll per budgetInterval of the mean duration over a wide window', () => {
    // Walk the plan over a uniform 3-12 s spread and count the polls a job of each length gets.
    const range = { earliest: 3000, latest: 12_000 };
    const polls: number[] = [];
    for (let length = 3000; length <= 12_000; length += 50) {
      let at = range.earliest + windowSpacing(range, range.earliest) * defaultPollTuning.firstInWindow;
      let count = 1;
      while (at < length) {
        at += windowSpacing(range, at);
        count += 1;
      }
      polls.push(count);
    }
    const mean = polls.reduce((a, b) => a + b, 0) / polls.length;
    const fixedPoller = 7500 / defaultPollTuning.budgetInterval; // a poller at that interval, from the submit
    expect(mean).toBeLessThanOrEqual(fixedPoller + 1);
    expect(mean).toBeGreaterThan(fixedPoller / 2);
  });
});

describe('nextPollDelay', () => {
  it('does not poll right after the submit: the first poll of a job with nothing to go on waits firstPoll', () => {
    expect(nextPollDelay(startWatch(T0, 0), [], T0)).toBe(defaultPollTuning.firstPoll);
  });

  it('with nothing to go on, waits a growing share of the time waited', () => {
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running(), T0 + 250, T0 + 260);
    expect(nextPollDelay(watch, [], T0 + 260)).toBe(Math.round(260 * defaultPollTuning.growth));
    watch = observeStatus(watch, running(), T0 + 4000, T0 + 4000);
    expect(nextPollDelay(watch, [], T0 + 4000)).toBe(4000 * defaultPollTuning.growth);
  });

  it('aims just after the end that the progress in the logs predicts', () => {
    let watch = startWatch(T0, 0);
    // Started at 100, half done at 600: it should end at 1100.
    watch = observeStatus(watch, running([line('Starting', 100), line('Editing: 50%', 600)]), T0 + 690, T0 + 700);
    expect(watch.startedAt).toBe(T0 + 100);
    expect(nextPollDelay(watch, [], T0 + 700)).toBe(1100 + defaultPollTuning.settle - 700);
  });

  it('takes the rate between the first and the latest progress line, not from a first log line written late', () => {
    let watch = startWatch(T0, 0);
    // Started at 0, but its first line was written at 13 (the server was busy); 25% at 250.
    watch = observeStatus(watch, running([line('Starting', 13), line('Editing: 25%', 250)]), T0 + 265, T0 + 270);
    // From the start alone the end looks like 13 + 237 / 0.25 = 961: too early.
    expect(nextPollDelay(watch, [], T0 + 270)).toBe(961 + defaultPollTuning.settle - 270);
    const logs = [line('Starting', 13), line('Editing: 25%', 250), line('Editing: 50%', 500), line('Editing: 75%', 750)];
    watch = observeStatus(watch, running(logs), T0 + 760, T0 + 765);
    // 25% to 75% took 500 ms: the end is at 1000.
    expect(nextPollDelay(watch, [], T0 + 765)).toBe(1000 + defaultPollTuning.settle - 765);
  });

  it('looks again soon when the job runs past its predicted end, less often the later it gets', () => {
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running([line('Starting', 0), line('step 14/28', 500)]), T0 + 1010, T0 + 1015);
    expect(nextPollDelay(watch, [], T0 + 1015)).toBe(defaultPollTuning.minInterval);
    watch = observeStatus(watch, running([line('Starting', 0), line('step 14/28', 500)]), T0 + 1400, T0 + 1400);
    expect(nextPollDelay(watch, [], T0 + 1400)).toBe(400 * defaultPollTuning.lateGrowth); // a share of the 400 ms it is late
  });

  it('never polls before the shortest plausible job could end, then closer together as the window closes', () => {
    const history = [1000, 1000, 1000]; // plausible: 750 to 1312.5 ms
    const range = plausibleRange(history)!;
    let watch = startWatch(T0, 0);
    const first = nextPollDelay(watch, history, T0);
    expect(first).toBeGreaterThan(750);
    expect(first).toBe(Math.round(750 + windowSpacing(range, 750) * defaultPollTuning.firstInWindow));
    watch = observeStatus(watch, running(), T0 + first, T0 + first);
    const second = nextPollDelay(watch, history, T0 + first);
    watch = observeStatus(watch, running(), T0 + first + second, T0 + first + second);
    const third = nextPollDelay(watch, history, T0 + first + second);
    expect(third).toBeLessThan(second);
  });

  it('polls a job that runs past every finished one closely, not from scratch', () => {
    // One finished job of 1 s; this one has run 2 s, 5 s, 20 s. Growing from the start (the
    // cold rule) would wait a large share of that; the window moves with the job instead.
    for (const age of [2000, 5000, 20_000]) {
      let watch = startWatch(T0, 0);
      watch = observeStatus(watch, running(), T0 + age, T0 + age);
      const delay = nextPollDelay(watch, [1000], T0 + age);
      expect(delay).toBeGreaterThanOrEqual(defaultPollTuning.minInterval);
      expect(delay).toBeLessThan((age - 500) / 3); // the window opened at 500 ms
      expect(delay).toBeLessThan(age * defaultPollTuning.growth);
    }
  });

  it("takes the client's other running jobs as evidence: many still running make a long tail, so it polls less often", () => {
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running(), T0 + 4100, T0 + 4100);
    const alone = nextPollDelay(watch, [4000], T0 + 4100);
    const withOthers = nextPollDelay(watch, [4000], T0 + 4100, defaultPollTuning, Array(7).fill(4100));
    expect(withOthers).toBeGreaterThan(alone);
  });

  it('plans the same poll when asked again later with nothing new (a job woken by another one ending)', () => {
    const history = [2000, 3000];
    const watch = observeStatus(startWatch(T0, 0), running(), T0 + 100, T0 + 100);
    const planned = T0 + 100 + nextPollDelay(watch, history, T0 + 100);
    expect(T0 + 700 + nextPollDelay(watch, history, T0 + 700)).toBe(planned);
    // Inside the window too: the next poll is counted from the last one, not from now.
    const inWindow = observeStatus(startWatch(T0, 0), running(), T0 + 2200, T0 + 2200);
    const next = T0 + 2200 + nextPollDelay(inWindow, history, T0 + 2200);
    expect(T0 + 2250 + nextPollDelay(inWindow, history, T0 + 2250)).toBe(next);
    const queuedWatch = startWatch(T0, 3);
    const queuedPlan = T0 + nextPollDelay(queuedWatch, history, T0);
    expect(T0 + 500 + nextPollDelay(queuedWatch, history, T0 + 500)).toBe(queuedPlan);
  });

  it('keeps minInterval from the last poll and never waits longer than maxInterval', () => {
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running([line('Starting', 0), line('1%', 0)]), T0 + 5, T0 + 6);
    expect(nextPollDelay(watch, [], T0 + 6)).toBeGreaterThanOrEqual(defaultPollTuning.minInterval - 1);
    watch = observeStatus(watch, running([line('Starting', 0), line('Editing: 10%', 1000)]), T0 + 1000, T0 + 1000);
    expect(nextPollDelay(watch, [], T0 + 1000)).toBe(defaultPollTuning.maxInterval); // predicted end at 10 s
  });

  it('reads the start from the first log line even when the server clock is ahead of ours', () => {
    const ahead = 60_000;
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running(), T0 + 100, T0 + 110);
    // Both lines were written between our previous poll (sent at 100) and this answer (received at 1010).
    watch = observeStatus(watch, running([line('Starting', ahead + 150), line('50%', ahead + 650)]), T0 + 1000, T0 + 1010);
    // The answers bound the offset to [59 640, 60 050] ms: the start lies between 100 and 510.
    const started = watch.startedAt! - T0;
    expect(started).toBeGreaterThanOrEqual(100);
    expect(started).toBeLessThanOrEqual(510);
    // Half done 500 ms after the start (by the server's clock): the end is 1000 ms after it.
    expect(nextPollDelay(watch, [], T0 + 1010)).toBe(Math.round(started + 1000 + defaultPollTuning.settle - 1010));
  });
  it('costs about one poll per shortest job while a job waits in a queue that does not move', () => {
    const history = [3000, 5000, 4000]; // earliest plausible: 2250 ms
    let watch = startWatch(T0, 5);
    let now = T0;
    let polls = 0;
    while (now < T0 + 30_000) {
      now += nextPollDelay(watch, history, now);
      polls += 1;
      watch = observeStatus(watch, queued(5), now, now);
    }
    expect(polls).toBeLessThanOrEqual(Math.ceil(30_000 / 2250));
    expect(polls).toBeGreaterThan(1);
  });
});

describe('estimatedStart', () => {
  it('projects the start from how fast the queue position moves', () => {
    let watch = startWatch(T0, 4);
    watch = observeStatus(watch, queued(2), T0 + 1000, T0 + 1005);
    // Two places in 1000 ms: 500 ms a place, three places to go (positions 2, 1, 0).
    expect(estimatedStart(watch, [])).toBe(T0 + 2500);
    expect(nextPollDelay(watch, [], T0 + 1005)).toBe(2500 + defaultPollTuning.firstPoll - 1005);
  });

  it('knows nothing from a position that has not moved, unless history says how long jobs take', () => {
    const watch = observeStatus(startWatch(T0, 3), queued(3), T0 + 1000, T0 + 1000);
    expect(estimatedStart(watch, [])).toBeUndefined();
    expect(estimatedStart(watch, [2000])).toBe(T0 + 1000);
  });
});
