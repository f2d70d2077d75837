// An ES module of someone else's project, with our packages installed from their tarballs.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  createKontextClient,
  InputError,
  toImageUrl,
  type KontextInput,
  type KontextResult,
  type paths,
} from '@anyapi-kontext/core';
import { createRawClient } from '@anyapi-kontext/core/fetch';
import { validateInput } from '@anyapi-kontext/core/portable';
import { startEmulator } from '@anyapi-kontext/emulator';
import createClient, { type Client } from 'openapi-fetch';

const samples = fileURLToPath(new URL('samples/', import.meta.resolve('@anyapi-kontext/kontext-cli/package.json')));
const emulator = await startEmulator({ port: 0, jobDuration: 20 });
try {
  const image_url = await toImageUrl(`${samples}red-apple.png`);

  // The client: submit, wait, result.
  const kontext = createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
  const result: KontextResult = await kontext.run({ prompt: 'Make it a watercolour', image_url, output_format: 'png' });
  assert.equal(result.data.images.length, 1);
  assert.equal(result.data.images[0]?.content_type, 'image/png');

  // Bad input is refused before anything is sent.
  const submitsBefore = emulator.counters.submits;
  await assert.rejects(kontext.run({ prompt: 'x', image_url, guidance_scale: 25 }), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /guidance_scale must be a number from 1 to 20/);
    return true;
  });
  assert.throws(() => validateInput({ prompt: 'x', image_url, num_images: 9 }), /num_images/);
  assert.equal(emulator.counters.submits, submitsBefore);

  // Typed fetch in another package: our own openapi-fetch client, typed by the core's `paths`.
  const api = createClient<paths>({ baseUrl: emulator.url, headers: { Authorization: `Bearer ${emulator.apiKey}` } });
  const body: KontextInput = { prompt: 'Put a donut next to the flour.', image_url, num_images: 2 };
  const submitted = await api.POST('/fal-ai/flux-pro/kontext', { body });
  assert.ok(submitted.data, `submit failed: ${JSON.stringify(submitted.error)}`);
  const request_id: string = submitted.data.request_id;
  const status = await api.GET('/{owner}/{alias}/requests/{request_id}/status', {
    params: { path: { owner: 'fal-ai', alias: 'flux-pro', request_id } },
  });
  assert.ok(status.data, `status failed: ${JSON.stringify(status.error)}`);
  assert.ok(['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED'].includes(status.data.status));
  // The same, through the core's typed raw client (the /fetch entry), which sends as the
  // lifecycle does: the auth, its retries, and fal's URLs moved onto the base URL.
  const raw = createRawClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
  const rawStatus = await raw.GET('/{owner}/{alias}/requests/{request_id}/status', {
    params: { path: { owner: 'fal-ai', alias: 'flux-pro', request_id } },
  });
  assert.ok(rawStatus.data, `raw status failed: ${JSON.stringify(rawStatus.error)}`);
  assert.ok(!rawStatus.data.response_url || rawStatus.data.response_url.startsWith(emulator.url), rawStatus.data.response_url);
  const done = await kontext.run(body, { pollInterval: 10 });
  assert.equal(done.data.images.length, 2);

  console.log(`esm consumer: ok (run, InputError before sending, own openapi-fetch client typed by paths, the /fetch raw client, on Node ${process.version})`);
} finally {
  await emulator.stop();
}

/** Never called: proofs for `tsc` that the types are the spec's, not `any` (each line must be an error). */
export function typesComeFromTheSpec(api: Client<paths>): void {
  // @ts-expect-error guidance_scale is a number in the spec
  void api.POST('/fal-ai/flux-pro/kontext', { body: { prompt: 'x', image_url: 'y', guidance_scale: 'high' } });
  // @ts-expect-error the spec has no such path
  void api.GET('/fal-ai/no-such-path');
  // @ts-expect-error output_format is 'jpeg' or 'png'
  const input: KontextInput = { prompt: 'x', image_url: 'y', output_format: 'gif' };
  void input;
}
