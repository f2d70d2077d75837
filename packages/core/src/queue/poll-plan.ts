import type { LogEntry, QueueStatus } from '../types.js';

/**
 * Adaptive polling: when to ask for a job's status next, from what the queue has said about
 * it and how long this endpoint's jobs took before. Pure functions over plain data (time is
 * passed in), so every rule is tested directly, like the retry decision.
 *
 * The signals, strongest first:
 * 1. progress in the job's log lines ("50%", "step 14/28") with their timestamps: the end is
 *    extrapolated from the rate of progress, and the next poll goes just after it;
 * 2. the `metrics.inference_time` of this endpoint's finished jobs: no poll before the shortest
 *    of them could end, then polls that come closer together as the remaining candidates run
 *    out (an interval of sqrt(2 x cost x window), the spacing that balances a request against
 *    the latency it saves);
 * 3. with neither (the first job of a client), intervals that grow with the time waited.
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
  /** What one request is worth in latency: larger means fewer polls and later detection. */
  requestCost: number;
  /** A poll aimed at a predicted end comes this long after it (the job still has to be stored). */
  settle: number;
}

export const defaultPollTuning: PollTuning = {
  minInterval: 20,
  maxInterval: 5000,
  firstPoll: 250,
  growth: 0.25,
  requestCost: 10,
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
  for (let i = stamped.length - 1; i >= 0; i -= 1) {
    const { entry, at } = stamped[i]!;
    const fraction = progressOf(entry.message);
    if (fraction !== undefined && at !== undefined) {
      next.progress = { fraction, at: at - offset };
      break;
    }
  }
  return next;
}

/** Milliseconds to wait before the next status poll of a job that has not ended. */
export function nextPollDelay(
  watch: JobWatch,
  history: DurationHistory,
  now: number,
  tuning: PollTuning = defaultPollTuning,
): number {
  const target = nextPollTime(watch, history, now, tuning);
  const sinceLastPoll = now - watch.lastSentAt;
  const delay = Math.max(target - now, tuning.minInterval - sinceLastPoll);
  return Math.round(Math.min(Math.max(delay, 0), tuning.maxInterval));
}

function nextPollTime(watch: JobWatch, history: DurationHistory, now: number, tuning: PollTuning): number {
  const start = watch.startedAt ?? estimatedStart(watch, history, now);
  if (start === undefined) return now + growthInterval(now - watch.queuedAt, tuning);
  const sinceStart = Math.max(0, now - start);

  const predicted = predictedDuration(watch);
  if (predicted !== undefined) {
    const end = start + predicted + tuning.settle;
    if (end > now) return end;
    // Late: the job runs past its prediction. Look again soon, less often the later it gets.
    return now + Math.max(tuning.minInterval, (now - end + tuning.settle) * tuning.growth);
  }

  const elapsed = now - start;
  const range = plausibleRange(history);
  if (!range || range.latest <= elapsed) return Math.max(now, start) + growthInterval(sinceStart, tuning);
  // No poll before the shortest plausible job could end; then closer together as the window closes.
  const { earliest, latest } = range;
  const from = Math.max(earliest, elapsed);
  const spacing = Math.sqrt(2 * tuning.requestCost * Math.max(latest - from, 0));
  return start + from + Math.max(spacing, tuning.minInterval);
}

/**
 * The durations a job of this endpoint may plausibly take: the range of the history, widened
 * while it holds few jobs (of n jobs, the next one is the shortest yet one time in n + 1).
 */
export function plausibleRange(history: DurationHistory): { earliest: number; latest: number } | undefined {
  const n = history.length;
  if (n === 0) return undefined;
  const shortest = Math.min(...history);
  const longest = Math.max(...history);
  return { earliest: (shortest * n) / (n + 1), latest: (longest * (n + 2)) / (n + 1) };
}

function growthInterval(waited: number, tuning: PollTuning): number {
  return waited < tuning.firstPoll ? tuning.firstPoll - waited : Math.max(tuning.minInterval, waited * tuning.growth);
}

/**
 * When a queued job is likely to start: its queue position moves at the speed seen so far
 * (position 0 is next in line). Undefined while the position has not moved yet.
 */
export function estimatedStart(watch: JobWatch, history: DurationHistory, now: number): number | undefined {
  const first = watch.firstPosition;
  const last = watch.lastPosition;
  if (!first || !last) return undefined;
  if (last.at > first.at && first.position > last.position) {
    const perPlace = (last.at - first.at) / (first.position - last.position);
    return Math.max(now, last.at + (last.position + 1) * perPlace);
  }
  // Not moved yet: with no history that tells nothing. With one, the job may start any
  // moment; taking it as starting now errs towards polling early, and each answer that
  // says it still waits moves the estimate on.
  return history.length === 0 ? undefined : now;
}

/** The job's whole duration as its progress says, once it has said enough. */
function predictedDuration(watch: JobWatch): number | undefined {
  const { progress, startedAt } = watch;
  if (!progress || startedAt === undefined || !(progress.fraction > 0)) return undefined;
  const ran = progress.at - startedAt;
  // Too little progress, too soon, makes a wild extrapolation.
  if (ran < 20 || progress.fraction < 0.05) return undefined;
  return ran / progress.fraction;
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
