// `pnpm bench`: our client beside @fal-ai/client and a raw-fetch floor, against the emulator
// running in its own process. Numbers are printed and written to results/latest.json, never
// asserted (CI does not pass or fail on them).
//
//   pnpm bench            every case, 3 rounds (about 6 minutes)
//   pnpm bench --quick    fewer jobs and 2 rounds (about 3 minutes)
//   pnpm bench --n8n      also real n8n (both versions): an Edit of 20 items at concurrency 8
//   pnpm bench --json     the JSON on stdout instead of the table
//   pnpm bench --only size   just the bundle sizes (seconds; no emulator)
//   pnpm bench --only n8n    the n8n part alone; narrow it with --n8n-version 1.123.81,
//     --n8n-length 1100 (repeatable), --n8n-stream on|off, --n8n-rounds 3
//   pnpm bench --only latency [--case "no log"]   the latency cases alone (those whose name
//     contains the --case text); --only memory: the memory case alone; --only photos: the
//     photo case alone (a 12 MP phone JPEG and a 24 MP PNG at a 20 Mbit/s uplink)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bytesToDataUrl } from '@anyapi-kontext/core';
import { encodeBase64 } from '@anyapi-kontext/core/portable';
import { bundleSize, splitBundleSize } from './lib/bundle-size.mjs';
import { photoRows } from './lib/photos.mjs';
import { falClient, floorClient, ourClient } from './lib/clients.mjs';
import { startEmulatorProcess } from './lib/emulator-child.mjs';
import { latencyCase, warmUp } from './lib/latency.mjs';
import { png } from './lib/png.mjs';
import { median, round } from './lib/stats.mjs';

const argv = process.argv.slice(2);
const args = new Set(argv);
/** Every value of `--name value` or `--name=value`. */
const valuesOf = (name) =>
  argv.flatMap((arg, index) => (arg === name ? [argv[index + 1]] : arg.startsWith(`${name}=`) ? [arg.slice(name.length + 1)] : [])).filter(Boolean);
const quick = args.has('--quick');
const asJson = args.has('--json');
const PARTS = ['latency', 'memory', 'photos', 'size', 'n8n'];
const only = valuesOf('--only')[0];
if (only !== undefined && !PARTS.includes(only)) throw new Error(`--only takes: ${PARTS.join(', ')} (got ${only})`);
const caseFilter = valuesOf('--case')[0];
const withN8n = args.has('--n8n') || only === 'n8n';
const n8nFilter = {
  versions: valuesOf('--n8n-version'),
  lengths: valuesOf('--n8n-length').map(Number),
  streams: valuesOf('--n8n-stream').map((value) => {
    if (value !== 'on' && value !== 'off') throw new Error(`--n8n-stream takes on or off (got ${value})`);
    return value === 'on';
  }),
  rounds: valuesOf('--n8n-rounds').map(Number)[0],
};
const here = fileURLToPath(new URL('.', import.meta.url));
const log = (text) => process.stderr.write(`${text}\n`);

const rounds = quick ? 2 : 3;
const SHORT = { minMs: 500, maxMs: 1500, jobs: quick ? 16 : 24, concurrency: 8 };
const LONG = { minMs: 3000, maxMs: 12000, jobs: quick ? 8 : 16, concurrency: 8 };

const rows = [];
const results = { quick, rounds, only, case: caseFilter, node: process.version, date: new Date().toISOString(), cases: {} };

/** One line of the table: our figure, the peer's, their ratio, the floor and the target. */
function row(name, metric, ours, peer, { floor, target, met, unit = '' } = {}) {
  const ratio = Number.isFinite(ours) && Number.isFinite(peer) && peer !== 0 ? round(ours / peer, 3) : undefined;
  rows.push({ case: name, metric, ours: fmt(ours, unit), '@fal-ai/client': fmt(peer, unit), ratio, floor: fmt(floor, unit), target, met: met === undefined ? '' : met ? 'yes' : 'NO' });
}
const fmt = (value, unit) => (value === undefined ? '' : Number.isFinite(value) ? `${value}${unit}` : String(value));

