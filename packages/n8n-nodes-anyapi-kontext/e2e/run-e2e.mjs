#!/usr/bin/env node
// End-to-end test in real n8n: for each pinned n8n version (installed and cached by
// install-n8n.mjs), start the emulator, load the packed node package, import a credential and
// the example workflows, run them with `n8n execute --rawOutput`, and check the output items; then
// workflows saved with node version 1, after AnyAPI changed [pro] incompatibly (saved-versions.mjs).
//
//   node e2e/run-e2e.mjs                    # every pinned version
//   N8N_E2E_VERSIONS=2.41.1 node e2e/run-e2e.mjs
//   N8N_E2E_ONLY=anyapiKontextAgentTool08,anyapiKontextUrl01 node e2e/run-e2e.mjs   # some workflows (ids)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@anyapi-kontext/emulator';
import { startFakeOpenAi } from './fake-openai.mjs';
import sharp from 'sharp';
import { ensureN8n, layout, targetFor, TARGETS } from './install-n8n.mjs';
import { freePort, n8n, n8nWithImports, nodeItems, parseRunOutput } from './n8n-cli.mjs';
import { prepareBreakingChange, runSavedVersionOne } from './saved-versions.mjs';
import { fixtures, loadExamples, packTarball, runsManually, startImageHost } from './shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The model example 10 names By Path: not in the spec; the emulator serves it as a generic image model. */
const BY_PATH_MODEL = '/fal-ai/flux-kontext/dev';
const UNKNOWN_MODEL_PATH = '/fal-ai/no-such-model/v9';
const WRONG_KEY = `sk-e2e-wrong-${Math.random().toString(36).slice(2, 12)}`;

