// Part of run-e2e.mjs (sharing its n8n installs, emulator and image host): a workflow saved with
// node version 1 keeps doing what it did after AnyAPI changes [pro] incompatibly. On a copy of the
// repository (scripts/lib/repo-copy.mjs), AnyAPI's page drops num_images and renames
// guidance_scale to guidance (declared in kontext.yaml); `spec:update` brings it in, which adds
// node version 2.1; the copy's node is built and packed. Then in each n8n version:
//   - example 01 as saved (version 1, Number of Images 2) fails its item naming the field AnyAPI
//     removed, and nothing is submitted;
//   - the same workflow with Guidance Scale 7 and Number of Images left as it was runs, and the
//     emulator (serving the copy's spec) receives `guidance: 7`, no `guidance_scale`, no `num_images`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator } from '@anyapi-kontext/emulator';
import { copyWholeRepository } from '../../../scripts/lib/repo-copy.mjs';
import { runWorkspaceScript } from '../../../scripts/spec/spec-update.mjs';
import { n8n, n8nWithImports, nodeItems, parseRunOutput } from './n8n-cli.mjs';
import { fixtures, loadExamples, packTarball } from './shared.mjs';

const PRO = '/fal-ai/flux-pro/kontext';

/** AnyAPI's [pro] page after the change: num_images gone, guidance_scale now guidance. */
function changedProPage(document) {
  const replacements = [
    ['                num_images:\n                  type: integer\n                  description: 生成的图像数量。默认值:1   范围值1-4\n', ''],
    ['                guidance_scale:\n', '                guidance:\n'],
    ['                - guidance_scale\n                - num_images\n', '                - guidance\n'],
  ];
  let out = document;
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`the [pro] document changed shape: no ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return `/fal-ai/flux-pro/kontext\n\nOpenAPI Specification\n\nyaml\n${out}\nAnyAPI\n`;
}

/** The copy with the change brought in, its node built and packed: `{ tarballDir, spec, remove }`. */
export function prepareBreakingChange(work, log) {
  const t0 = Date.now();
  const copy = copyWholeRepository();
  try {
    copy.write('openapi/kontext.yaml', copy.read('openapi/kontext.yaml').replace('x-renamed-fields: []', `x-renamed-fields:\n  - { endpoint: ${PRO}, from: guidance_scale, to: guidance }`));
    const page = path.join(work, 'pro-page.txt');
    fs.writeFileSync(page, changedProPage(copy.read('openapi/anyapi/fal-ai-flux-pro-kontext.yaml')));
    const update = spawnSync(process.execPath, ['scripts/spec/spec-update.mjs', page], { cwd: copy.root, encoding: 'utf8' });
    if (update.status !== 0) throw new Error(`spec:update failed:\n${update.stdout}\n${update.stderr}`);
    assert.match(update.stdout, /node version 2\.1 added/, 'the breaking change adds node version 2.1');
    runWorkspaceScript(copy.root, 'build', ['@anyapi-kontext/core', 'n8n-nodes-anyapi-kontext']);
    const packed = path.join(work, 'after-breaking-change');
    fs.mkdirSync(packed);
    const { dir } = packTarball(packed, copy.path('packages', 'n8n-nodes-anyapi-kontext'));
    const spec = JSON.parse(copy.read('openapi/generated/anyapi-kontext.openapi.json'));
    log(`breaking change brought in on a copy (spec:update, node version 2.1), node built and packed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return { tarballDir: dir, spec, remove: () => copy.remove() };
  } catch (error) {
    copy.remove();
    throw error;
  }
}

/** Runs the two version-1 workflows in n8n `version` against the changed node; returns failures. */
export async function runSavedVersionOne(version, layout, { tarballDir, spec, imageUrl, log }) {
  const inputs = [];
  const emulator = await startEmulator({
    port: 0,
    jobDuration: 150,
    seed: 7,
    spec,
    jobOutcome: (input) => {
      inputs.push(input);
      return undefined;
    },
  });
  const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `anyapi-kontext-n8n-v1-${version}-`));
  const failures = [];
  try {
    const example = loadExamples(imageUrl).find((w) => w.id === 'anyapiKontextUrl01');
    const asSaved = structuredClone(example);
    asSaved.id = 'anyapiKontextSavedV1NumImages';
    asSaved.name = 'Saved with version 1: Number of Images 2';
    const guidance = structuredClone(example);
    guidance.id = 'anyapiKontextSavedV1Guidance';
    guidance.name = 'Saved with version 1: Guidance Scale 7';
    const node = guidance.nodes.find((n) => n.name === 'Edit image');
    delete node.parameters.numImages;
    node.parameters.guidanceScale = 7;
    for (const workflow of [asSaved, guidance]) assert.equal(workflow.nodes.find((n) => n.name === 'Edit image').typeVersion, 1);
    const credentials = [{ id: 'anyapi-credential', name: 'AnyAPI account', type: 'anyApiApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.url } }];
    const { env } = await n8nWithImports(layout, userFolder, { tarballDir, fixtures, credentials, workflows: [asSaved, guidance] });
    const check = async (workflow, expect) => {
      const r = await n8n(layout, env, ['execute', `--id=${workflow.id}`, '--rawOutput']);
      try {
        log(`n8n ${version}: ok   ${workflow.name}: ${expect(r)}`);
      } catch (error) {
        failures.push(`${workflow.name}: ${error.message}`);
        log(`n8n ${version}: FAIL ${workflow.name}: ${error.message}\n  stdout (tail): ${r.stdout.slice(-1500)}\n  stderr (tail): ${r.stderr.slice(-1500)}`);
      }
    };
    await check(asSaved, (r) => {
      const all = `${r.stdout}\n${r.stderr}`;
      assert.notEqual(r.code, 0, 'the run fails');
      assert.match(all, /Number of Images \(num_images\) is set to 2, but AnyAPI no longer has this field/);
      assert.equal(inputs.length, 0, 'nothing was submitted');
      return 'fails naming Number of Images (num_images), which AnyAPI removed; nothing submitted';
    });
    await check(guidance, (r) => {
      assert.equal(r.code, 0, 'exit code');
      const items = nodeItems(parseRunOutput(r.stdout), 'Edit image');
      assert.equal(items.length, 1);
      assert.equal(items[0].json.imageCount, 1);
      assert.equal(inputs.length, 1, 'one job submitted');
      assert.equal(inputs[0].guidance, 7, 'the saved Guidance Scale reached the renamed field');
      assert.equal('guidance_scale' in inputs[0] || 'num_images' in inputs[0], false, 'no old field sent');
      return 'runs; AnyAPI received guidance: 7 (the renamed field), no num_images';
    });
  } finally {
    await emulator.stop();
    if (failures.length === 0 && !process.env.N8N_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
  }
  return failures;
}