async function latencyRows(emulator, imageUrl) {
  const polling = (extra = []) => [
    { key: 'ours', client: ourClient(emulator, { stream: false }) },
    { key: 'fal', client: falClient(emulator) },
    { key: 'floor', client: floorClient(emulator, { stream: false }) },
    ...extra,
  ];
  const cases = [
    { name: 'polling, jobs 0.5-1.5 s', stream: false, ...SHORT, clients: polling(quick ? [] : [{ key: 'oursFixed1000', client: ourClient(emulator, { stream: false, pollInterval: 1000 }) }]) },
    { name: 'polling, jobs 3-12 s', stream: false, ...LONG, clients: polling() },
    { name: 'polling, jobs 0.5-1.5 s, no log lines', stream: false, jobLogs: false, ...SHORT, clients: polling() },
    { name: 'polling, jobs 3-12 s, no log lines', stream: false, jobLogs: false, ...LONG, clients: polling() },
    {
      name: 'status stream, jobs 0.5-1.5 s',
      stream: true,
      ...SHORT,
      clients: [
        { key: 'ours', client: ourClient(emulator, { stream: true }) },
        { key: 'fal', client: falClient(emulator, { stream: true }) },
        { key: 'falPolling', client: falClient(emulator) },
        { key: 'floor', client: floorClient(emulator, { stream: true }) },
      ],
    },
  ];
  for (const [index, spec] of cases.entries()) {
    if (caseFilter && !spec.name.includes(caseFilter)) continue;
    log(`latency: ${spec.name} (${spec.jobs} jobs, ${spec.concurrency} at once, ${rounds} rounds)`);
    const outcome = await latencyCase(emulator, { ...spec, rounds, seed: 1000 * (index + 1), imageUrl });
    results.cases[spec.name] = outcome;
    const { ours, fal, floor } = outcome;
    const streamCase = spec.stream;
    row(spec.name, 'detection latency, median ms', ours.medianMs, fal.medianMs, {
      floor: floor.medianMs,
      target: streamCase ? 'about 1.7 ms' : '<= 0.5 x peer',
      met: streamCase ? ours.medianMs <= 5 : ours.medianMs <= fal.medianMs / 2,
    });
    row(spec.name, 'detection latency, p90 ms', ours.p90Ms, fal.p90Ms, { floor: floor.p90Ms });
    row(spec.name, 'requests per job', ours.requestsPerJob, fal.requestsPerJob, {
      floor: floor.requestsPerJob,
      target: streamCase ? '3' : '<= peer',
      met: streamCase ? ours.requestsPerJob <= 3 : ours.requestsPerJob <= fal.requestsPerJob,
    });
    if (outcome.oursFixed1000) {
      row(`${spec.name}, ours with pollInterval 1000 (the old default)`, 'detection latency, median ms', outcome.oursFixed1000.medianMs, fal.medianMs);
      row(`${spec.name}, ours with pollInterval 1000 (the old default)`, 'requests per job', outcome.oursFixed1000.requestsPerJob, fal.requestsPerJob);
    }
    if (outcome.falPolling) {
      row(`${spec.name}, fal's default (polling every 500 ms)`, 'detection latency, median ms', ours.medianMs, outcome.falPolling.medianMs);
      row(`${spec.name}, fal's default (polling every 500 ms)`, 'requests per job', ours.requestsPerJob, outcome.falPolling.requestsPerJob);
    }
  }
}

