#!/usr/bin/env node
// n8n queue mode, end to end, in each pinned n8n version: one stack per version (Redis,
// Postgres, main + 2 workers; see stack.mjs) runs two suites, then everything is stopped, also
// on failure and on Ctrl-C:
//   1. queue-edit.mjs: 40 concurrent webhook calls x 3 items through the Edit operation;
//   2. webhook-resume.mjs: Submit with {{ $execution.resumeUrl }} -> Wait -> Get Result.
// It prints what each costs (emulator requests per job, worker time per execution).
//
//   node e2e/queue-mode/run-queue-mode.mjs
//   N8N_E2E_VERSIONS=2.41.1 N8N_E2E_KEEP=1 node e2e/queue-mode/run-queue-mode.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator } from '@anyapi-kontext/emulator';
import { ensureN8n, TARGETS } from '../install-n8n.mjs';
import { loadExamples, packTarball, startImageHost } from '../shared.mjs';
import { onCleanup, pollUntil, runCleanups } from './processes.mjs';
import { queueEditWorkflow, runQueueEdit } from './queue-edit.mjs';
import { startQueueStack } from './stack.mjs';
import { runWebhookResume, WEBHOOK_RESUME_ID, workerSpans } from './webhook-resume.mjs';

const log = (msg) => process.stdout.write(`[queue-mode] ${msg}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const perJob = (counters, jobs) =>
  ['submit', 'stream', 'status', 'result', 'files', 'webhooks'].map((k) => `${k} ${(counters[k] / jobs).toFixed(2)}`).join(', ');

async function runVersion(version, tarballDir, imageHost) {
  const layout = ensureN8n(version);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `anyapi-kontext-queue-${version}-`));
  const failures = [];
  const emulator = await startEmulator({ port: 0, concurrency: 8, seed: 11 });
  const unregisterEmulator = onCleanup(() => emulator.stop());
  const imageUrl = `${imageHost.url}/input.png`;
  let stack;
  try {
    const webhookExample = loadExamples(imageUrl).find((w) => w.id === WEBHOOK_RESUME_ID);
    if (!webhookExample) throw new Error(`examples/ has no workflow with id ${WEBHOOK_RESUME_ID}`);
    stack = await startQueueStack({
      layout,
      tarballDir,
      workDir,
      credentials: [{ id: 'anyapi-credential', name: 'AnyAPI account', type: 'anyApiApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.url } }],
      workflows: [queueEditWorkflow(), webhookExample],
      log,
    });
    const t = stack.timings;
    log(`n8n ${version}: stack up in ${seconds(t.total)} (redis ${seconds(t.redis)}, postgres ${seconds(t.postgres)}, ` +
      `import+activate ${seconds(Object.entries(t).filter(([k]) => k.startsWith('import') || k.startsWith('activate')).reduce((a, [, ms]) => a + ms, 0))}, ` +
      `main and workers ${seconds(t['main and workers'])})`);
    for (const [name, suite] of [
      ['queue-mode edit: 40 calls x 3 items', runQueueEdit],
      ['webhook resume: Submit -> Wait -> Get Result', runWebhookResume],
    ]) {
      const started = Date.now();
      try {
        const measured = await suite({ stack, emulator, imageUrl, layout, log });
        log(`n8n ${version}: ok   ${name} (${seconds(Date.now() - started)})`);
        if (measured.perWorker) {
          log(`  executions per worker: ${measured.perWorker.join(' + ')}; requests per job: ${perJob(measured.counters, measured.jobs)}; binary_data rows ${measured.binaryDataRows}`);
        }
        if (measured.workerSpans) {
          log(`  requests per job: ${perJob(measured.counters, 2)}; worker time per execution: ${measured.workerSpans
            .map((s) => `#${s.executionId} ${s.spans.map(seconds).join(' + ')}`)
            .join(', ')}`);
        }
      } catch (error) {
        failures.push(`${name}: ${error.message}`);
        log(`n8n ${version}: FAIL ${name}: ${error.stack ?? error.message}`);
        log(`  logs kept in ${workDir}`);
      }
    }
    if (failures.length === 0) await measureEditWorkerTime({ stack, emulator, imageUrl, version });
  } catch (error) {
    failures.push(error.message);
    log(`n8n ${version}: FAIL ${error.stack ?? error.message}`);
    log(`  logs kept in ${workDir}`);
  } finally {
    if (stack) log(`n8n ${version}: stack stopped in ${seconds(await stack.stop())}`);
    await emulator.stop();
    unregisterEmulator();
    if (failures.length === 0 && !process.env.N8N_E2E_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
  }
  return failures;
}

/**
 * A measurement, not a check: one Edit call whose job runs a fixed 2 s, to set against the
 * webhook flow's worker time (which does not grow with the job's duration).
 */
async function measureEditWorkerTime({ stack, emulator, imageUrl, version }) {
  emulator.resetCounters();
  emulator.configure({ jobDuration: 2000, concurrency: 8 });
  const response = await fetch(`${stack.mainUrl}/webhook/kontext-queue-edit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: [{ prompt: 'Add a red hat.', imageUrl }] }),
  });
  await response.arrayBuffer();
  const lastStarted = stack.workers
    .flatMap((w) => w.lines())
    .map((e) => /Worker started execution (\d+)/.exec(e.line)?.[1])
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b)
    .at(-1);
  const [span] = await pollUntil('the worker to log the end of the execution', () => {
    const spans = workerSpans(stack, [lastStarted]);
    return spans[0].spans.length > 0 && spans;
  });
  log(`n8n ${version}: measured: Edit of a 2.0 s job held a worker ${span.spans.map(seconds).join(' + ')}; requests: ${perJob(emulator.counters, 1)}`);
}

async function main() {
  const wanted = (process.env.N8N_E2E_VERSIONS ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const versions = wanted.length > 0 ? wanted : TARGETS.map((t) => t.n8n);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-kontext-queue-pack-'));
  onCleanup(() => fs.rmSync(work, { recursive: true, force: true }));
  const { dir: tarballDir } = packTarball(work);
  const imageHost = await startImageHost();
  onCleanup(() => imageHost.stop());
  const failures = [];
  try {
    for (const v of versions) failures.push(...(await runVersion(v, tarballDir, imageHost)).map((f) => `n8n ${v}: ${f}`));
  } finally {
    await runCleanups();
  }
  if (failures.length > 0) {
    log(`${failures.length} failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  log(`passed in ${versions.join(' and ')}`);
}

await main();
