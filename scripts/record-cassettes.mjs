#!/usr/bin/env node
// Records the project's own cassettes (cassettes/README.md): a client of the core talks to the
// emulator's recording proxy, in front of a second emulator as the upstream, for each outcome a
// replay must reach; then `kontext doctor --run-job --record` records the doctor's job. Run after
// `pnpm build`; the emulators are seeded, so a rerun changes only timings and request ids.
//   node scripts/record-cassettes.mjs            every cassette, into cassettes/
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CancelledError, createKontextClient, JobFailedError } from '../packages/core/dist/index.js';
import { startEmulator, startRecorder } from '../packages/emulator/dist/index.js';
import { png } from '../bench/lib/png.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cassettes = join(root, 'cassettes');

/** One cassette: `scenario(client, upstream)` runs against a recorder in front of a fresh emulator. */
async function record(name, emulatorOptions, scenario) {
  const dir = join(cassettes, name);
  rmSync(dir, { recursive: true, force: true });
  const upstream = await startEmulator({ port: 0, seed: 21, ...emulatorOptions });
  const recorder = await startRecorder({ upstream: upstream.url, dir });
  try {
    const client = createKontextClient({ apiKey: upstream.apiKey, baseUrl: recorder.url });
    await scenario(client, upstream, recorder);
    console.log(`record-cassettes: ${name}: ${recorder.exchanges.length} exchanges`);
  } finally {
    await recorder.stop();
    await upstream.stop();
  }
}

// A 64 x 64 PNG: large enough to be stored as a blob, small in git.
const image_url = `data:image/png;base64,${png(64, 64).toString('base64')}`;

await record('emulator-success', { jobDuration: 300 }, async (client) => {
  const result = await client.run({ prompt: 'make it a watercolor', image_url, output_format: 'png' });
  if (result.data.images.length !== 1) throw new Error('the success scenario made no image');
});

await record('emulator-fail-at-result-polled', { jobDuration: 300, stream: false }, async (client) => {
  const error = await client.run({ prompt: '[fail-at-result] make it a watercolor', image_url }).then(
    () => undefined,
    (e) => e,
  );
  if (!(error instanceof JobFailedError) || error.cause?.status !== 422) throw new Error(`the failure scenario did not fail at the result: ${error}`);
});

await record('emulator-cancel', { jobDuration: 600_000 }, async (client, _upstream, recorder) => {
  const controller = new AbortController();
  const error = await client
    .run({ prompt: 'cancelled before it ends', image_url }, { signal: controller.signal, onUpdate: (update) => update.status === 'IN_PROGRESS' && controller.abort() })
    .then(
      () => undefined,
      (e) => e,
    );
  if (!(error instanceof CancelledError)) throw new Error(`the cancel scenario did not end cancelled: ${error}`);
  // The cancel may still be on its way when run stops waiting for it: wait until it is recorded.
  while (!recorder.exchanges.some((exchange) => exchange.request.method === 'PUT')) await new Promise((resolve) => setTimeout(resolve, 20));
});

// `kontext doctor --run-job --record`, with no key: the local emulator it starts is the upstream.
const doctorDir = join(cassettes, 'doctor-emulator');
rmSync(doctorDir, { recursive: true, force: true });
const doctor = spawnSync(process.execPath, [join(root, 'apps/kontext-cli/dist/bin.js'), 'doctor', '--run-job', '--record', doctorDir], {
  encoding: 'utf8',
  env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ANYAPI_API_KEY|ANYAPI_BASE_URL|(https?|no|all)_proxy)$/i.test(name))),
});
if (doctor.status !== 0) throw new Error(`kontext doctor --record failed:\n${doctor.stdout}\n${doctor.stderr}`);
console.log('record-cassettes: doctor-emulator: recorded by kontext doctor --run-job --record');
