// A CommonJS module of someone else's project: tsc turns these imports into require() calls of
// our ESM-only packages, which Node runs as require(esm) (20.19+, 22.12+, 24).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: this file is what a CJS user writes */
import assert = require('node:assert/strict');
import path = require('node:path');
import { createKontextClient, JobFailedError, KontextError, toImageUrl, type QueueState } from '@anyapi-kontext/core';
import { startEmulator, FAIL_MARKER } from '@anyapi-kontext/emulator';

async function main(): Promise<void> {
  const samples = path.join(path.dirname(require.resolve('@anyapi-kontext/kontext-cli/package.json')), 'samples');
  const emulator = await startEmulator({ port: 0, jobDuration: 20 });
  try {
    const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
    const image_url = await toImageUrl(path.join(samples, 'mountain-lake.jpg'));
    const seen: QueueState[] = [];
    const result = await kontext.run({ prompt: 'Add a rowing boat', image_url }, { onUpdate: (update) => seen.push(update.status) });
    assert.equal(result.data.images.length, 1);
    assert.ok(seen.length > 0, 'onUpdate was called');

    await assert.rejects(kontext.run({ prompt: `Add a boat ${FAIL_MARKER}`, image_url }), (error: unknown) => {
      assert.ok(error instanceof JobFailedError);
      assert.ok(error instanceof KontextError);
      return true;
    });
    console.log(`cjs consumer: ok (require() of the ESM packages, run, JobFailedError, on Node ${process.version})`);
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
