// Queue mode under load: 40 concurrent calls of a production webhook, 3 items each, through
// Webhook -> Split Out -> AnyAPI Kontext (Edit, binary out) -> Respond to Webhook (binary).
// The emulator holds every job until the test releases it, so both workers are provably busy at
// once (each takes at most WORKER_CONCURRENCY executions) without any timing assumption.
import assert from 'node:assert/strict';
import { CUSTOM_NODE_TYPE } from '../shared.mjs';
import { pollUntil } from './processes.mjs';
import { LOG, WORKER_CONCURRENCY } from './stack.mjs';

export const CALLS = 40;
export const ITEMS_PER_CALL = 3;
const PATH = 'kontext-queue-edit';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function queueEditWorkflow() {
  const nodes = [
    {
      id: 'a11e0000-0000-4000-8000-000000000001',
      name: 'Webhook',
      type: 'n8n-nodes-base.webhook',
      typeVersion: 2,
      position: [0, 0],
      webhookId: 'a11e0000-0000-4000-8000-0000000000a1',
      parameters: { httpMethod: 'POST', path: PATH, responseMode: 'responseNode', options: {} },
    },
    {
      id: 'a11e0000-0000-4000-8000-000000000002',
      name: 'One item per image',
      type: 'n8n-nodes-base.splitOut',
      typeVersion: 1,
      position: [220, 0],
      parameters: { fieldToSplitOut: 'body.items', options: {} },
    },
    {
      id: 'a11e0000-0000-4000-8000-000000000003',
      name: 'Edit image',
      type: CUSTOM_NODE_TYPE,
      typeVersion: 1,
      position: [440, 0],
      parameters: {
        resource: 'image',
        operation: 'edit',
        imageSource: 'url',
        imageUrl: '={{ $json.imageUrl }}',
        prompt: '={{ $json.prompt }}',
        outputFormat: 'png',
        options: {},
      },
      credentials: { anyApiApi: { id: 'anyapi-credential', name: 'AnyAPI account' } },
    },
    {
      id: 'a11e0000-0000-4000-8000-000000000004',
      name: 'Respond with the image',
      type: 'n8n-nodes-base.respondToWebhook',
      typeVersion: 1.1,
      position: [660, 0],
      parameters: {
        respondWith: 'binary',
        options: {
          responseHeaders: {
            entries: [
              // Respond to Webhook sends one file: the first item's. The headers name all three.
              { name: 'x-kontext-request-ids', value: "={{ $input.all().map((item) => item.json.requestId).join(',') }}" },
              { name: 'x-kontext-binary-types', value: "={{ $input.all().map((item) => item.binary.data.mimeType).join(',') }}" },
            ],
          },
        },
      },
    },
  ];
  const connections = {};
  nodes.slice(0, -1).forEach((node, i) => {
    connections[node.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
  });
  return { id: 'anyapiKontextQueueEdit', name: 'AnyAPI Kontext queue-mode edit', active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** Runs the load test on a started stack; returns what it measured. */
export async function runQueueEdit({ stack, emulator, imageUrl, log }) {
  emulator.resetCounters();
  // Hold every job: only finishRunningJobs() ends one. Room for all 120 at once.
  emulator.configure({ jobDuration: 3_600_000, concurrency: CALLS * ITEMS_PER_CALL });
  const startedLines = () => stack.workers.map((w) => w.lines().filter((e) => LOG.workerStarted.test(e.line)).length);
  const before = startedLines();

  const calls = Array.from({ length: CALLS }, (_, call) =>
    fetch(`${stack.mainUrl}/webhook/${PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        items: Array.from({ length: ITEMS_PER_CALL }, (_, k) => ({ prompt: `Call ${call + 1}, image ${k + 1}: add a red hat.`, imageUrl })),
      }),
    }).then(async (response) => ({ call, response, body: Buffer.from(await response.arrayBuffer()) })),
  );
  let settled = 0;
  const all = Promise.all(calls.map((p) => p.finally(() => (settled += 1))));

  // Both workers full: 2 x WORKER_CONCURRENCY executions of 3 jobs each, all held at once.
  const fullLoad = stack.workers.length * WORKER_CONCURRENCY * ITEMS_PER_CALL;
  await pollUntil(`${fullLoad} held submits`, () => emulator.counters.submits >= fullLoad);
  const atFullLoad = { submits: emulator.counters.submits, activeBullJobs: stack.activeJobs() };
  assert.equal(atFullLoad.submits, fullLoad, 'no worker took more than its concurrency');
  assert.equal(atFullLoad.activeBullJobs, stack.workers.length * WORKER_CONCURRENCY, 'every worker slot is busy');
  log(`  at full load: ${atFullLoad.submits} jobs held in the emulator, ${atFullLoad.activeBullJobs} executions active in Bull`);

  // Release the held jobs, round after round, until every call has its answer.
  const releaser = pollUntil(`all ${CALLS} responses`, () => {
    emulator.finishRunningJobs();
    return settled === CALLS;
  });
  const [results] = await Promise.all([all, releaser]);

  const counters = emulator.counters;
  assert.equal(counters.submits, CALLS * ITEMS_PER_CALL, 'the emulator counted exactly one submit per item');
  const requestIds = new Set();
  for (const { call, response, body } of results) {
    assert.equal(response.status, 200, `call ${call + 1}: HTTP status (body ${body.subarray(0, 200).toString()})`);
    assert.equal(response.headers.get('content-type'), 'image/png', `call ${call + 1}: content type`);
    assert.ok(body.subarray(0, 8).equals(PNG_MAGIC), `call ${call + 1}: the body is a PNG`);
    const ids = (response.headers.get('x-kontext-request-ids') ?? '').split(',').filter(Boolean);
    assert.equal(ids.length, ITEMS_PER_CALL, `call ${call + 1}: one request id per item`);
    ids.forEach((id) => requestIds.add(id));
    assert.equal(response.headers.get('x-kontext-binary-types'), Array(ITEMS_PER_CALL).fill('image/png').join(','), `call ${call + 1}: every item has its PNG`);
    results[call].firstRequestId = ids[0];
  }
  assert.equal(requestIds.size, CALLS * ITEMS_PER_CALL, 'every item its own job: no duplicate, none lost');

  const perWorker = startedLines().map((n, i) => n - before[i]);
  const mainStarted = stack.main.lines().filter((e) => LOG.workerStarted.test(e.line)).length;
  assert.equal(perWorker.reduce((a, b) => a + b, 0), CALLS, 'every execution ran on a worker');
  perWorker.forEach((n, i) => assert.ok(n > 0, `worker ${i + 1} ran executions`));
  assert.equal(mainStarted, 0, 'the main instance ran none');

  // The body is the edited image of that call's first job, byte for byte.
  const requestCounts = emulator.counters;
  for (const { call, body, firstRequestId } of results) {
    const expected = await editedImage(emulator, firstRequestId);
    assert.ok(body.equals(expected), `call ${call + 1}: the body is the edited image of job ${firstRequestId}`);
  }
  const binaryRows = await stack.postgres.query('SELECT count(*)::int AS n FROM binary_data');
  return {
    perWorker,
    counters: requestCounts,
    binaryDataRows: binaryRows[0]?.n,
    jobs: CALLS * ITEMS_PER_CALL,
  };
}

/** The image the emulator made for a job, fetched as any client would. */
export async function editedImage(emulator, requestId) {
  const auth = { authorization: `Bearer ${emulator.apiKey}` };
  const result = await fetch(`${emulator.url}/fal-ai/flux-pro/requests/${requestId}`, { headers: auth });
  assert.equal(result.status, 200, `result of ${requestId}`);
  const { images } = await result.json();
  const file = await fetch(images[0].url);
  return Buffer.from(await file.arrayBuffer());
}
