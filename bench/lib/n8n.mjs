// `pnpm bench --n8n`: real n8n (each pinned version that is installed) runs an Edit of 20 items
// at concurrency 8 against the emulator process, for jobs of 1.0, 1.1 and 1.5 s, with the
// status stream and without it. Each item carries its image as binary, the node's default
// Image Source (what a Read Files node or an HTTP Request gives it). The node's own execution
// time (from n8n's run data) is compared with the ideal: ceil(20 / 8) waves x the job length.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layout, TARGETS } from '../../packages/n8n-nodes-anyapi-kontext/e2e/install-n8n.mjs';
import { freePort, n8n, n8nEnv, parseRunOutput } from '../../packages/n8n-nodes-anyapi-kontext/e2e/n8n-cli.mjs';
import { floorClient } from './clients.mjs';
import { startEmulatorProcess } from './emulator-child.mjs';
import { warmUp } from './latency.mjs';
import { png } from './png.mjs';
import { median, round } from './stats.mjs';

const nodePackage = fileURLToPath(new URL('../../packages/n8n-nodes-anyapi-kontext/', import.meta.url));
const ITEMS = 20;
const CONCURRENCY = 8;
const LENGTHS = [1000, 1100, 1500];
const NODE_NAME = 'Edit images';

function workflow(id, lengthMs, imageBase64) {
  const items =
    `const image = { data: '${imageBase64}', mimeType: 'image/png', fileName: 'input.png' };\n` +
    `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { prompt: 'bench item ' + i + ' [bench ${lengthMs} ms]' }, binary: { data: { ...image } } }));`;
  return {
    id,
    name: `bench ${lengthMs} ms`,
    active: false,
    nodes: [
      { id: `${id}-1`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      { id: `${id}-2`, name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: items } },
      {
        id: `${id}-3`,
        name: NODE_NAME,
        type: 'CUSTOM.anyApiKontext',
        typeVersion: 1,
        position: [400, 0],
        parameters: {
          resource: 'image',
          operation: 'edit',
          imageSource: 'binary',
          binaryPropertyName: 'data',
          prompt: '={{ $json.prompt }}',
          options: { concurrency: CONCURRENCY },
        },
        credentials: { anyApiApi: { id: 'bench-credential', name: 'AnyAPI emulator' } },
      },
    ],
    connections: {
      Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
      Items: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
    },
    settings: { executionOrder: 'v1' },
    pinData: {},
  };
}

function packNode(work) {
  if (!fs.existsSync(path.join(nodePackage, 'dist', 'nodes', 'AnyApiKontext', 'AnyApiKontext.node.js'))) {
    throw new Error('the n8n node is not built: run `pnpm build` first');
  }
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: nodePackage, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout);
  spawnSync('tar', ['xzf', path.join(work, info.filename), '-C', work]);
  return path.join(work, 'package');
}

/**
 * How long each place among the `concurrency` stayed empty: the n-th job to start after the
 * first wave against the n-th job to end (the ends that freed the places, earliest first).
 */
function refillGaps(timeline, concurrency) {
  const ends = timeline.map((t) => t.ended).sort((a, b) => a - b);
  const laterStarts = timeline.map((t) => t.started).sort((a, b) => a - b).slice(concurrency);
  return laterStarts.map((started, index) => started - ends[index]);
}

/**
 * `filter` narrows the cases (empty lists: all): `versions` (n8n version prefixes), `lengths`
 * (ms), `streams` (true: status stream, false: polling); `rounds` overrides the rounds per case.
 */