const log = (msg) => process.stdout.write(`[e2e] ${msg}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function loadWorkflows(imageUrl) {
  const workflows = loadExamples(imageUrl).filter(runsManually);
  /** A copy of example `fromId` as workflow `id`, named `name`, each of its nodes changed by `change`. */
  const variant = (fromId, id, name, change) => {
    const copy = structuredClone(workflows.find((w) => w.id === fromId));
    Object.assign(copy, { id, name });
    for (const node of copy.nodes) change(node);
    workflows.push(copy);
  };
  // (4) The first example again, with a credential whose key AnyAPI refuses.
  variant('anyapiKontextUrl01', 'anyapiKontextWrongKey04', 'AnyAPI Kontext: wrong API key', (node) => {
    if (node.credentials) node.credentials = { anyApiApi: { id: 'anyapi-wrong-key', name: 'AnyAPI wrong key' } };
  });
  // (6) The first example again, with a credential whose Base URL nobody listens on: n8n 1.x and
  // 2.x carry the network error differently (1.x drops its cause); both must say the same.
  variant('anyapiKontextUrl01', 'anyapiKontextUnreachable06', 'AnyAPI Kontext: AnyAPI unreachable', (node) => {
    if (node.credentials) node.credentials = { anyApiApi: { id: 'anyapi-unreachable', name: 'AnyAPI unreachable' } };
  });
  // (7) Photos AnyAPI does not take, read from disk: a real HEIC, a real TIFF and a 21 MP PNG,
  // each item an error that names the file, with nothing sent.
  variant('anyapiKontextDisk02', 'anyapiKontextPhotos07', 'AnyAPI Kontext: photos refused before sending', (node) => {
    if (node.type === 'n8n-nodes-base.readWriteFile') node.parameters.fileSelector = `${photosDir}${path.sep}*`;
    if (node.credentials) node.onError = 'continueRegularOutput';
  });
  // (8) A 12 MP phone JPEG stored on its side (EXIF orientation 6), read from disk: the node
  // turns it upright (its bundled WebAssembly decoder), so the emulator, which reads the stored
  // pixels and ignores EXIF as a model does, answers with a portrait.
  variant('anyapiKontextDisk02', 'anyapiKontextRotated08', 'AnyAPI Kontext: a rotated phone photo comes back upright', (node) => {
    if (node.type === 'n8n-nodes-base.readWriteFile') node.parameters.fileSelector = `${photosDir}${path.sep}rotated${path.sep}*`;
  });
  // (11) The model-by-path example on a path AnyAPI does not have: the error names the path.
  variant('anyapiKontextByPath10', 'anyapiKontextByPathUnknown11', 'AnyAPI Kontext: a model path AnyAPI does not have', (node) => {
    if (node.parameters.model?.mode === 'path') node.parameters.model.value = UNKNOWN_MODEL_PATH;
  });
  const only = (process.env.N8N_E2E_ONLY ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  return only.length > 0 ? workflows.filter((w) => only.includes(w.id)) : workflows;
}

/** Which fixture files a multi-image job was sent, in order, from the emulator's echo of its input. */
async function sentFiles(emulator, requestId) {
  const answer = await fetch(`${emulator.url}/fal-ai/flux-pro/requests/${requestId}`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
  const byBytes = new Map(['input.png', 'input-b.png'].map((name) => [fs.readFileSync(path.join(fixtures, name)).toString('base64'), name]));
  return (await answer.json()).request.image_urls.map((url) => byBytes.get(url.slice(url.indexOf(',') + 1)) ?? 'another image');
}

/** Where the photo case's files are written (n8n may read it: N8N_RESTRICT_FILE_ACCESS_TO). */
let photosDir = '';

/** A real HEIC and TIFF (the core's committed fixtures) and a 21 MP PNG, into `dir`; a rotated phone JPEG into `dir`/rotated. */
async function writePhotos(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const coreFixtures = path.resolve(here, '..', '..', 'core', 'test', 'fixtures');
  fs.copyFileSync(path.join(coreFixtures, 'photo.heic'), path.join(dir, 'IMG_0001.HEIC'));
  fs.copyFileSync(path.join(coreFixtures, 'scan.tif'), path.join(dir, 'scan.tif'));
  await sharp({ create: { width: 5000, height: 4200, channels: 3, background: '#336699' } }).png({ compressionLevel: 1 }).toFile(path.join(dir, 'pano-21mp.png'));
  fs.mkdirSync(path.join(dir, 'rotated'));
  await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#806040' } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toFile(path.join(dir, 'rotated', 'phone.jpg'));
}

/** A port nobody listens on, for the unreachable credential; set per n8n version. */
let closedPort = 0;

function assertImageItem(item, { format, count, binaryBase = 'data', stem }) {
  const mime = format === 'png' ? 'image/png' : 'image/jpeg';
  const ext = format === 'png' ? 'png' : 'jpg';
  assert.equal(item.json.imageCount, count, 'imageCount');
  assert.ok(typeof item.json.requestId === 'string' && item.json.requestId.length > 0, 'requestId');
  assert.ok('seed' in item.json && 'prompt' in item.json && Array.isArray(item.json.hasNsfwConcepts), 'seed, prompt, NSFW flags');
  const keys = Object.keys(item.binary ?? {}).sort();
  const expected = Array.from({ length: count }, (_, i) => (i === 0 ? binaryBase : `${binaryBase}_${i}`)).sort();
  assert.deepEqual(keys, expected, 'binary fields');
  for (const [index, key] of expected.entries()) {
    const b = item.binary[key];
    assert.equal(b.mimeType, mime, `${key} mime type`);
    assert.equal(b.fileExtension, ext, `${key} extension`);
    // Named after the input image and the image's number; the request id stays in the JSON.
    assert.equal(b.fileName, `${stem}-kontext-${index + 1}.${ext}`, `${key} file name`);
    assert.ok(Number.parseFloat(String(b.fileSize)) > 0 || b.fileSize === undefined, `${key} size`);
  }
  for (const image of item.json.images) {
    assert.ok(image.width > 0 && image.height > 0, 'image sizes');
  }
}

const checks = {
  anyapiKontextUrl01(result) {
    assert.equal(result.code, 0, 'exit code');
    const run = parseRunOutput(result.stdout);
    assert.equal(run?.status ?? (run?.finished ? 'success' : 'error'), 'success');
    const items = nodeItems(run, 'Edit image');
    assert.equal(items.length, 1);
    assertImageItem(items[0], { format: 'png', count: 2, stem: 'input' });
    assert.deepEqual(items[0].pairedItem, { item: 0 });
    return '1 item, 2 PNG images as binary (input-kontext-1.png, input-kontext-2.png)';
  },
  anyapiKontextDisk02(result) {
    assert.equal(result.code, 0, 'exit code');
    const run = parseRunOutput(result.stdout);
    const read = nodeItems(run, 'Read image from disk');
    assert.equal(read[0]?.binary?.data?.mimeType, 'image/png', 'the file was read as binary');
    const items = nodeItems(run, 'Edit image');
    assert.equal(items.length, 1);
    assertImageItem(items[0], { format: 'jpeg', count: 1, binaryBase: 'edited', stem: 'input' });
    return 'binary PNG in, 1 JPEG out in "edited" (input-kontext-1.jpg)';
  },
  anyapiKontextBatch03(result) {
    assert.equal(result.code, 0, 'exit code');
    const run = parseRunOutput(result.stdout);
    const items = nodeItems(run, 'Edit images');
    assert.equal(items.length, 5, 'five output items');
    items.forEach((item, i) => assert.deepEqual(item.pairedItem, { item: i }, `item ${i} paired to input ${i}`));
    const prompts = ['Add a red hat.', 'Add a blue scarf.', null, 'Make it night time.', 'Add falling snow.'];
    items.forEach((item, i) => {
      if (i === 2) {
        assert.match(String(item.json.error), /Item 3: Image URL must be an http\(s\) URL/);
        assert.equal(item.binary, undefined);
      } else {
        assert.equal(item.json.error, undefined, `item ${i} has no error`);
        assertImageItem(item, { format: 'jpeg', count: 1, stem: 'input' });
        assert.equal(item.json.prompt, prompts[i], `item ${i} in input order`);
      }
    });
    return '4 edited images + 1 error item, in order, paired';
  },
  async anyapiKontextMulti04(result, { emulator }) {
    assert.equal(result.code, 0, 'exit code');
    const run = parseRunOutput(result.stdout);
    const read = nodeItems(run, 'Read two images from disk');
    assert.equal(read.length, 2, 'two files read');
    const combined = nodeItems(run, 'Both images in one item');
    assert.deepEqual(Object.keys(combined[0]?.binary ?? {}).sort(), ['scene', 'subject'], 'one item with both images');
    const items = nodeItems(run, 'Combine images');
    assert.equal(items.length, 1, 'one job for both images');
    // Named after the first input image (scene: input.png).
    assertImageItem(items[0], { format: 'png', count: 1, binaryBase: 'combined', stem: 'input' });
    // The emulator's multi model puts its inputs side by side (96x64 and 64x32 as 128x64: 7:2),
    // at Kontext's widest 1 MP size; the job's echo of its input shows both arrived, in order.
    const [image] = items[0].json.images;
    assert.deepEqual({ width: image.width, height: image.height }, { width: 1568, height: 672 }, 'both inputs side by side, at 1 MP');
    assert.deepEqual(await sentFiles(emulator, items[0].json.requestId), ['input.png', 'input-b.png'], 'the job got scene (input.png), then subject (input-b.png)');
    return '2 binary images in one item, 1 job of both in order, 1 PNG of both side by side (input-kontext-1.png)';
  },
  anyapiKontextText05(result) {
    assert.equal(result.code, 0, 'exit code');
    const run = parseRunOutput(result.stdout);
    const items = nodeItems(run, 'Make image');
    assert.equal(items.length, 1);
    // No input image: named after the prompt's first words.
    assertImageItem(items[0], { format: 'jpeg', count: 2, stem: 'a-lighthouse-on-a-cliff-at' });
    assert.equal(items[0].json.prompt, 'A lighthouse on a cliff at dusk, oil painting.');
    for (const image of items[0].json.images) {
      // Aspect Ratio 16:9 reached the model: Kontext's 1 MP size nearest 16:9, drawn from nothing.
      assert.deepEqual([image.width, image.height], [1392, 752], `16:9 image (got ${image.width}x${image.height})`);
    }
    return 'no input image, 2 JPEG images of 16:9 (1392x752) from the prompt (a-lighthouse-on-a-cliff-at-kontext-1.jpg, -2.jpg)';
  },
  // Version 2 (06-08); the examples above are saved version-1 workflows and keep their shape.
  anyapiKontextPerImage06(result) {
    assert.equal(result.code, 0, 'exit code');
    const items = nodeItems(parseRunOutput(result.stdout), 'Edit image');
    assert.equal(items.length, 2, 'one output item per image');
    const [requestId] = new Set(items.map((item) => item.json.requestId));
    assert.ok(typeof requestId === 'string' && requestId.length > 0, 'one job, one request id');
    items.forEach((item, index) => {
      assert.deepEqual(item.pairedItem, { item: 0 }, `image ${index + 1} paired to its input`);
      assert.deepEqual(Object.keys(item.binary ?? {}), ['data'], `image ${index + 1} in data`);
      assert.equal(item.binary.data.mimeType, 'image/png');
      assert.equal(item.binary.data.fileName, `input-kontext-${index + 1}.png`);
      assert.equal(item.json.imageNumber, index + 1);
      assert.equal(item.json.model, '/fal-ai/flux-pro/kontext');
      assert.equal(item.json.prompt, 'Put a donut next to the flour.');
      assert.ok(item.json.width > 0 && item.json.height > 0 && typeof item.json.seed === 'number', 'size and seed');
      assert.deepEqual(item.json.inputImages, [{ item: 0, binaryField: 'data', fileName: 'input.png' }]);
    });
    return 'node version 2: 2 items, one PNG each in "data" (input-kontext-1.png, -2.png), same request id, paired to item 0';
  },
  async anyapiKontextCombine07(result, { emulator }) {
    assert.equal(result.code, 0, 'exit code');
    const run = parseRunOutput(result.stdout);
    const read = nodeItems(run, 'Read two images from disk');
    assert.equal(read.length, 2, 'two files read, as two items');
    const items = nodeItems(run, 'Combine images');
    assert.equal(items.length, 1, 'one job for the images of both items');
    assert.deepEqual(items[0].pairedItem, [{ item: 0 }, { item: 1 }], 'paired with every input item');
    // The job got the items' images in the items' order (the emulator's echo of its input).
    const order = read.map((item) => item.binary.data.fileName);
    assert.deepEqual(await sentFiles(emulator, items[0].json.requestId), order, `both images in item order (${order.join(', ')})`);
    assert.deepEqual(items[0].json.inputImages.map((i) => i.fileName), order);
    return `node version 2, Combine: 2 items (${order.join(', ')}) -> 1 job of both in item order, paired to both`;
  },
  anyapiKontextAgentTool08(result, { emulator, openai, submitsBefore }) {
    assert.equal(result.code, 0, `exit code (stderr: ${result.stderr.slice(-800)})`);
    const run = parseRunOutput(result.stdout);
    assert.equal(run?.status ?? (run?.finished ? 'success' : 'error'), 'success');
    assert.equal(emulator.counters.submits - submitsBefore, 1, 'the emulator got one job from the tool');
    const chats = openai.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(chats.length, 2, 'the model was asked twice: tool call, then final answer');
    const tool = chats[0].body.tools?.[0]?.function;
    assert.ok(tool, 'the agent offered the node as a tool');
    assert.match(tool.description, /URLs of the images/, 'the tool description says it takes image URLs');
    assert.deepEqual(Object.keys(tool.parameters.properties).sort(), ['imageUrls', 'prompt']);
    const answer = chats[1].body.messages.findLast((m) => m.role === 'tool');
    const text = typeof answer.content === 'string' ? answer.content : JSON.stringify(answer.content);
    assert.ok(text.length < 1500, `a short answer (${text.length} characters)`);
    assert.doesNotMatch(text, /base64|data:image/, 'no binary in the answer');
    const parsed = JSON.parse(text);
    const json = Array.isArray(parsed) ? parsed[0] : parsed;
    assert.equal(json.status, 'COMPLETED');
    assert.equal(json.prompt, 'Put a red hat on the person.');
    assert.equal(json.imageUrls.length, 1);
    assert.match(json.imageUrls[0], new RegExp(`^${emulator.url}/files/`), 'the result URL on the (emulated) file host');
    const output = nodeItems(run, 'AI Agent')[0]?.json?.output;
    assert.equal(output, `Here is the edited image: ${json.imageUrls[0]}`, 'the agent passed the URL on');
    return `AI Agent -> tool call -> 1 job on the emulator -> ${text.length}-character JSON answer with the image URL -> final message`;
  },
  anyapiKontextByPath10(result, { emulator, submitsBefore }) {
    assert.equal(result.code, 0, `exit code (stderr: ${result.stderr.slice(-800)})`);
    const items = nodeItems(parseRunOutput(result.stdout), 'Edit image');
    assert.equal(items.length, 2, 'num_images 2 from Input (JSON) reached the model: 2 items');
    assert.equal(emulator.counters.submits - submitsBefore, 1, 'one job');
    items.forEach((item, index) => {
      assert.deepEqual(item.pairedItem, { item: 0 });
      assert.equal(item.json.model, BY_PATH_MODEL, 'the output names the model path');
      assert.equal(item.json.prompt, 'Put a donut next to the flour.', 'the Prompt field was sent as prompt');
      assert.equal(item.binary.data.mimeType, 'image/png', 'output_format png from Input (JSON)');
      assert.equal(item.binary.data.fileName, `input-kontext-${index + 1}.png`);
      assert.deepEqual(item.json.inputImages, [{ item: 0, binaryField: 'data', fileName: 'input.png' }]);
    });
    // The emulator answers the job's status and result only on its app, fal-ai/flux-kontext.
    return `node version 2, Model By Path ${BY_PATH_MODEL}: Input (JSON) + Prompt + Images -> 1 job on its app -> 2 PNG items`;
  },
  anyapiKontextByPathUnknown11(result, { emulator, submitsBefore }) {
    const all = `${result.stdout}\n${result.stderr}`;
    assert.notEqual(result.code, 0, 'the run fails');
    assert.match(all, new RegExp(`AnyAPI has no model at ${UNKNOWN_MODEL_PATH.replaceAll('/', '\\/')} \\(404 Not Found\\)`));
    assert.equal(emulator.counters.submits - submitsBefore, 0, 'no job');
    return `run failed: "AnyAPI has no model at ${UNKNOWN_MODEL_PATH} (404 Not Found)"`;
  },
  anyapiKontextWrongKey04(result) {
    const all = `${result.stdout}\n${result.stderr}`;
    assert.notEqual(result.code, 0, 'the run fails');
    assert.match(all, /API key was refused/);
    assert.ok(!all.includes(WRONG_KEY), 'the key appears nowhere in the output');
    return 'run failed: "The API key was refused", key not in output';
  },
  anyapiKontextPhotos07(result, { requests }) {
    assert.equal(result.code, 0, 'exit code');
    const items = nodeItems(parseRunOutput(result.stdout), 'Edit image');
    const errors = items.map((item) => String(item.json.error)).sort();
    assert.equal(errors.length, 3, 'one item per file');
    assert.match(errors.find((e) => e.includes('IMG_0001.HEIC')) ?? '', /\(IMG_0001\.HEIC\) is a HEIC\/HEIF file, which AnyAPI does not take$/);
    assert.match(errors.find((e) => e.includes('scan.tif')) ?? '', /\(scan\.tif\) is a TIFF file, which AnyAPI does not take$/);
    assert.match(errors.find((e) => e.includes('pano-21mp.png')) ?? '', /\(pano-21mp\.png\) is 5000 x 4200 pixels \(21\.0 MP\), above the 20 MP AnyAPI takes per image$/);
    assert.equal(requests, 0, 'nothing was sent to AnyAPI');
    return 'HEIC, TIFF and 21 MP PNG from disk: 3 error items naming each file, 0 requests sent';
  },
  anyapiKontextRotated08(result, { requests }) {
    assert.equal(result.code, 0, 'exit code');
    const run = parseRunOutput(result.stdout);
    const items = nodeItems(run, 'Edit image');
    assert.equal(items.length, 1);
    assertImageItem(items[0], { format: 'jpeg', count: 1, binaryBase: 'edited', stem: 'phone' });
    const [image] = items[0].json.images;
    // Stored 4000 x 3000 on its side; upright it is a 3000 x 4000 portrait, and so is the answer.
    assert.ok(image.height > image.width, `the output is upright (a portrait), got ${image.width} x ${image.height}`);
    assert.ok(requests > 0, 'the job was sent');
    return `rotated 12 MP phone JPEG from disk: the output is a ${image.width} x ${image.height} portrait (upright)`;
  },
  anyapiKontextUnreachable06(result) {
    const all = `${result.stdout}\n${result.stderr}`;
    assert.notEqual(result.code, 0, 'the run fails');
    assert.match(all, new RegExp(`Could not reach AnyAPI at http://127\\.0\\.0\\.1:${closedPort}`));
    assert.match(all, /Network error ECONNREFUSED after 4 attempts/, 'the network code is read and the request retried');
    return 'run failed: "Could not reach AnyAPI", ECONNREFUSED after 4 attempts';
  },
};

