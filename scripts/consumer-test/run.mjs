#!/usr/bin/env node
// `pnpm test:consumer`: what someone outside this repository gets from `npm install`.
// Packs every publishable package with pnpm (as a release does), installs the tarballs with plain
// npm into a new project in the temporary folder (outside the workspace: no links, no pnpm, no
// lockfile, dependencies from the npm registry), and there:
//   - typechecks (tsc, skipLibCheck off) and runs an ES module and a CommonJS consumer
//     (project/esm-consumer.mts, project/cjs-consumer.cts): createKontextClient, the `paths`
//     types with the project's own openapi-fetch client, and the emulator; on this Node and
//     again on Node 24 (the one `pnpm test:node24` uses);
//   - runs the installed `kontext` bin: --help, --version, and edits of the packaged samples,
//     once on its in-process emulator (no key) and once against the installed emulator's bin;
//   - installs the n8n node's tarball into a nodes folder, as the node's README says to install it
//     by hand (its peer n8n-workflow omitted: n8n provides it), and checks it brings no
//     dependencies and holds the files n8n loads (the n8n e2e loads the same tarball in real n8n).
// Needs the packages built (the root script runs `turbo run build` first).
// CONSUMER_TEST_KEEP=1 keeps the temporary folder and prints where it is.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE24_VERSION, node24Binary } from '../lib/node24.mjs';
import { unresolvableRanges } from '../lib/publish-problems.mjs';
import { packPublishable, repoRoot } from '../lib/workspace.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const N8N_NODE = 'n8n-nodes-anyapi-kontext';
const started = Date.now();

function step(message) {
  console.log(`[consumer-test ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

function fail(message) {
  throw new Error(message);
}

/** The environment without what pnpm sets for its scripts, so npm behaves as in a user's shell. */
function plainEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_)/i.test(name) || name === 'INIT_CWD' || name === 'ANYAPI_API_KEY' || name === 'ANYAPI_BASE_URL') continue;
    env[name] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

function run(command, args, { cwd, env = plainEnv(), expectStatus = 0 } = {}) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (expectStatus !== undefined && result.status !== expectStatus) {
    fail(`\`${path.basename(command)} ${args.join(' ')}\` exited with ${result.status} (expected ${expectStatus}):\n${result.stdout}${result.stderr}`);
  }
  return result;
}

/** The catalog's version of a dev tool, so the consumer uses the TypeScript the packages are built with. */
function catalogVersion(name) {
  const yaml = fs.readFileSync(path.join(repoRoot, 'pnpm-workspace.yaml'), 'utf8');
  const match = yaml.match(new RegExp(`^\\s+'?${name.replace('/', '\\/')}'?:\\s*(\\S+)\\s*$`, 'm'));
  if (!match) fail(`no catalog entry for ${name} in pnpm-workspace.yaml`);
  return match[1];
}

/** Starts the installed emulator's bin on a free port; resolves with its URL, key and process. */
function startEmulatorBin(app) {
  const bin = path.join(app, 'node_modules', '.bin', 'anyapi-kontext-emulator');
  const child = spawn(bin, ['--port', '0', '--duration', '20'], { cwd: app, env: plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/AnyAPI emulator on (http:\/\/127\.0\.0\.1:\d+) \(key: ([^)]+)\)/);
      if (match) resolve({ url: match[1], apiKey: match[2], child });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`the emulator's bin exited with ${code} before listening:\n${output}`)));
  });
}

function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

