// `pnpm lint`: n8n's community-node lint, as n8n runs it.
//  1. `n8n-node lint` on the source (eslint.config.mjs is n8n's template unchanged: the n8n Cloud
//     rule set, and `"strict": true` in package.json makes n8n-node check that it stays so).
//  2. n8n's verification scanner (@n8n/scan-community-package, its own ESLint config) on the
//     source files it scans, and on every .js file and the package.json of the packed tarball:
//     code bundled into dist/ is held to the same rules.
//  3. The tarball holds only dist/, README.md, LICENSE and package.json.
//  4. The repository's own ESLint rules (the root eslint.config.js, which the core, the emulator
//     and the CLI lint with) on the whole package: n8n's template lints only `**/*.ts`, so the
//     scripts, tests and e2e drivers (.mjs, .mts) are checked only here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let failed = false;

function step(title) {
  console.log(`\n== ${title}`);
}
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status === 0;
}

step('n8n-node lint (source, n8n Cloud rules)');
const nodeCli = path.join(root, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
const binDir = path.join(root, 'node_modules', '.bin');
if (!run(process.execPath, [nodeCli, 'lint'], { env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` } })) {
  failed = true;
}

step('build a copy of the package and pack it');
// Built into a temporary copy, not dist/: turbo may run this lint while another task builds.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-anyapi-kontext-pack-'));
const copy = path.join(work, 'src');
fs.mkdirSync(copy);
if (!run(process.execPath, ['scripts/build.mjs', '--out', path.join(copy, 'dist')])) process.exit(1);
for (const f of ['package.json', 'README.md', 'LICENSE']) {
  if (fs.existsSync(path.join(root, f))) fs.copyFileSync(path.join(root, f), path.join(copy, f));
}
const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: copy, encoding: 'utf8' });
if (pack.status !== 0) {
  console.error(pack.stderr);
  process.exit(1);
}
const [info] = JSON.parse(pack.stdout);
const files = info.files.map((f) => f.path).sort();
const stray = files.filter((f) => !(f.startsWith('dist/') || ['README.md', 'LICENSE', 'package.json'].includes(f)));
console.log(`${info.filename}: ${files.length} files, ${(info.size / 1024).toFixed(1)} KiB packed, ${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked`);
for (const f of files) console.log(`  ${f}`);
if (stray.length > 0) {
  console.error(`the tarball must hold only dist/, README.md and LICENSE; it also has: ${stray.join(', ')}`);
  failed = true;
}
for (const needed of ['README.md', 'LICENSE']) {
  if (!files.includes(needed)) {
    console.error(`the tarball lacks ${needed}`);
    failed = true;
  }
}
const unpacked = path.join(work, 'package');
spawnSync('tar', ['xzf', path.join(work, info.filename), '-C', work], { stdio: 'inherit' });

step("n8n's verification scanner rules (@n8n/scan-community-package 0.32.0, see scripts/scan-config.mjs)");
const scanner = await import('./scan-config.mjs');
const legs = [
  { label: 'source', dir: root, patterns: scanner.SOURCE_FILE_PATTERNS },
  { label: 'tarball', dir: unpacked, patterns: scanner.TARBALL_FILE_PATTERNS },
];
for (const leg of legs) {
  const result = await scanner.analyzePackage(leg.dir, leg.patterns);
  if (result.details.trim()) console.log(result.details);
  console.log(`${result.passed ? 'passed' : 'FAILED'}: ${leg.label}, ${result.files.length} files: ${result.files.join(', ')}`);
  if (!result.passed) failed = true;
}
fs.rmSync(work, { recursive: true, force: true });

step("the repository's ESLint rules (eslint.config.js at the root) on the whole package");
const repoRoot = path.resolve(root, '..', '..');
const eslint = path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
if (run(process.execPath, [eslint, path.relative(repoRoot, root)], { cwd: repoRoot })) console.log('passed');
else failed = true;

if (failed) {
  console.error('\nlint failed');
  process.exit(1);
}
console.log('\nlint passed');