async function runVersion(version, tarballDir, imageHost, afterBreakingChange) {
  const started = Date.now();
  const layout = ensureN8n(version);
  const emulator = await startEmulator({ port: 0, jobDuration: 150, concurrency: 4, seed: 7, extraModels: { [BY_PATH_MODEL]: 'single' } });
  const openai = await startFakeOpenAi();
  const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `anyapi-kontext-n8n-${version}-`));
  const timings = {};
  const failures = [];
  try {
    photosDir = path.join(userFolder, 'photos');
    await writePhotos(photosDir);
    const creds = [
      { id: 'anyapi-credential', name: 'AnyAPI account', type: 'anyApiApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.url } },
      { id: 'anyapi-wrong-key', name: 'AnyAPI wrong key', type: 'anyApiApi', data: { apiKey: WRONG_KEY, baseUrl: emulator.url } },
      { id: 'openai-credential', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-e2e-fake-openai', url: openai.url } },
      { id: 'anyapi-unreachable', name: 'AnyAPI unreachable', type: 'anyApiApi', data: { apiKey: emulator.apiKey, baseUrl: `http://127.0.0.1:${(closedPort = await freePort())}` } },
    ];
    const workflows = loadWorkflows(`${imageHost.url}/input.png`);
    const { env, timings: imports } = await n8nWithImports(layout, userFolder, { tarballDir, fixtures: `${fixtures};${photosDir}`, credentials: creds, workflows });
    Object.assign(timings, imports);
    for (const wf of workflows) {
      const submitsBefore = emulator.counters.submits;
      const requestsBefore = emulator.counters.total;
      const r = await n8n(layout, env, ['execute', `--id=${wf.id}`, '--rawOutput']);
      const requests = emulator.counters.total - requestsBefore;
      timings[wf.id] = r.ms;
      fs.writeFileSync(path.join(userFolder, `${wf.id}.out.txt`), `${r.stdout}\n--- stderr ---\n${r.stderr}`);
      try {
        const note = await checks[wf.id](r, { emulator, openai, submitsBefore, requests });
        log(`n8n ${version}: ok   ${wf.name} (${seconds(r.ms)}): ${note}`);
      } catch (error) {
        failures.push(`${wf.name}: ${error.message}`);
        log(`n8n ${version}: FAIL ${wf.name} (${seconds(r.ms)}): ${error.message}`);
        log(`  output kept in ${path.join(userFolder, `${wf.id}.out.txt`)}`);
        log(`  stdout (tail): ${r.stdout.slice(-1500)}`);
        log(`  stderr (tail): ${r.stderr.slice(-1500)}`);
      }
    }
  } finally {
    await emulator.stop();
    await openai.stop();
    if (failures.length === 0 && !process.env.N8N_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
  }
  // Workflows saved with node version 1, run by the node after AnyAPI changed [pro] incompatibly.
  const savedStarted = Date.now();
  failures.push(...(await runSavedVersionOne(version, layout, { ...afterBreakingChange, imageUrl: `${imageHost.url}/input.png`, log })));
  timings['saved version 1 after a breaking change'] = Date.now() - savedStarted;
  return { version, ms: Date.now() - started, timings, failures };
}

async function main() {
  const wanted = (process.env.N8N_E2E_VERSIONS ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const versions = wanted.length > 0 ? wanted : TARGETS.map((t) => t.n8n);
  // Missing installs run side by side (each is mostly waiting on the network, then one compile).
  const t0 = Date.now();
  const missing = versions.filter((v) => !layout(targetFor(v)).installed);
  if (missing.length > 0) log(`installing n8n ${missing.join(' and ')} (first run only; about 8 minutes)`);
  const codes = await Promise.all(
    missing.map(
      (v) =>
        new Promise((resolve) => {
          const child = spawn(process.execPath, [path.join(here, 'install-n8n.mjs'), v], { stdio: 'inherit' });
          child.on('close', resolve);
        }),
    ),
  );
  if (codes.some((c) => c !== 0)) throw new Error('installing n8n failed (see the log above)');
  for (const v of versions) {
    const l = ensureN8n(v);
    log(`n8n ${v} on Node ${l.nodeVersion} ready (${seconds(Date.now() - t0)})`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-kontext-e2e-'));
  const { dir: tarballDir, info } = packTarball(work);
  log(`packed ${info.filename} (${(info.size / 1024).toFixed(1)} KiB, ${info.files.length} files); n8n loads it from ${tarballDir}`);
  const afterBreakingChange = prepareBreakingChange(work, log);
  const imageHost = await startImageHost();
  const results = [];
  try {
    for (const v of versions) results.push(await runVersion(v, tarballDir, imageHost, afterBreakingChange));
  } finally {
    await imageHost.stop();
    afterBreakingChange.remove();
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const r of results) {
    const steps = Object.entries(r.timings).map(([k, ms]) => `${k} ${seconds(ms)}`).join(', ');
    log(`n8n ${r.version}: ${r.failures.length === 0 ? 'passed' : `${r.failures.length} failed`} in ${seconds(r.ms)} (${steps})`);
  }
  if (results.some((r) => r.failures.length > 0)) process.exit(1);
}

await main();
