import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobStore, readCassette, restoreDataUrls, startReplay, type Cassette, type Exchange } from '@anyapi-kontext/emulator';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, CancelledError, createKontextClient, JobFailedError, submitEndpoints, type KontextInput, type SubmitPath } from '../src/index.js';

// Every cassette committed in the repository (cassettes/README.md says how they are recorded),
// replayed through the lifecycle: the client must reach the outcome the recording ended in.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SKIPPED = new Set(['node_modules', '.git', 'dist', '.turbo']);

function cassetteDirs(dir: string): string[] {
  const found = existsSync(join(dir, 'cassette.json')) ? [dir] : [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) found.push(...cassetteDirs(join(dir, entry.name)));
  }
  return found;
}

type Outcome = { kind: 'result'; body: unknown } | { kind: 'failed'; status: number } | { kind: 'cancelled' };

/** The job the cassette recorded: its submit (endpoint, input) and how it ended. */
function recordedJob(cassette: Cassette, dir: string): { endpoint: SubmitPath; input: KontextInput; requestId: string; outcome: Outcome } {
  const isSubmit = (exchange: Exchange) => exchange.request.method === 'POST' && exchange.request.path.split('?')[0]! in submitEndpoints;
  const submits = cassette.exchanges.filter(isSubmit);
  expect(submits, `${dir} must hold exactly one job`).toHaveLength(1);
  const submit = submits[0]!;
  const endpoint = submit.request.path.split('?')[0] as SubmitPath;
  const requestId = (submit.response.body as { json: { request_id: string } }).json.request_id;
  const input = restoreDataUrls((submit.request.body as { json: unknown }).json, new BlobStore(dir)) as KontextInput;
  const resultPath = `/${submitEndpoints[endpoint].app}/requests/${requestId}`;
  if (cassette.exchanges.some((exchange) => exchange.request.method === 'PUT' && exchange.request.path === `${resultPath}/cancel`)) {
    return { endpoint, input, requestId, outcome: { kind: 'cancelled' } };
  }
  const result = cassette.exchanges.filter((exchange) => exchange.request.method === 'GET' && exchange.request.path === resultPath).at(-1);
  expect(result, `${dir} has no result fetch and no cancel`).toBeDefined();
  const { status, body } = result!.response;
  const recorded = status === 200 ? restoreDataUrls((body as { json: unknown }).json, new BlobStore(dir)) : undefined;
  return { endpoint, input, requestId, outcome: status === 200 ? { kind: 'result', body: recorded } : { kind: 'failed', status } };
}

const dirs = cassetteDirs(repoRoot);

describe('committed cassettes replay to their recorded outcome', () => {
  it('finds the project cassettes', () => {
    expect(dirs.map((dir) => relative(repoRoot, dir)).sort()).toEqual(
      expect.arrayContaining(['cassettes/doctor-emulator', 'cassettes/emulator-cancel', 'cassettes/emulator-fail-at-result-polled', 'cassettes/emulator-success']),
    );
  });

  it.each(dirs.map((dir) => [relative(repoRoot, dir), dir]))('%s', async (_name, dir) => {
    const cassette = readCassette(dir);
    const job = recordedJob(cassette, dir);
    const replay = await startReplay({ dir });
    try {
      // The cassette holds no key and the replay checks none; any well-formed key will do.
      const client = createKontextClient({ apiKey: 'replay-key', baseUrl: replay.url, retry: { maxRetries: 0 } });
      const cancelPath = `PUT /${submitEndpoints[job.endpoint].app}/requests/${job.requestId}/cancel`;
      if (job.outcome.kind === 'result') {
        const result = await client.run(job.input, { endpoint: job.endpoint });
        expect(result.requestId).toBe(job.requestId);
        expect(result.data).toEqual(JSON.parse(JSON.stringify(job.outcome.body).split('{{origin}}').join(replay.url)));
      } else if (job.outcome.kind === 'failed') {
        const error = await client.run(job.input, { endpoint: job.endpoint }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(JobFailedError);
        expect((error as JobFailedError).cause).toBeInstanceOf(ApiError);
        expect(((error as JobFailedError).cause as ApiError).status).toBe(job.outcome.status);
      } else {
        const controller = new AbortController();
        const error = await client.run(job.input, { endpoint: job.endpoint, signal: controller.signal, onUpdate: () => controller.abort() }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CancelledError);
        // run stops waiting for the cancel's answer after a short grace; the cancel itself is sent.
        await vi.waitFor(() => expect(replay.requests).toContain(cancelPath), { timeout: 10_000 });
      }
      expect(replay.misses).toEqual([]);
    } finally {
      await replay.stop();
    }
  });
});
