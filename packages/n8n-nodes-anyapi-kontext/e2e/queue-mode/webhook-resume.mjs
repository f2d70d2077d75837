// Webhook resume in queue mode, with the example workflow 09-submit-and-resume-on-webhook.json:
// Webhook -> Submit (Webhook URL {{ $execution.resumeUrl }}) -> Respond to Webhook -> Wait (On
// Webhook Call, POST) -> Get Result. The emulator holds the jobs; the test checks that both
// executions wait in Postgres with no Bull job active (no worker busy), then releases the jobs:
// the emulator POSTs fal's webhook body to the resume URLs and the executions end on a worker,
// one with the edited image, one with the job's error reported by Get Result.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { editedImage } from './queue-edit.mjs';
import { pollUntil } from './processes.mjs';
import { LOG } from './stack.mjs';

export const WEBHOOK_RESUME_ID = 'anyapiKontextWebhookResume';
const PATH = 'kontext-edit-async';

/** n8n stores run data with `flatted`; read it with n8n's own copy. */
function flattedParse(layout) {
  const require = createRequire(path.join(layout.dir, 'node_modules', 'n8n', 'package.json'));
  return require('flatted').parse;
}

async function executionRow(postgres, id) {
  const rows = await postgres.query(
    'SELECT e.status, e."waitTill" AS "waitTill", d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e.id = $1',
    [Number(id)],
  );
  return rows[0];
}

const runData = (parse, row) => parse(row.data).resultData.runData;