/** `kontext edit` of the packaged samples with --json; checks the summary and the files it names. */
function editSamples(app, env, label) {
  const samples = path.join(app, 'node_modules', '@anyapi-kontext', 'kontext-cli', 'samples');
  const out = path.join(app, `out-${label}`);
  const result = run(path.join(app, 'node_modules', '.bin', 'kontext'), ['edit', samples, '--prompt', 'Make it a watercolour', '--out', out, '--json'], {
    cwd: app,
    env,
  });
  const summary = JSON.parse(result.stdout);
  const inputs = fs.readdirSync(samples).length;
  if (summary.ok !== true || summary.done !== inputs || summary.jobs.length !== inputs) {
    fail(`kontext edit (${label}) did not edit all ${inputs} samples:\n${result.stdout}${result.stderr}`);
  }
  for (const job of summary.jobs) {
    for (const output of job.outputs) {
      const file = path.resolve(app, output);
      if (!fs.existsSync(file) || fs.statSync(file).size === 0) fail(`kontext edit (${label}) named ${output}, which is missing or empty`);
    }
  }
  return { summary, stderr: result.stderr };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-kontext-consumer-'));
if (!path.relative(repoRoot, work).startsWith('..')) fail(`the consumer project must be outside the workspace, not in ${work}`);
let emulatorChild;
try {
  step(`packing the publishable packages with pnpm into ${work}/tarballs`);
  const packages = packPublishable(path.join(work, 'tarballs'));
  for (const pkg of packages) {
    const ranges = unresolvableRanges(pkg.packed);
    if (ranges.length > 0) {
      fail(`${pkg.name}'s packed package.json still has ${ranges.map((r) => `${r.field}.${r.name}: "${r.range}"`).join(', ')}`);
    }
  }
  const emulatorPacked = packages.find((pkg) => pkg.name === '@anyapi-kontext/emulator')?.packed;
  step(`packed ${packages.map((pkg) => `${pkg.name}@${pkg.packed.version}`).join(', ')}; the emulator depends on ${JSON.stringify(emulatorPacked?.dependencies)}`);

  const core = packages.find((pkg) => pkg.name === '@anyapi-kontext/core') ?? fail('@anyapi-kontext/core is not publishable');
  const app = path.join(work, 'app');
  fs.mkdirSync(app);
  for (const file of fs.readdirSync(path.join(here, 'project'))) fs.copyFileSync(path.join(here, 'project', file), path.join(app, file));
  const fileSpec = (pkg) => `file:${path.relative(app, pkg.tarball)}`;
  fs.writeFileSync(
    path.join(app, 'package.json'),
    `${JSON.stringify(
      {
        name: 'someone-elses-app',
        private: true,
        type: 'module',
        dependencies: {
          ...Object.fromEntries(packages.filter((pkg) => pkg.name !== N8N_NODE).map((pkg) => [pkg.name, fileSpec(pkg)])),
          // The project's own openapi-fetch, typed with the core's `paths`.
          'openapi-fetch': core.packed.dependencies['openapi-fetch'],
        },
        devDependencies: { typescript: catalogVersion('typescript'), '@types/node': catalogVersion('@types/node') },
      },
      null,
      2,
    )}\n`,
  );
  step('npm install (tarballs, and their dependencies from the npm registry)');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
  for (const pkg of packages.filter((p) => p.name !== N8N_NODE)) {
    const installed = path.join(app, 'node_modules', ...pkg.name.split('/'));
    if (fs.lstatSync(installed).isSymbolicLink()) fail(`${pkg.name} was linked, not installed`);
    const version = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).version;
    if (version !== pkg.packed.version) fail(`${pkg.name} installed as ${version}, packed as ${pkg.packed.version}`);
  }

  step('tsc: typecheck and compile the ESM and CommonJS consumers');
  run(process.execPath, [path.join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app });
  step('run the ESM consumer');
  process.stdout.write(run(process.execPath, ['dist/esm-consumer.mjs'], { cwd: app }).stdout);
  step('run the CommonJS consumer');
  const cjs = run(process.execPath, ['dist/cjs-consumer.cjs'], { cwd: app });
  process.stdout.write(cjs.stdout);
  if (/ExperimentalWarning|ERR_REQUIRE/.test(cjs.stderr)) fail(`require() of the packages warned:\n${cjs.stderr}`);

  if (!process.versions.node.startsWith('24.')) {
    step(`run both consumers again on Node ${NODE24_VERSION}`);
    const node24 = node24Binary();
    for (const consumer of ['dist/esm-consumer.mjs', 'dist/cjs-consumer.cjs']) {
      const again = run(node24, [consumer], { cwd: app });
      process.stdout.write(again.stdout);
      if (/ExperimentalWarning|ERR_REQUIRE/.test(again.stderr)) fail(`${consumer} warned on Node ${NODE24_VERSION}:\n${again.stderr}`);
    }
  }

  step('the installed kontext bin: --help, --version, edits');
  const kontext = path.join(app, 'node_modules', '.bin', 'kontext');
  const help = run(kontext, ['--help'], { cwd: app });
  if (!help.stdout.includes('Usage: kontext <command>') || !help.stdout.includes('edit')) fail(`kontext --help printed:\n${help.stdout}`);
  const cli = packages.find((pkg) => pkg.name === '@anyapi-kontext/kontext-cli') ?? fail('the CLI is not publishable');
  const version = run(kontext, ['--version'], { cwd: app }).stdout.trim();
  if (version !== cli.packed.version) fail(`kontext --version printed "${version}", its package.json says ${cli.packed.version}`);
  const keyless = editSamples(app, plainEnv(), 'keyless');
  if (!/No ANYAPI_API_KEY set: using a local emulator/.test(keyless.stderr)) fail(`kontext edit without a key did not say it used the emulator:\n${keyless.stderr}`);
  const emulator = await startEmulatorBin(app);
  emulatorChild = emulator.child;
  const keyed = editSamples(app, plainEnv({ ANYAPI_API_KEY: emulator.apiKey, ANYAPI_BASE_URL: emulator.url }), 'keyed');
  if (keyed.summary.emulator !== false) fail('kontext edit with a key and a base URL still started its own emulator');
  await stopProcess(emulatorChild);
  console.log(`kontext ${version}: --help, --version, edit on its own emulator and on the installed emulator's bin: ok`);

  step(`install ${N8N_NODE} into an n8n nodes folder (peer n8n-workflow omitted: n8n provides it)`);
  const node = packages.find((pkg) => pkg.name === N8N_NODE) ?? fail(`${N8N_NODE} is not publishable`);
  const nodes = path.join(work, 'n8n-nodes');
  fs.mkdirSync(nodes);
  fs.writeFileSync(path.join(nodes, 'package.json'), '{ "name": "installed-nodes", "private": true }\n');
  run('npm', ['install', node.tarball, '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: nodes });
  const installedNames = fs.readdirSync(path.join(nodes, 'node_modules')).filter((name) => !name.startsWith('.'));
  if (installedNames.join() !== N8N_NODE) fail(`installing ${N8N_NODE} brought more than itself: ${installedNames.join(', ')}`);
  const nodeDir = path.join(nodes, 'node_modules', N8N_NODE);
  for (const file of [...node.packed.n8n.nodes, ...node.packed.n8n.credentials]) {
    if (!fs.existsSync(path.join(nodeDir, file))) fail(`${N8N_NODE} is missing ${file}, which its package.json names for n8n`);
  }
  console.log(`${N8N_NODE} ${node.packed.version}: installs alone, ${node.packed.n8n.nodes.length} node and ${node.packed.n8n.credentials.length} credential file(s) present`);

  step(`passed on Node ${process.version}`);
} finally {
  await stopProcess(emulatorChild);
  if (process.env.CONSUMER_TEST_KEEP) console.log(`consumer-test: kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
