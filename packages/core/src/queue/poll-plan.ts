import type { LogEntry, QueueStatus } from '../types.js';

/**
 * Adaptive polling: when to ask for a job's status next, from what the queue has said about
 * it and how long this endpoint's jobs took before. Pure functions over plain data (time is
 * passed in), so every rule is tested directly, like the retry decision.
 *
 * The signals, strongest first:
 * 1. progress in the job's log lines ("50%", "step 14/28") with their timestamps: the end is
 *    extrapolated from the rate of progress (between the first and the latest progress line
 *    once there are two, else since the job's start), and the next poll goes just after it;
 * 2. how long this endpoint's jobs run: the `metrics.inference_time` of finished jobs, and the
 *    jobs still running (this one and the client's others), each at least as long as it has
 *    run so far. They give a plausible window; no poll comes before it opens, and inside it
 *    the polls come closer together as the window closes, spaced as the hazard asks (see
 *    `windowSpacing`). A job that runs past the window widens it rather than starting over;
 * 3. with neither (the first jobs of a client), intervals that grow with the time waited.
 * A queued job's start is estimated from how fast its queue position moves. The job's start
 * is read from its first log line's timestamp when it has one (the server's clock, corrected
 * by the bounds its answers put on the difference between the two clocks).
 */
export interface JobWatch {
  /** When the job was queued (our clock), i.e. when the ticket came back. */
  queuedAt: number;
  /** Latest time a status answer said the job still waits: our clock when it was asked for. */
  waitingUntil: number | undefined;
  /** When the job started running, our clock; undefined while it is only known to wait. */
  startedAt: number | undefined;
  /** Queue positions as they were seen: the first one and the latest one. */
  firstPosition: PositionSeen | undefined;
  lastPosition: PositionSeen | undefined;
  /** The latest progress a log line reported, with when it was written (our clock). */
  progress: { fraction: number; at: number } | undefined;
  /** The first progress line seen: with the latest, it gives the rate without the start's error. */
  firstProgress: { fraction: number; at: number } | undefined;
  /** The server's clock minus ours lies in [low, high] (from log timestamps). */
  clockOffset: { low: number; high: number };
  /** Log lines already seen, so that new ones can be told apart. */
  logsSeen: number;
  /** When the latest status request was sent (our clock). */
  lastSentAt: number;
  /** Status answers seen (the ticket not counted). */
  polls: number;
}

export interface PositionSeen {
  position: number;
  at: number;
}

/** How eager the plan is. Every figure is in milliseconds. */
export interface PollTuning {
  /** No two polls closer than this. */
  minInterval: number;
  /** No wait longer than this, whatever the estimate. */
  maxInterval: number;
  /** The first poll of a job with nothing to go on comes this long after the submit. */
  firstPoll: number;
  /** With nothing to go on, the next poll comes after this share of the time waited so far. */
  growth: number;
  /** A job late for the end its progress predicted is looked at again after this share of how late it is. */
  lateGrowth: number;
  /**
   * The requests a job may cost: one per this many ms it is expected to run (as a poller at this
   * fixed interval would spend), placed where the job most likely ends.
   */
  budgetInterval: number;
  /** What one request is worth in latency at the least: bounds the polls of a very wide window. */
  minRequestCost: number;
  /** ... and at the most: a narrow window (short jobs) may spend more than its budget, as they are cheap. */
  maxRequestCost: number;
  /** The first poll in the window comes this share of the window's first spacing after it opens. */
  firstInWindow: number;
  /** A poll aimed at a predicted end comes this long after it (the job still has to be stored). */
  settle: number;
}

export const defaultPollTuning: PollTuning = {
  minInterval: 20,
  maxInterval: 5000,
  firstPoll: 250,
  growth: 0.75,
  lateGrowth: 0.25,
  budgetInterval: 550,
  minRequestCost: 5,
  maxRequestCost: 50,
  firstInWindow: 0.5,
  settle: 15,
};

/** The durations (ms) of this endpoint's finished jobs, newest last; at most `HISTORY_SIZE`. */
export type DurationHistory = readonly number[];

export const HISTORY_SIZE = 32;

