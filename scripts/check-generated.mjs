// Fails when generated files differ from what is committed: run after `pnpm generate`, it
// catches a spec change whose regenerated files were not committed, and hand edits to
// generated files (regeneration undoes them). CI runs it on a clean clone.
import { execFileSync } from 'node:child_process';

let status;
try {
  status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' });
} catch {
  console.log('check-generated: not a git checkout, nothing to compare with; skipped.');
  process.exit(0);
}
const stale = status
  .split('\n')
  // The n8n node's version records are written by the same `pnpm generate` (scripts/generate.mjs).
  .filter((line) => /(^|\/)generated\/|\/nodes\/AnyApiKontext\/versions\//.test(line.slice(3)))
  .map((line) => line.slice(3));

if (stale.length > 0) {
  console.error('check-generated: these generated files are stale against openapi/ (or were edited by hand):');
  for (const file of stale) console.error(`  ${file}`);
  console.error('Run `pnpm generate` and commit what it writes; never edit files under generated/.');
  process.exit(1);
}
console.log('check-generated: generated files match openapi/.');
