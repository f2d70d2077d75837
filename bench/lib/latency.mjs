// Detection latency and requests per job: each client runs the same seeded job lengths
// against the emulator process; the emulator says when each job ended and when its result
// was first asked for, and counts every request.
import { createRandomSource } from '@anyapi-kontext/emulator';
import { pool, median, percentile, round } from './stats.mjs';

/**
 * Runs `clients` ({ key, client }) through `rounds` rounds of `jobs` jobs with lengths drawn
 * uniformly from [minMs, maxMs], at most `concurrency` at once per client. Clients take
 * turns (a different one first each round) so none always runs on a cold or a warm machine.
 */
export async function latencyCase(emulator, { stream, jobLogs = true, minMs, maxMs, jobs, concurrency, rounds, seed, clients, imageUrl }) {
  await emulator.call('configure', { stream, jobLogs });
  const perClient = Object.fromEntries(clients.map(({ key }) => [key, { latencies: [], rounds: [] }]));
  for (let r = 0; r < rounds; r += 1) {
    // The emulator's own seeded source: the same seed gives every client and every run the same lengths.
    const random = createRandomSource(seed + r).next;
    const lengths = Array.from({ length: jobs }, () => Math.round(minMs + random() * (maxMs - minMs)));
    const order = clients.map((_, i) => clients[(i + r) % clients.length]);
    for (const { key, client } of order) {
      await emulator.call('resetCounters');
      const ids = await pool(jobs, concurrency, async (i) => {
        const input = { prompt: `bench job ${i} [bench ${lengths[i]} ms]`, image_url: imageUrl };
        const result = await client.run(input, lengths[i]);
        return result.requestId;
      });
      const counters = await emulator.call('counters');
      const times = await emulator.call('jobTimes', ids);
      const latencies = times.map((t) => (t?.endedAt && t.resultRequestedAt ? t.resultRequestedAt - t.endedAt : NaN));
      perClient[key].latencies.push(...latencies);
      perClient[key].rounds.push({
        medianMs: median(latencies),
        p90Ms: percentile(latencies, 90),
        requestsPerJob: counters.total / jobs,
        statusPerJob: counters.status / jobs,
      });
    }
  }
  return Object.fromEntries(
    Object.entries(perClient).map(([key, { rounds: done, latencies }]) => [
      key,
      {
        medianMs: round(median(done.map((d) => d.medianMs))),
        p90Ms: round(median(done.map((d) => d.p90Ms))),
        requestsPerJob: round(median(done.map((d) => d.requestsPerJob)), 2),
        allJobsMedianMs: round(median(latencies)),
        rounds: done.map((d) => ({ medianMs: round(d.medianMs), p90Ms: round(d.p90Ms), requestsPerJob: round(d.requestsPerJob, 2) })),
      },
    ]),
  );
}

/**
 * One round of 8 very short jobs per client, nothing kept: loads and JITs the clients' code and
 * the emulator process's image code (its first submits take 200 ms and more) before anything
 * is measured.
 */
export async function warmUp(emulator, imageUrl, clients) {
  await latencyCase(emulator, { stream: true, minMs: 20, maxMs: 40, jobs: 8, concurrency: 8, rounds: 1, seed: 1, imageUrl, clients });
}
