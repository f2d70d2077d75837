#!/usr/bin/env node
// The node as a person meets it in the n8n editor, in a real browser, in each pinned n8n version:
// n8n is started with the packed node, the owner and an AnyAPI credential (pointing at the
// emulator) are set up through the REST API, then in headless Chromium:
//   1. the nodes panel's search finds the node for "AnyAPI", "Kontext", "FLUX" and "image edit";
//   2. the AI panel lists it as a root node (next to OpenAI, Anthropic, ...);
//   3. picking it shows its actions; "Edit an image" opens the default model's fields, and an
//      empty Prompt, once left, carries n8n's issues icon ("Parameter "Prompt" is required.");
//   4. Add Option lists Edit's options; picking each model from Model's list (version 2's resource
//      locator, filled by the node's list search) shows that model's fields (with one model in the
//      spec this step says so and is skipped), and Model By Path to a path the node does not list
//      shows Prompt, Images, Send Images As and Input (JSON);
//   5. Execute Workflow runs a URL -> edit workflow and the output panel shows the edited image,
//      named after the input (photo-kontext-1.jpg).
// Every step saves a screenshot under docs/screenshots/n8n-<version>/ (the README shows them).
//
//   node e2e/ui/run-ui.mjs                       # every pinned version
//   N8N_E2E_VERSIONS=2.41.1 node e2e/ui/run-ui.mjs
//   UI_SCREENSHOTS_DIR=/tmp/shots node e2e/ui/run-ui.mjs   # screenshots elsewhere
/* global document -- functions passed to page.waitForFunction / $$eval run in the browser */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@anyapi-kontext/emulator';
import { ensureN8n, layout, targetFor, TARGETS } from '../install-n8n.mjs';
import {
  SELECTORS,
  clickCategory,
  clickText,
  ensureChromium,
  pickFromLocatorList,
  typeInLocatorMode,
  hoverIssues,
  launchBrowser,
  openPage,
  openWorkflow,
  searchNodes,
  shownParameters,
  visibleTexts,
} from './editor.mjs';
import { setUpOwner, startN8n } from './n8n-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgRoot = path.resolve(here, '..', '..');
const INPUT_IMAGE = path.join(pkgRoot, 'e2e', 'fixtures', 'input.png');
const SEARCH_TERMS = ['AnyAPI', 'Kontext', 'FLUX', 'image edit'];
const NODE_TITLE = 'AnyAPI Kontext';
const NODE_TYPE = 'CUSTOM.anyApiKontext';
const TOOL_TITLE = 'Edit image tool';
const TRIGGER = 'Start';