/** Peak RSS of `toImageUrl` + `run` (ours) and of a data URL + `subscribe` (fal), each in its own process. */
async function memoryRows(emulator) {
  const dir = join(tmpdir(), `anyapi-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'large.png');
  try {
    writeFileSync(file, png(2600, 2600, true));
    const size = statSync(file).size;
    const repeats = quick ? 2 : 3;
    const measured = { ours: [], fal: [] };
    for (let i = 0; i < repeats; i += 1) {
      for (const which of ['ours', 'fal']) {
        log(`memory: ${which}, ${round(size / 2 ** 20)} MB image (${i + 1}/${repeats})`);
        const out = JSON.parse(
          execFileSync(process.execPath, ['--expose-gc', join(here, 'lib/memory-case.mjs'), which, emulator.url, emulator.apiKey, file], { encoding: 'utf8' }),
        );
        measured[which].push({ extra: (out.peak - out.before) / size, ms: out.ms });
      }
    }
    const ours = round(median(measured.ours.map((m) => m.extra)), 2);
    const fal = round(median(measured.fal.map((m) => m.extra)), 2);
    results.cases.memory = { imageBytes: size, ours: measured.ours, fal: measured.fal };
    const name = `${round(size / 2 ** 20)} MB image, toImageUrl + run (result echoes the input)`;
    row(name, 'peak extra RSS, x image size', ours, fal, { target: '<= 5 x', met: ours <= 5 });
    row(name, 'whole run, ms', round(median(measured.ours.map((m) => m.ms))), round(median(measured.fal.map((m) => m.ms))));

    const bytes = png(2600, 2600, true);
    const time = (fn) => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    const nodeMs = median([1, 2, 3].map(() => time(() => bytesToDataUrl(bytes))));
    const portableMs = median([1, 2, 3].map(() => time(() => encodeBase64(bytes))));
    results.cases.base64 = { nodeMs, portableMs };
    row(`${name}: base64`, 'bytesToDataUrl (Node) vs portable encoder, ms', round(nodeMs), undefined, { floor: round(portableMs) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bundleRows() {
  log('bundle sizes');
  // What `import` loads, with code splitting: the entry and its static imports up front; a
  // first run adds the request machinery and input checking (queue-work) and the body
  // helpers (large-bodies). Each chunk gzipped on its own.
  const core = await splitBundleSize('@anyapi-kontext/core', { firstRun: ['queue/queue-work', 'node/large-bodies'] });
  const coreOneFile = await bundleSize('@anyapi-kontext/core');
  const portable = await bundleSize('@anyapi-kontext/core/portable');
  const fal = await bundleSize('@fal-ai/client');
  results.cases.bundle = { core: { ...core, oneFile: coreOneFile }, portable, fal };
  const upFront = core.upFront.gzipped;
  row('public entry: what import loads, minified + gzipped with its dependencies', 'bytes', upFront, fal.gzipped, { target: '<= 10240', met: upFront <= 10240 });
  row('public entry: that plus what the first run loads', 'bytes', core.then.firstRun.gzipped, fal.gzipped);
  row('public entry as one file (no code splitting)', 'bytes', coreOneFile.gzipped, fal.gzipped);
  row('portable entry (what the n8n node bundles), minified + gzipped', 'bytes', portable.gzipped, fal.gzipped);
}

/** The client cases: latency and memory against one emulator process. */
async function clientRows() {
  const emulator = await startEmulatorProcess();
  try {
    if (only !== 'memory' && only !== 'photos') {
      const imageUrl = `data:image/png;base64,${png(64, 64).toString('base64')}`;
      // Warm up both sides (JIT, the emulator's image code) before anything is measured.
      await warmUp(emulator, imageUrl, [{ key: 'warm', client: ourClient(emulator, { stream: true }) }, { key: 'warmFal', client: falClient(emulator) }]);
      await latencyRows(emulator, imageUrl);
    }
    if (only !== 'latency' && only !== 'photos') await memoryRows(emulator);
    if (only !== 'latency' && only !== 'memory') await photoRows({ emulator, row, results, log, quick });
  } finally {
    await emulator.stop();
  }
}

if (!only || only === 'latency' || only === 'memory' || only === 'photos') await clientRows();
if (!only || only === 'size') await bundleRows();
if (withN8n) {
  const { n8nRows } = await import('./lib/n8n.mjs');
  await n8nRows({ row, results, log, quick, filter: n8nFilter });
}

mkdirSync(join(here, 'results'), { recursive: true });
const json = JSON.stringify({ ...results, table: rows }, null, 2);
// A partial run (--only) does not overwrite the last whole one.
const resultFile = only ? `results/latest-${only}.json` : 'results/latest.json';
writeFileSync(join(here, resultFile), `${json}\n`);
if (asJson) process.stdout.write(`${json}\n`);
else {
  console.table(rows);
  console.log(`Node ${process.version}, ${results.date}${quick ? ', --quick' : ''}; JSON: bench/${resultFile}`);
}