/** Adds a finished job's `metrics.inference_time` (seconds) to the history. */
export function withDuration(history: DurationHistory, status: QueueStatus): DurationHistory {
  const seconds = status.status === 'COMPLETED' ? status.metrics?.inference_time : undefined;
  if (typeof seconds !== 'number' || !(seconds > 0) || !Number.isFinite(seconds)) return history;
  return [...history, seconds * 1000].slice(-HISTORY_SIZE);
}

/** The watch of a job whose ticket came back at `now`. */
export function startWatch(now: number, queuePosition: number | undefined): JobWatch {
  const position = typeof queuePosition === 'number' ? { position: queuePosition, at: now } : undefined;
  return {
    queuedAt: now,
    waitingUntil: undefined,
    startedAt: undefined,
    firstPosition: position,
    lastPosition: position,
    progress: undefined,
    firstProgress: undefined,
    clockOffset: { low: -Infinity, high: Infinity },
    logsSeen: 0,
    lastSentAt: now,
    polls: 0,
  };
}

/** Folds a status answer into the watch; `sentAt` and `receivedAt` bracket the request. */
export function observeStatus(watch: JobWatch, status: QueueStatus, sentAt: number, receivedAt: number): JobWatch {
  const next: JobWatch = { ...watch, lastSentAt: sentAt, polls: watch.polls + 1 };
  if (status.status === 'IN_QUEUE') {
    next.waitingUntil = Math.max(watch.waitingUntil ?? sentAt, sentAt);
    if (typeof status.queue_position === 'number') {
      const seen = { position: status.queue_position, at: sentAt };
      next.firstPosition = watch.firstPosition ?? seen;
      next.lastPosition = seen;
    }
    return next;
  }
  const logs = Array.isArray(status.logs) ? status.logs : [];
  const stamped = logs.map((entry) => ({ entry, at: logTime(entry) }));
  next.clockOffset = boundClockOffset(watch, stamped, receivedAt);
  next.logsSeen = Math.max(watch.logsSeen, logs.length);
  const offset = pickOffset(next.clockOffset);
  const firstStamp = stamped.find((item) => item.at !== undefined)?.at;
  // The first log line is written when the job starts; without one, the start is taken as
  // the earliest it can have been, which errs towards polling early rather than late.
  const earliest = watch.waitingUntil ?? -Infinity;
  next.startedAt =
    firstStamp !== undefined
      ? Math.max(earliest, firstStamp - offset)
      : (watch.startedAt ?? watch.waitingUntil ?? watch.queuedAt);
  const reported = stamped.flatMap(({ entry, at }) => {
    const fraction = progressOf(entry.message);
    return fraction !== undefined && at !== undefined ? [{ fraction, at: at - offset }] : [];
  });
  if (reported.length > 0) {
    next.progress = reported[reported.length - 1];
    next.firstProgress = watch.firstProgress ?? reported[0];
  }
  return next;
}

/**
 * Milliseconds to wait before the next status poll of a job that has not ended. `othersRunning`
 * says how long each of the client's other running jobs of the same endpoint has run so far.
 */
export function nextPollDelay(
  watch: JobWatch,
  history: DurationHistory,
  now: number,
  tuning: PollTuning = defaultPollTuning,
  othersRunning: readonly number[] = [],
): number {
  const target = nextPollTime(watch, history, now, tuning, othersRunning);
  const sinceLastPoll = now - watch.lastSentAt;
  const delay = Math.max(target - now, tuning.minInterval - sinceLastPoll);
  return Math.round(Math.min(Math.max(delay, 0), tuning.maxInterval));
}

function nextPollTime(
  watch: JobWatch,
  history: DurationHistory,
  now: number,
  tuning: PollTuning,
  othersRunning: readonly number[],
): number {
  const start = watch.startedAt ?? estimatedStart(watch, history);
  if (start === undefined) return now + growthInterval(now - watch.queuedAt, tuning);
  const elapsed = Math.max(0, now - start);

  const predicted = predictedEnd(watch);
  if (predicted !== undefined) {
    const end = predicted + tuning.settle;
    if (end > now) return end;
    // Late: the job runs past its prediction. Look again soon, less often the later it gets.
    return now + Math.max(tuning.minInterval, (now - end + tuning.settle) * tuning.lateGrowth);
  }

  const range = plausibleRange(history, [elapsed, ...othersRunning]);
  if (!range) return Math.max(now, start) + growthInterval(elapsed, tuning);
  // No poll before the shortest plausible job could end; then closer together as the window
  // closes. Counted from the last poll, not from now: a plan made again when another job ends
  // must bring the poll forward or leave it, never push it back.
  const lastAge = watch.polls > 0 ? watch.lastSentAt - start : -Infinity;
  if (lastAge < range.earliest) return start + range.earliest + windowSpacing(range, range.earliest, tuning) * tuning.firstInWindow;
  return watch.lastSentAt + windowSpacing(range, lastAge, tuning);
}

