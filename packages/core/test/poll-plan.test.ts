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
    expect(plausibleRange([1000])).toEqual({ earliest: 500, latest: 1500 });
    expect(plausibleRange([1000, 3000, 2000])).toEqual({ earliest: 750, latest: 3750 });
  });
});

describe('nextPollDelay', () => {
  it('does not poll right after the submit: the first poll of a job with nothing to go on waits firstPoll', () => {
    expect(nextPollDelay(startWatch(T0, 0), [], T0)).toBe(defaultPollTuning.firstPoll);
  });

  it('with nothing to go on, waits a growing share of the time waited', () => {
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running(), T0 + 250, T0 + 260);
    expect(nextPollDelay(watch, [], T0 + 260)).toBe(65); // a quarter of the 260 ms since the job was queued
    watch = observeStatus(watch, running(), T0 + 4000, T0 + 4000);
    expect(nextPollDelay(watch, [], T0 + 4000)).toBe(1000);
  });

  it('aims just after the end that the progress in the logs predicts', () => {
    let watch = startWatch(T0, 0);
    // Started at 100, half done at 600: it should end at 1100.
    watch = observeStatus(watch, running([line('Starting', 100), line('Editing: 50%', 600)]), T0 + 690, T0 + 700);
    expect(watch.startedAt).toBe(T0 + 100);
    expect(nextPollDelay(watch, [], T0 + 700)).toBe(1100 + defaultPollTuning.settle - 700);
  });

  it('looks again soon when the job runs past its predicted end, less often the later it gets', () => {
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running([line('Starting', 0), line('step 14/28', 500)]), T0 + 1010, T0 + 1015);
    expect(nextPollDelay(watch, [], T0 + 1015)).toBe(defaultPollTuning.minInterval);
    watch = observeStatus(watch, running([line('Starting', 0), line('step 14/28', 500)]), T0 + 1400, T0 + 1400);
    expect(nextPollDelay(watch, [], T0 + 1400)).toBe(100); // a quarter of the 400 ms it is late
  });

  it('never polls before the shortest plausible job could end, then closer together as the window closes', () => {
    const history = [1000, 1000, 1000]; // plausible: 750 to 1250 ms
    let watch = startWatch(T0, 0);
    const first = nextPollDelay(watch, history, T0);
    expect(first).toBe(750 + Math.round(Math.sqrt(2 * defaultPollTuning.requestCost * 500)));
    watch = observeStatus(watch, running(), T0 + first, T0 + first);
    const second = nextPollDelay(watch, history, T0 + first);
    watch = observeStatus(watch, running(), T0 + first + second, T0 + first + second);
    const third = nextPollDelay(watch, history, T0 + first + second);
    expect(second).toBeLessThan(first - 750);
    expect(third).toBeLessThan(second);
  });

  it('falls back to growing waits once the job has run longer than any plausible duration', () => {
    let watch = startWatch(T0, 0);
    watch = observeStatus(watch, running(), T0 + 2000, T0 + 2000);
    expect(nextPollDelay(watch, [1000], T0 + 2000)).toBe(500);
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
});

describe('estimatedStart', () => {
  it('projects the start from how fast the queue position moves', () => {
    let watch = startWatch(T0, 4);
    watch = observeStatus(watch, queued(2), T0 + 1000, T0 + 1005);
    // Two places in 1000 ms: 500 ms a place, three places to go (positions 2, 1, 0).
    expect(estimatedStart(watch, [], T0 + 1005)).toBe(T0 + 2500);
    expect(nextPollDelay(watch, [], T0 + 1005)).toBe(2500 + defaultPollTuning.firstPoll - 1005);
  });

  it('knows nothing from a position that has not moved, unless history says how long jobs take', () => {
    const watch = observeStatus(startWatch(T0, 3), queued(3), T0 + 1000, T0 + 1000);
    expect(estimatedStart(watch, [], T0 + 1000)).toBeUndefined();
    expect(estimatedStart(watch, [2000], T0 + 1000)).toBe(T0 + 1000);
  });
});