const log = (msg) => process.stdout.write(`[ui] ${msg}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---- What the editor should show, computed from the built node with n8n-workflow's own rules ----

const require = createRequire(import.meta.url);
// n8n-workflow's ESM build does not load in plain Node (extensionless imports): its CommonJS does.
const { NodeHelpers } = require('n8n-workflow');
function nodeDescription() {
  const file = path.join(pkgRoot, 'dist', 'nodes', 'AnyApiKontext', 'AnyApiKontext.node.js');
  if (!fs.existsSync(file)) throw new Error('dist/ is missing: run `pnpm build` first');
  const { AnyApiKontext } = require(file);
  return new AnyApiKontext().description;
}

/** The version a node added in the editor gets (n8n's `defaultVersion`). */
const newNodeVersion = (description) => description.defaultVersion ?? Math.max(...[description.version].flat());

/**
 * The parameters n8n displays for `values` (the rest at their defaults) in a node of `version`,
 * as the panel lists them: a list (fixedCollection) by the fields of its entries.
 */
function expectedParameters(description, values, version = newNodeVersion(description)) {
  const node = { typeVersion: version, parameters: {} };
  const parameters = NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description);
  node.parameters = parameters;
  return description.properties
    .filter((p) => !['collection', 'notice'].includes(p.type))
    .filter((p) => NodeHelpers.displayParameter(parameters, p, node, description))
    .flatMap((p) => (p.type === 'fixedCollection' ? entryFields(p, parameters, node, description) : [p.name]));
}

function entryFields(list, parameters, node, description) {
  return list.options.flatMap((option) =>
    [parameters[list.name]?.[option.name] ?? []].flat().flatMap((entry) =>
      option.values.filter((field) => NodeHelpers.displayParameter(entry, field, node, description, parameters)).map((field) => field.name),
    ),
  );
}

/** The display names Add Option lists for the Options collection shown with `values`. */
function expectedOptions(description, values, version = newNodeVersion(description)) {
  const node = { typeVersion: version, parameters: {} };
  const parameters = NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description);
  node.parameters = parameters;
  const options = description.properties.find((p) => p.name === 'options' && NodeHelpers.displayParameter(parameters, p, node, description));
  // An option may be shown for some models only (displayOptions on `/model`).
  return options.options.filter((o) => NodeHelpers.displayParameterPath(parameters, o, 'options', node, description)).map((o) => o.displayName);
}

/** What version 2's Model > From List offers: the node's own list search, run on the built node. */
async function modelChoices() {
  const file = path.join(pkgRoot, 'dist', 'nodes', 'AnyApiKontext', 'AnyApiKontext.node.js');
  const { AnyApiKontext } = require(file);
  return (await new AnyApiKontext().methods.listSearch.searchModels.call({})).results;
}

/** A model path the node does not list, for Model By Path. */
const UNLISTED_MODEL = '/fal-ai/flux-kontext/dev';

// ---- Test fixtures: the packed node, the input image's host ----

function packTarball(work) {
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: pkgRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  const untar = spawnSync('tar', ['xzf', path.join(work, info.filename), '-C', work]);
  if (untar.status !== 0) throw new Error(`tar xzf ${info.filename} failed`);
  return path.join(work, 'package');
}

/** Serves the fixture image at /photo.png, as a public file host would. */
async function startImageHost() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(fs.readFileSync(INPUT_IMAGE));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/photo.png`, stop: () => new Promise((r) => server.close(r)) };
}

// ---- The steps, each ending with a screenshot ----