export async function n8nRows({ row, results, log, quick, filter = {} }) {
  const rounds = filter.rounds ?? (quick ? 1 : 2);
  const wanted = (list, value, matches = (a, b) => a === b) => !list?.length || list.some((entry) => matches(entry, value));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-bench-n8n-'));
  const imageBase64 = png(64, 64).toString('base64');
  const emulator = await startEmulatorProcess();
  results.cases.n8n = {};
  try {
    // Warm the emulator process up (its first submits fetch and decode with cold code, 200 ms
    // and more) so the first n8n case does not pay for it: a running AnyAPI has no such start.
    await warmUp(emulator, `data:image/png;base64,${imageBase64}`, [{ key: 'warm', client: floorClient(emulator, { stream: true }) }]);
    const extensions = packNode(work);
    for (const target of TARGETS.filter((t) => wanted(filter.versions, t.n8n, (prefix, version) => version.startsWith(prefix)))) {
      const installed = layout(target);
      if (!installed.installed) {
        log(`n8n ${target.n8n}: not installed (pnpm --filter n8n-nodes-anyapi-kontext install:n8n); skipped`);
        row(`n8n ${target.n8n}`, 'not installed', undefined, undefined);
        continue;
      }
      const userFolder = fs.mkdtempSync(path.join(work, `n8n-${target.n8n}-`));
      const env = n8nEnv(installed, userFolder, {
        N8N_CUSTOM_EXTENSIONS: extensions,
        N8N_RUNNERS_BROKER_PORT: String(await freePort()),
      });
      const creds = [{ id: 'bench-credential', name: 'AnyAPI emulator', type: 'anyApiApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.url } }];
      const workflows = LENGTHS.map((length) => workflow(`bench${length}`, length, imageBase64));
      fs.writeFileSync(path.join(userFolder, 'creds.json'), JSON.stringify(creds));
      fs.writeFileSync(path.join(userFolder, 'workflows.json'), JSON.stringify(workflows));
      for (const args of [
        ['import:credentials', `--input=${path.join(userFolder, 'creds.json')}`],
        ['import:workflow', `--input=${path.join(userFolder, 'workflows.json')}`],
      ]) {
        const imported = await n8n(installed, env, args);
        if (imported.code !== 0) throw new Error(`n8n ${target.n8n} ${args[0]} failed:\n${imported.stderr.slice(-2000)}`);
      }
      for (const stream of [true, false].filter((s) => wanted(filter.streams, s))) {
        for (const length of LENGTHS.filter((l) => wanted(filter.lengths, l))) {
          const measured = [];
          for (let r = 0; r < rounds; r += 1) {
            await emulator.call('configure', { stream });
            await emulator.call('resetCounters');
            log(`n8n ${target.n8n}: Edit of ${ITEMS} items, jobs of ${length} ms, ${stream ? 'status stream' : 'polling'} (${r + 1}/${rounds})`);
            const ran = await n8n(installed, env, ['execute', `--id=bench${length}`, '--rawOutput']);
            const run = parseRunOutput(ran.stdout);
            const nodeRun = run?.data?.resultData?.runData?.[NODE_NAME]?.[0];
            const items = nodeRun?.data?.main?.[0]?.length ?? 0;
            if (ran.code !== 0 || items !== ITEMS) {
              throw new Error(`n8n ${target.n8n} run failed (${items} items):\n${ran.stdout.slice(-1500)}\n${ran.stderr.slice(-1500)}`);
            }
            const counters = await emulator.call('counters');
            // How late the node acted on each job's end, and how long each job waited to start (queue
            // and n8n's own work before its submit), from the emulator's clock.
            const ids = nodeRun.data.main[0].map((item) => item.json?.requestId).filter(Boolean);
            const times = (await emulator.call('jobTimes', ids)).filter(Boolean);
            // Each job's stages from the node's start (n8n's clock and the emulator's are both
            // the machine's wall clock), in submit order: where the time between the waves goes.
            const from = (at) => (at === undefined || at === null ? null : round(at - nodeRun.startTime));
            const timeline = times
              .map((t) => ({ received: from(t.receivedAt), submitted: from(t.submittedAt), started: from(t.startedAt), ended: from(t.endedAt), resultRequested: from(t.resultRequestedAt) }))
              .sort((a, b) => a.submitted - b.submitted);
            measured.push({
              timeline,
              ms: nodeRun.executionTime,
              requestsPerJob: counters.total / ITEMS,
              statusPerJob: counters.status / ITEMS,
              detectionMs: median(times.map((t) => t.resultRequestedAt - t.endedAt)),
              firstToLastSubmitMs: times.length ? Math.max(...times.map((t) => t.submittedAt)) - Math.min(...times.map((t) => t.submittedAt)) : NaN,
              firstStartMs: Math.min(...timeline.map((t) => t.started)),
              refillMs: median(refillGaps(timeline, CONCURRENCY)),
            });
          }
          const ideal = Math.ceil(ITEMS / CONCURRENCY) * length;
          const ms = median(measured.map((m) => m.ms));
          const key = `${target.n8n}, ${length} ms, ${stream ? 'stream' : 'polling'}`;
          results.cases.n8n[key] = { ideal, measured };
          row(
            `n8n ${target.n8n}: Edit of ${ITEMS} items at concurrency ${CONCURRENCY}, jobs of ${length / 1000} s, ${stream ? 'status stream' : 'no stream (polling)'}`,
            'node time / ideal',
            round(ms / ideal, 3),
            undefined,
            {
              floor:
                `${round(ms)} ms vs ideal ${ideal} ms; first job started after ${round(median(measured.map((m) => m.firstStartMs)))} ms; ` +
                `a place freed by a job's end taken again after ${round(median(measured.map((m) => m.refillMs)))} ms; ` +
                `result asked for ${round(median(measured.map((m) => m.detectionMs)))} ms after the end; ${round(median(measured.map((m) => m.requestsPerJob)), 2)} requests/item`,
              target: '<= 1.1',
              met: ms / ideal <= 1.1,
            },
          );
        }
      }
    }
  } finally {
    await emulator.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
