#!/usr/bin/env node
// Runs lint, typecheck and the unit tests again and again with busy CPU hogs beside them, the
// way a loaded CI machine runs them. A test that races the clock fails here first.
// Usage: node scripts/stress-tests.mjs [runs=3] [hogs=2]
import { spawn, spawnSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 3);
const hogCount = Number(process.argv[3] ?? 2);
const failures = [];

for (let run = 1; run <= runs; run += 1) {
  const hogs = Array.from({ length: hogCount }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  const started = Date.now();
  const result = spawnSync(
    'npx',
    ['--yes', 'pnpm@10.34.9', 'exec', 'turbo', 'run', 'lint', 'typecheck', 'test', '--continue', '--force'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  for (const hog of hogs) hog.kill();
  const failed = `${result.stdout}${result.stderr}`.split('\n').filter((line) => /\bFAIL\b|×/.test(line));
  console.log(`run ${run}/${runs}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const line of failed.slice(0, 20)) console.log(`  ${line}`);
  if (result.status !== 0) failures.push(run);
}
console.log(failures.length === 0 ? `all ${runs} runs passed` : `failed runs: ${failures.join(', ')}`);
process.exitCode = failures.length === 0 ? 0 : 1;