async function runVersion(version, { extensionsDir, imageUrl, shotsDir, description }) {
  const started = Date.now();
  const timings = {};
  const l = ensureN8n(version);
  const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `anyapi-kontext-ui-${version}-`));
  const emulator = await startEmulator({ port: 0, jobDuration: 150, concurrency: 4, seed: 7 });
  let n8n;
  let browser;
  let page;
  let failed = false;
  fs.rmSync(shotsDir, { recursive: true, force: true });
  fs.mkdirSync(shotsDir, { recursive: true });
  const shot = async (name) => await page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
  const step = async (name, fn) => {
    const t = Date.now();
    await fn();
    timings[name] = Date.now() - t;
    log(`n8n ${version}: ok   ${name} (${seconds(timings[name])})`);
  };
  try {
    let t = Date.now();
    n8n = await startN8n(l, { extensionsDir, userFolder });
    timings['n8n start'] = Date.now() - t;
    log(`n8n ${version}: editor ready at ${n8n.url} (${seconds(timings['n8n start'])})`);
    const rest = await setUpOwner(n8n.url);
    const credential = await rest.createCredential({
      name: 'AnyAPI account',
      type: 'anyApiApi',
      data: { apiKey: emulator.apiKey, baseUrl: emulator.url },
    });
    const test = await rest.testCredential({ id: credential.id, name: credential.name, type: 'anyApiApi', data: { apiKey: emulator.apiKey, baseUrl: emulator.url } });
    assert.equal(test.status, 'OK', `credential test: ${JSON.stringify(test)}`);
    const trigger = { id: 'trigger', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
    const empty = await rest.createWorkflow({ name: 'Find the node', nodes: [trigger], connections: {} });
    const edit = await rest.createWorkflow({
      name: 'Edit an image from a URL',
      nodes: [
        trigger,
        {
          id: 'kontext',
          name: NODE_TITLE,
          type: NODE_TYPE,
          typeVersion: newNodeVersion(description),
          position: [260, 0],
          parameters: { resource: 'image', operation: 'edit', images: { image: [{ source: 'url', url: imageUrl }] }, prompt: 'Put a donut next to the flour.' },
          credentials: { anyApiApi: { id: credential.id, name: credential.name } },
        },
      ],
      connections: { [TRIGGER]: { main: [[{ node: NODE_TITLE, type: 'main', index: 0 }]] } },
    });

    // A node saved with version 1 (before version 2 existed), and the node as an AI Agent's tool.
    const savedVersion1 = await rest.createWorkflow({
      name: 'Saved with version 1',
      nodes: [
        trigger,
        { id: 'kontext-v1', name: NODE_TITLE, type: NODE_TYPE, typeVersion: 1, position: [260, 0], parameters: { resource: 'image', operation: 'edit', prompt: 'Add a hat' } },
      ],
      connections: { [TRIGGER]: { main: [[{ node: NODE_TITLE, type: 'main', index: 0 }]] } },
    });
    const agent = await rest.createWorkflow({
      name: 'An AI Agent edits images',
      nodes: [
        trigger,
        { id: 'agent', name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3, position: [260, 0], parameters: { promptType: 'define', text: 'Put a hat on the person in the photo.', options: {} } },
        {
          id: 'tool',
          name: TOOL_TITLE,
          type: `${NODE_TYPE}Tool`,
          typeVersion: newNodeVersion(description),
          position: [420, 220],
          parameters: { resource: 'image', operation: 'edit', prompt: "={{ $fromAI('prompt', 'What to change in the image', 'string') }}", options: {} },
          credentials: { anyApiApi: { id: credential.id, name: credential.name } },
        },
      ],
      connections: {
        [TRIGGER]: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
        [TOOL_TITLE]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
      },
    });

    browser = await launchBrowser();
    page = await openPage(browser, n8n.url, rest.cookie);
    t = Date.now();
    await openWorkflow(page, n8n.url, empty.id, TRIGGER);
    timings['editor load'] = Date.now() - t;

    for (const [index, term] of SEARCH_TERMS.entries()) {
      await step(`search "${term}" lists the node`, async () => {
        await searchNodes(page, term, NODE_TITLE);
        await shot(`0${index + 1}-search-${term.toLowerCase().replace(/\s+/g, '-')}`);
      });
    }

    await step('the AI panel lists the node as a root node', async () => {
      await searchNodes(page, '');
      await clickCategory(page, 'AI');
      await page.waitForFunction((sel, title) => [...document.querySelectorAll(sel)].some((e) => e.textContent.trim() === title), {}, SELECTORS.itemName, 'AI Agent');
      const names = await visibleTexts(page, SELECTORS.itemName);
      assert.ok(names.includes(NODE_TITLE), `the AI panel lists: ${JSON.stringify(names)}`);
      const subNodeSections = await visibleTexts(page, '[data-test-id="node-creator-category-item"], [data-test-id="node-creator-section-title"]');
      assert.ok(!subNodeSections.some((s) => /sub-nodes/i.test(s)), `no sub-node section: ${JSON.stringify(subNodeSections)}`);
      await shot('05-ai-panel');
    });

    await step('picking the node shows its actions', async () => {
      await searchNodes(page, 'AnyAPI', NODE_TITLE);
      await clickText(page, SELECTORS.itemName, NODE_TITLE);
      await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].some((e) => e.textContent.trim() === 'Edit an image'), {}, SELECTORS.itemName);
      const actions = await visibleTexts(page, SELECTORS.itemName);
      for (const action of ['Edit an image', 'Submit an edit job', 'Get the status of a job', 'Get the result of a job', 'Cancel a job']) {
        assert.ok(actions.some((a) => a.startsWith(action.split(' ').slice(0, 2).join(' '))), `actions: ${JSON.stringify(actions)}`);
      }
      await shot('06-actions');
    });

    await step("Edit an image shows the default model's fields; an empty Prompt is flagged as required", async () => {
      await clickText(page, SELECTORS.itemName, 'Edit an image');
      await page.waitForSelector(SELECTORS.parameterInput('prompt'), { visible: true });
      const expected = expectedParameters(description, { resource: 'image', operation: 'edit' });
      assert.deepEqual(await shownParameters(page, expected), expected, 'the fields shown');
      // n8n hides the issues of a node just added until a field is left (NodeSettings' pristine rule).
      await page.click(`${SELECTORS.parameterInput('prompt')} textarea`);
      await page.keyboard.press('Tab');
      const issues = await hoverIssues(page, 'prompt');
      assert.match(issues, /Parameter "Prompt" is required\./);
      await shot('07-prompt-required');
    });

    await step("Add Option lists Edit's options", async () => {
      await page.mouse.move(0, 0);
      await page.$eval(SELECTORS.addOption, (e) => e.scrollIntoView({ block: 'center' }));
      await page.click(SELECTORS.addOption);
      const expected = expectedOptions(description, { resource: 'image', operation: 'edit' });
      await page.waitForFunction((sel, first) => [...document.querySelectorAll(sel)].some((e) => e.textContent.trim() === first && e.getBoundingClientRect().width > 0), {}, SELECTORS.dropdownItem, expected[0]);
      assert.deepEqual(await visibleTexts(page, SELECTORS.dropdownItem), expected, 'the options listed');
      await shot('08-add-option');
      await page.keyboard.press('Escape');
    });

    // Version 2's Model: a resource locator (From List / By Path); its default is a listed model.
    const defaultModel = description.properties.find((p) => p.name === 'model' && p.type === 'resourceLocator')?.default?.value;
    const models = (await modelChoices()).filter((m) => m.value !== defaultModel);
    if (models.length === 0) {
      log(`n8n ${version}: skip switching Model: the spec has one model`);
    } else {
      for (const [index, model] of models.entries()) {
        await step(`picking ${model.name} from Model's list shows its fields`, async () => {
          await page.$eval(SELECTORS.parameterInput('model'), (e) => e.scrollIntoView({ block: 'start' }));
          await pickFromLocatorList(page, 'model', model.name);
          const expected = expectedParameters(description, { resource: 'image', operation: 'edit', model: { __rl: true, mode: 'list', value: model.value } });
          assert.deepEqual(await shownParameters(page, expected), expected, `the fields of ${model.name}`);
          await shot(`09-model-${index + 1}-${String(model.value).split('/').filter(Boolean).slice(2).join('-') || 'pro'}`);
        });
      }
    }

    await step('Model By Path to a path the node does not list shows Prompt, Images, Send Images As and Input (JSON)', async () => {
      await page.$eval(SELECTORS.parameterInput('model'), (e) => e.scrollIntoView({ block: 'start' }));
      await typeInLocatorMode(page, 'model', 'By Path', UNLISTED_MODEL);
      const expected = expectedParameters(description, { resource: 'image', operation: 'edit', model: { __rl: true, mode: 'path', value: UNLISTED_MODEL } });
      assert.ok(['pathInput', 'imageField', 'prompt', 'source'].every((name) => expected.includes(name)) && !expected.includes('guidanceScale'), `the By Path fields: ${expected}`);
      assert.deepEqual(await shownParameters(page, expected), expected, 'the fields of a model By Path');
      await shot('09-model-by-path');
    });

    await step('a node saved with version 1 keeps its fields (Image Source, Input Binary Field)', async () => {
      await openWorkflow(page, n8n.url, savedVersion1.id, TRIGGER);
      const node = await page.$(SELECTORS.canvasNode(NODE_TITLE));
      await node.click({ count: 2 });
      await page.waitForSelector(SELECTORS.parameterInput('prompt'), { visible: true });
      const expected = expectedParameters(description, { resource: 'image', operation: 'edit', prompt: 'Add a hat' }, 1);
      assert.ok(expected.includes('imageSource') && !expected.includes('source'), `version 1's fields: ${expected}`);
      assert.deepEqual(await shownParameters(page, expected), expected, 'the fields of a version-1 node');
      await shot('12-saved-version-1-node');
      await page.keyboard.press('Escape');
    });

    await step('as an AI Agent tool it asks for Image URLs and says what it answers', async () => {
      await openWorkflow(page, n8n.url, agent.id, TRIGGER);
      const node = await page.waitForSelector(SELECTORS.canvasNode(TOOL_TITLE));
      await node.click({ count: 2 });
      await page.waitForSelector(SELECTORS.parameterInput('toolDescription'), { visible: true });
      const tool = { ...description, name: `${description.name}Tool` };
      const expected = expectedParameters(tool, agent.nodes.find((n) => n.name === TOOL_TITLE).parameters);
      assert.ok(expected.includes('toolImageUrls') && expected.includes('toolDescription') && !expected.includes('source'), `the tool's fields: ${expected}`);
      assert.deepEqual(await shownParameters(page, expected), expected, "the tool's fields");
      await shot('13-ai-agent-tool');
      await page.keyboard.press('Escape');
    });

    await step('Execute Workflow shows the edited image in the output panel', async () => {
      await openWorkflow(page, n8n.url, edit.id, TRIGGER);
      await page.click(SELECTORS.executeWorkflow);
      await page.waitForSelector(`${SELECTORS.canvasNode(NODE_TITLE)} ${SELECTORS.nodeSuccess}, ${SELECTORS.canvasNode(NODE_TITLE)} ${SELECTORS.nodeError}`);
      assert.equal(await page.$(`${SELECTORS.canvasNode(NODE_TITLE)} ${SELECTORS.nodeError}`), null, 'the node ran without error');
      const node = await page.$(SELECTORS.canvasNode(NODE_TITLE));
      await node.click({ count: 2 });
      await page.waitForSelector(SELECTORS.binaryTab, { visible: true });
      await page.click(SELECTORS.binaryTab);
      const card = await page.waitForSelector(SELECTORS.binaryCard, { visible: true });
      const cardText = await card.evaluate((e) => e.textContent.replace(/\s+/g, ' '));
      assert.match(cardText, /photo-kontext-1\.jpg/, 'the file is named after the input');
      assert.match(cardText, /image\/jpeg/, 'its MIME type');
      await shot('10-output-file');
      await page.click(SELECTORS.viewBinary);
      const image = await page.waitForFunction((sel) => {
        const img = document.querySelector(`${sel} img`);
        return img && img.complete && img.naturalWidth > 0 ? { width: img.naturalWidth, height: img.naturalHeight } : null;
      }, {}, SELECTORS.outputData);
      const size = await image.jsonValue();
      assert.ok(size.width > 0 && size.height > 0, 'the edited image is drawn');
      await shot('11-output-image');
    });
  } catch (error) {
    failed = true;
    if (page) await shot('failure').catch(() => undefined);
    throw Object.assign(error, { userFolder, shotsDir });
  } finally {
    await browser?.close().catch(() => undefined);
    await n8n?.stop();
    await emulator.stop();
    if (!failed && !process.env.N8N_E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
  }
  return { version, ms: Date.now() - started, timings };
}

