// The bench's no-log polling cases on a simulated clock, in about a second: our adaptive plan
// (the core's pure functions, built) against a fixed 500 ms poller like @fal-ai/client's
// default. For trying a plan change before the real bench (which takes minutes, under the
// lock); it models a fixed network delay and no CPU, so its numbers are a guide, not a result.
//
//   node bench/simulate-polling.mjs                 the bench's own seeds, per round
//   node bench/simulate-polling.mjs --seeds 16      averages over 16 other seeds per case
//   node bench/simulate-polling.mjs --oracle        as if the client knew the true spread already
//   node bench/simulate-polling.mjs --tuning '{"budgetInterval":450}'
import { createRandomSource } from '@anyapi-kontext/emulator';
import { median, percentile } from './lib/stats.mjs';

const plan = await import(new URL('../packages/core/dist/queue/poll-plan.js', import.meta.url));
const argv = process.argv.slice(2);
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const oracle = argv.includes('--oracle');
const tuning = { ...plan.defaultPollTuning, ...JSON.parse(valueOf('--tuning') ?? '{}') };
const ONE_WAY = 1.5; // ms each way; the emulator stores the end before it answers

// The bench's no-log cases, with the seeds `bench/run.mjs` gives them.
const CASES = {
  'short, --quick': { minMs: 500, maxMs: 1500, jobs: 16, concurrency: 8, rounds: 2, seed: 3000 },
  'long, --quick': { minMs: 3000, maxMs: 12000, jobs: 8, concurrency: 8, rounds: 2, seed: 4000 },
  'short, full': { minMs: 500, maxMs: 1500, jobs: 24, concurrency: 8, rounds: 3, seed: 3000 },
  'long, full': { minMs: 3000, maxMs: 12000, jobs: 16, concurrency: 8, rounds: 3, seed: 4000 },
};

/** Ours: the plan, with the lifecycle's shared state (history, running jobs, wake on an end). */
function adaptive(state) {
  return (job, ticketAt, at, done) => {
    let watch = plan.startWatch(ticketAt, 0);
    const mine = { startedAt: undefined, wake: undefined };
    state.running.add(mine);
    let sleepId = 0;
    const delay = (now) => {
      const others = [...state.running].filter((j) => j !== mine && j.startedAt !== undefined).map((j) => now - j.startedAt);
      return plan.nextPollDelay(watch, state.history, now, tuning, others);
    };
    const sleep = (now) => {
      const id = (sleepId += 1);
      mine.wake = sleep;
      at(now + delay(now), (t) => id === sleepId && poll(t));
    };
    const poll = (sentAt) => {
      mine.wake = undefined;
      job.polls += 1;
      at(sentAt + 2 * ONE_WAY, (now) => {
        if (sentAt + ONE_WAY < job.end) {
          watch = plan.observeStatus(watch, { status: 'IN_PROGRESS', logs: [] }, sentAt, now);
          mine.startedAt = watch.startedAt;
          return sleep(now);
        }
        state.history = plan.withDuration(state.history, { status: 'COMPLETED', logs: [], metrics: { inference_time: job.length / 1000 } });
        state.running.delete(mine);
        for (const other of state.running) other.wake?.(now);
        done(now);
      });
    };
    sleep(ticketAt);
  };
}

/** @fal-ai/client's default: a poll as soon as the ticket is back, then 500 ms after each answer. */
const fixed500 = () => (job, ticketAt, at, done) => {
  const poll = (sentAt) => {
    job.polls += 1;
    at(sentAt + 2 * ONE_WAY, (now) => (sentAt + ONE_WAY < job.end ? at(now + 500, poll) : done(now)));
  };
  poll(ticketAt);
};

/** One round: `lengths` through a pool of `concurrency`; detection latency as the emulator measures it. */
function round(lengths, concurrency, client) {
  const events = [];
  const at = (time, run) => events.push({ time, run });
  const out = [];
  let next = 0;
  const submit = (now) => {
    if (next >= lengths.length) return;
    const job = { length: lengths[next], end: now + ONE_WAY + lengths[next], polls: 0 };
    next += 1;
    client(job, now + 2 * ONE_WAY, at, (seenAt) => {
      out.push({ latency: seenAt + ONE_WAY - job.end, requests: job.polls + 2 });
      at(seenAt + 2 * ONE_WAY, submit); // the result comes back, the pool takes the next job
    });
  };
  for (let i = 0; i < concurrency; i += 1) submit(0);
  while (events.length > 0) {
    events.sort((a, b) => a.time - b.time);
    const { time, run } = events.shift();
    run(time);
  }
  return { medianMs: median(out.map((o) => o.latency)), p90Ms: percentile(out.map((o) => o.latency), 90), requestsPerJob: out.reduce((sum, o) => sum + o.requests, 0) / out.length };
}

function runCase({ minMs, maxMs, jobs, concurrency, rounds, seed }, makeClient) {
  const state = { history: oracle ? Array.from({ length: 32 }, (_, i) => minMs + (i / 31) * (maxMs - minMs)) : [], running: new Set() };
  const client = makeClient(state);
  const perRound = [];
  for (let r = 0; r < rounds; r += 1) {
    const random = createRandomSource(seed + r).next;
    perRound.push(round(Array.from({ length: jobs }, () => Math.round(minMs + random() * (maxMs - minMs))), concurrency, client));
  }
  const of = (key) => median(perRound.map((p) => p[key]));
  return { medianMs: of('medianMs'), p90Ms: of('p90Ms'), requestsPerJob: of('requestsPerJob'), perRound };
}

const fmt = (r) => `median ${r.medianMs.toFixed(0)} ms, p90 ${r.p90Ms.toFixed(0)} ms, ${r.requestsPerJob.toFixed(2)} requests`;
const seeds = Number(valueOf('--seeds') ?? 0);
for (const [name, spec] of Object.entries(CASES)) {
  if (seeds === 0) {
    const ours = runCase(spec, adaptive);
    const peer = runCase(spec, fixed500);
    console.log(`${name}: ours ${fmt(ours)} | 500 ms poller ${fmt(peer)} | latency ${(ours.medianMs / peer.medianMs).toFixed(2)}x`);
    continue;
  }
  const sums = { latency: 0, requests: 0, p90: 0, both: 0 };
  for (let j = 1; j <= seeds; j += 1) {
    const other = { ...spec, seed: spec.seed + 7919 * j };
    const ours = runCase(other, adaptive);
    const peer = runCase(other, fixed500);
    sums.latency += ours.medianMs / peer.medianMs / seeds;
    sums.requests += ours.requestsPerJob / peer.requestsPerJob / seeds;
    sums.p90 += ours.p90Ms / seeds;
    sums.both += ours.medianMs <= peer.medianMs / 2 && ours.requestsPerJob <= peer.requestsPerJob ? 1 : 0;
  }
  console.log(`${name}, ${seeds} seeds: latency ${sums.latency.toFixed(2)}x, requests ${sums.requests.toFixed(2)}x, p90 ${sums.p90.toFixed(0)} ms; both targets met in ${sums.both}/${seeds}`);
}