export async function runWebhookResume({ stack, emulator, imageUrl, layout, log }) {
  const parse = flattedParse(layout);
  emulator.resetCounters();
  emulator.configure({ jobDuration: 3_600_000, concurrency: 8 });

  const post = async (prompt) => {
    const response = await fetch(`${stack.mainUrl}/webhook/${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imageUrl, prompt }),
    });
    const text = await response.text();
    assert.equal(response.status, 202, `the workflow answers 202 at once (${text})`);
    return JSON.parse(text);
  };
  // The emulator's prompt marker: the job ends, its result is a 422 content_policy_violation.
  const [ok, failing] = await Promise.all([post('Add a red hat.'), post('Add a red hat. [fail-at-result]')]);
  for (const started of [ok, failing]) {
    assert.match(String(started.requestId), /\S/, 'the answer carries the request id');
    assert.match(String(started.executionId), /^\d+$/, 'the answer carries the execution id');
  }

  // Both executions wait in the database; no worker holds them.
  const waitingRows = await pollUntil('both executions waiting', async () => {
    const rows = await Promise.all([ok, failing].map((s) => executionRow(stack.postgres, s.executionId)));
    return rows.every((row) => row?.status === 'waiting') && rows;
  });
  // The example's Wait gives up after an hour (Limit Wait Time): the resume must be the webhook's.
  for (const row of waitingRows) assert.ok(new Date(row.waitTill).getTime() > Date.now() + 30 * 60_000, `waits until ${row.waitTill}`);
  const finishedLines = (id) =>
    stack.workers.flatMap((w) => w.lines().filter((e) => LOG.workerFinished.exec(e.line)?.[1] === String(id)));
  await pollUntil('workers released both executions', () => [ok, failing].every((s) => finishedLines(s.executionId).length === 1));
  const whileWaiting = { activeBullJobs: stack.activeJobs(), counters: emulator.counters };
  assert.equal(whileWaiting.activeBullJobs, 0, 'no worker is busy while the jobs run');
  assert.equal(whileWaiting.counters.submits, 2, 'two jobs submitted');
  assert.equal(whileWaiting.counters.status + whileWaiting.counters.stream, 0, 'nobody polls the queue');
  assert.equal(whileWaiting.counters.webhooks, 0, 'no webhook yet: the jobs are still running');
  log(`  waiting: executions ${ok.executionId} and ${failing.executionId} in status "waiting", ${whileWaiting.activeBullJobs} active Bull jobs, jobs still running`);

  // The jobs end: the emulator POSTs to each resume URL and n8n resumes the executions.
  assert.equal(emulator.finishRunningJobs(), 2, 'both jobs were still running');
  const ended = await pollUntil('both executions ended', async () => {
    const rows = await Promise.all([ok, failing].map((s) => executionRow(stack.postgres, s.executionId)));
    return rows.every((row) => row && row.status !== 'waiting' && row.status !== 'running' && row.status !== 'new') && rows;
  });
  const [okRow, failRow] = ended;

  assert.equal(okRow.status, 'success', 'the execution of the good job succeeded');
  const okRun = runData(parse, okRow);
  const okHook = okRun["Wait for AnyAPI's webhook"].at(-1).data.main[0][0].json.body;
  assert.equal(okHook.request_id, ok.requestId, 'the webhook names the job');
  assert.equal(okHook.gateway_request_id, ok.requestId);
  assert.equal(okHook.status, 'OK');
  assert.equal(okHook.error, null);
  assert.equal(okHook.payload.images.length, 1, 'the webhook carries the output');
  const okResult = okRun['Get result'].at(-1).data.main[0][0];
  assert.equal(okResult.json.requestId, ok.requestId);
  assert.equal(okResult.binary?.data?.mimeType, 'image/png', 'Get Result downloaded the image');
  const counters = emulator.counters; // before the test's own result and file requests below
  // n8n's rule for queue mode: binary data in the database, where main and every worker find it.
  const stored = await binaryBytes(stack.postgres, okResult.binary.data.id);
  assert.ok(stored.equals(await editedImage(emulator, ok.requestId)), 'the image stored in Postgres is the edited one');

  assert.equal(failRow.status, 'error', 'the execution of the failed job ends in error');
  const failRun = runData(parse, failRow);
  const failHook = failRun["Wait for AnyAPI's webhook"].at(-1).data.main[0][0].json.body;
  assert.equal(failHook.request_id, failing.requestId);
  assert.equal(failHook.status, 'ERROR');
  assert.equal(failHook.error, 'Invalid status code: 422');
  assert.equal(failHook.payload.detail[0].type, 'content_policy_violation');
  const failResult = failRun['Get result'].at(-1);
  const message = `${failResult.error?.message ?? ''} ${failResult.error?.description ?? ''}`;
  assert.match(message, /content policy/i, `Get Result reports the job's error (got: ${message})`);

  const resumedOn = [ok, failing].map((s) => finishedLines(s.executionId).length);
  resumedOn.forEach((n) => assert.equal(n, 2, 'each execution ran twice on a worker: up to the Wait, then after it'));
  assert.equal(counters.webhooks, 2, 'one webhook delivery per job, none retried');
  assert.equal(counters.submits, 2);
  return { counters, workerSpans: workerSpans(stack, [ok.executionId, failing.executionId]) };
}

/** The bytes of a binary stored in database mode (its id is `database:<file id>`). */
async function binaryBytes(postgres, id) {
  const match = /^database:(.+)$/.exec(String(id));
  assert.ok(match, `the binary is stored in the database (id ${id})`);
  const rows = await postgres.query('SELECT data FROM binary_data WHERE "fileId"::text = $1', [match[1]]);
  assert.equal(rows.length, 1, `binary_data holds ${match[1]}`);
  return rows[0].data;
}

/** For each execution, how long workers held it: from each "started" line to its "finished" line. */
export function workerSpans(stack, executionIds) {
  return executionIds.map((id) => {
    const spans = [];
    for (const worker of stack.workers) {
      const lines = worker.lines();
      let start;
      for (const e of lines) {
        if (LOG.workerStarted.exec(e.line)?.[1] === String(id)) start = e.at;
        if (LOG.workerFinished.exec(e.line)?.[1] === String(id) && start !== undefined) {
          spans.push(e.at - start);
          start = undefined;
        }
      }
    }
    return { executionId: id, spans };
  });
}