async function main() {
  const t0 = Date.now();
  ensureChromium(log);
  const wanted = (process.env.N8N_E2E_VERSIONS ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const versions = wanted.length > 0 ? wanted : TARGETS.map((t) => t.n8n);
  const missing = versions.filter((v) => !layout(targetFor(v)).installed);
  if (missing.length > 0) log(`installing n8n ${missing.join(' and ')} (first run only; several minutes)`);
  for (const v of missing) {
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(here, '..', 'install-n8n.mjs'), v], { stdio: 'inherit' });
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`installing n8n ${v} failed (see the log above)`);
  }
  const description = nodeDescription();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-kontext-ui-'));
  const imageHost = await startImageHost();
  const shotsRoot = process.env.UI_SCREENSHOTS_DIR ? path.resolve(process.env.UI_SCREENSHOTS_DIR) : path.join(pkgRoot, 'docs', 'screenshots');
  const results = [];
  const failures = [];
  try {
    const extensionsDir = packTarball(work);
    for (const version of versions) {
      try {
        results.push(await runVersion(version, { extensionsDir, imageUrl: imageHost.url, shotsDir: path.join(shotsRoot, `n8n-${version}`), description }));
      } catch (error) {
        failures.push(version);
        log(`n8n ${version}: FAIL ${error.stack ?? error}`);
        if (error.userFolder) log(`  n8n's user folder and log kept in ${error.userFolder}; screenshots in ${error.shotsDir}`);
      }
    }
  } finally {
    await imageHost.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const r of results) {
    const steps = Object.entries(r.timings).map(([k, ms]) => `${k} ${seconds(ms)}`).join(', ');
    log(`n8n ${r.version}: passed in ${seconds(r.ms)} (${steps})`);
  }
  log(`${failures.length === 0 ? 'passed' : `FAILED in ${failures.join(', ')}`}; whole run ${seconds(Date.now() - t0)}; screenshots in ${shotsRoot}`);
  if (failures.length > 0) process.exit(1);
}

await main();