/**
 * The durations a job of this endpoint may plausibly take, from the finished ones (`history`)
 * and the running ones (`running`: how long each has run so far, so at least that long). Read
 * as a uniform spread over [earliest, latest]: of k finished jobs, the next one is the shortest
 * yet one time in k + 1, so `earliest` sits that far below the shortest. `latest` is the most
 * likely end of the spread given both kinds of evidence: many jobs still running where few
 * have finished mean a long tail (the uniform's likelihood with censored samples, see
 * `likeliestLatest`); it never falls short of the longest finished job plus the average gap
 * between finished jobs, nor of any running job plus the gap.
 */
export function plausibleRange(
  history: DurationHistory,
  running: readonly number[] = [],
): { earliest: number; latest: number } | undefined {
  const k = history.length;
  if (k === 0) return undefined;
  const earliest = (Math.min(...history) * k) / (k + 1);
  const longest = Math.max(...history);
  const longestRunning = Math.max(earliest, ...running);
  const gap = (Math.max(longest, longestRunning) - earliest) / (k + 1);
  const latest = Math.max(longest + gap, longestRunning + gap, likeliestLatest(k, earliest, running));
  return { earliest, latest };
}

/**
 * For a uniform spread starting at `earliest`, the end `hi` that makes k finished jobs and the
 * running ones most likely: each finished job has density 1 / (hi - earliest), each running one
 * has survived to its age e with probability (hi - e) / (hi - earliest). The root of the
 * likelihood's slope, sum 1 / (hi - e) = (k + m) / (hi - earliest), found by bisection.
 */
function likeliestLatest(k: number, earliest: number, running: readonly number[]): number {
  const ages = running.filter((age) => age > earliest);
  if (ages.length === 0) return earliest;
  const n = k + ages.length;
  const slope = (hi: number) => ages.reduce((sum, age) => sum + 1 / (hi - age), 0) - n / (hi - earliest);
  let low = Math.max(...ages);
  let high = low + (low - earliest) * (ages.length / k + 1) + 1;
  while (slope(high) > 0) high += high - earliest;
  for (let i = 0; i < 40; i += 1) {
    const middle = (low + high) / 2;
    if (slope(middle) > 0) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * The wait until the next poll of a job that has run `elapsed` inside the window. For a uniform
 * spread the chance that the job ends in the next moment (the hazard) is 1 / (time left in the
 * window), and the wait that balances a request against the latency it saves is
 * sqrt(2 x cost x time left). Over a window of width W that spends (2 / 3) x sqrt(W / (2 x cost))
 * polls on average for a mean latency of sqrt(2 x cost x W) / 3 (the least latency those polls
 * can buy; bench/README.md works it through). The cost is chosen so that the polls come to the
 * budget: one per `budgetInterval` of the window's mean duration, less the poll that opens the
 * window. Never below `minRequestCost`, so a very wide window does not cost a poll every few ms,
 * nor above `maxRequestCost`, so the few polls of a narrow window are not spread too thin.
 */
export function windowSpacing(
  range: { earliest: number; latest: number },
  elapsed: number,
  tuning: PollTuning = defaultPollTuning,
): number {
  const width = Math.max(range.latest - range.earliest, tuning.minInterval);
  const polls = Math.max(1, (range.earliest + range.latest) / 2 / tuning.budgetInterval - 1);
  const cost = Math.min(tuning.maxRequestCost, Math.max(tuning.minRequestCost, (2 * width) / (9 * polls ** 2)));
  const left = Math.max(range.latest - elapsed, 0);
  return Math.max(tuning.minInterval, Math.sqrt(2 * cost * left));
}

function growthInterval(waited: number, tuning: PollTuning): number {
  return waited < tuning.firstPoll ? tuning.firstPoll - waited : Math.max(tuning.minInterval, waited * tuning.growth);
}

/**
 * When a queued job is likely to start: its queue position moves at the speed seen so far
 * (position 0 is next in line), and never before the last answer that said it still waits.
 * Undefined while the position has not moved and there is no history to plan with.
 */
export function estimatedStart(watch: JobWatch, history: DurationHistory): number | undefined {
  const first = watch.firstPosition;
  const last = watch.lastPosition;
  if (!first || !last) return undefined;
  const stillWaiting = watch.waitingUntil ?? watch.queuedAt;
  if (last.at > first.at && first.position > last.position) {
    const perPlace = (last.at - first.at) / (first.position - last.position);
    return Math.max(stillWaiting, last.at + (last.position + 1) * perPlace);
  }
  // Not moved yet: with no history that tells nothing. With one, the job may start any
  // moment: taking it as starting when it was last seen waiting errs towards polling early,
  // and each answer that says it still waits moves the estimate on. Not `now`: a plan made
  // again later (when another job ends) must not push the poll back.
  return history.length === 0 ? undefined : stillWaiting;
}

/**
 * When the job will end as its progress says, once it has said enough. With two progress lines
 * far enough apart, from the rate between them: the job's start is known less well (its first
 * log line is written when the server gets to it: 13 ms late was seen with 8 jobs starting
 * together, and at 25% done that error is tripled in the prediction). Else from the start.
 */
function predictedEnd(watch: JobWatch): number | undefined {
  const { progress, firstProgress, startedAt } = watch;
  if (!progress || !(progress.fraction > 0)) return undefined;
  if (firstProgress && progress.fraction - firstProgress.fraction >= 0.1 && progress.at - firstProgress.at >= 20) {
    const perFraction = (progress.at - firstProgress.at) / (progress.fraction - firstProgress.fraction);
    return progress.at + (1 - progress.fraction) * perFraction;
  }
  if (startedAt === undefined) return undefined;
  const ran = progress.at - startedAt;
  // Too little progress, too soon, makes a wild extrapolation.
  if (ran < 20 || progress.fraction < 0.05) return undefined;
  return startedAt + ran / progress.fraction;
}

/**
 * A log line's progress as a share of the job: "45%" or "step 14/28" (diffusion models log
 * both). Undefined for lines that say neither.
 */
export function progressOf(message: string): number | undefined {
  const step = /\bstep\s+(\d+)\s*\/\s*(\d+)/i.exec(message);
  if (step) {
    const done = Number(step[1]);
    const total = Number(step[2]);
    if (total > 0 && done <= total) return done / total;
  }
  const percent = /(\d{1,3}(?:\.\d+)?)\s?%/.exec(message);
  if (percent) {
    const value = Number(percent[1]);
    if (value >= 0 && value <= 100) return value / 100;
  }
  return undefined;
}

/** A log line's timestamp in ms since the epoch, by the server's clock; fal's carry no zone and are UTC. */
export function logTime(entry: LogEntry): number | undefined {
  const text = (entry as { timestamp?: unknown }).timestamp;
  if (typeof text !== 'string' || text === '') return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * A line the server wrote cannot be later (by its clock) than when its answer reached us,
 * and a line missing from the previous answer was written after that request was sent.
 */
function boundClockOffset(
  watch: JobWatch,
  stamped: readonly { at: number | undefined }[],
  receivedAt: number,
): JobWatch['clockOffset'] {
  let { low, high } = watch.clockOffset;
  stamped.forEach(({ at }, index) => {
    if (at === undefined) return;
    low = Math.max(low, at - receivedAt);
    if (index >= watch.logsSeen && watch.polls > 0) high = Math.min(high, at - watch.lastSentAt);
  });
  return { low, high };
}

/** Trust the two clocks to agree unless the answers prove otherwise; then take the middle of what they allow. */
function pickOffset({ low, high }: JobWatch['clockOffset']): number {
  if (low <= 0 && 0 <= high) return 0;
  if (low > high || high === Infinity) return low;
  if (low === -Infinity) return high;
  return (low + high) / 2;
}
