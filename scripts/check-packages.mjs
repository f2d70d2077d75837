#!/usr/bin/env node
// `pnpm lint` (and `pnpm release` before it publishes): packs every publishable package the way a
// release does and checks what users would get, the tarball:
//   - no `workspace:` / `catalog:` range survived packing, every file package.json names is in it;
//   - publint (strict: warnings fail too) on the unpacked tarball;
//   - attw (are the types wrong) on the tarball, with the `esm-only` profile: the packages with
//     types (core, emulator) are ESM-only on purpose. `require()` of them works on the Node
//     versions in `engines` (require(esm), Node 20.19+ and 22.12+), which the consumer test
//     (scripts/consumer-test) proves by running a CommonJS consumer; attw's node16-from-CJS check
//     predates require(esm) and would flag it. Packages without types (the OpenAPI documents,
//     the n8n node, the CLI) get attw's "no types" answer, which is right for them.
// Needs the packages built (the root script runs `turbo run build` first).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { publishProblems } from './lib/publish-problems.mjs';
import { packPublishable, repoRoot } from './lib/workspace.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-kontext-packages-'));
let failed = 0;
try {
  const packages = packPublishable(path.join(work, 'tarballs'));
  for (const pkg of packages) {
    const problems = [];
    const shipped = new Set(pkg.files);
    problems.push(...publishProblems(pkg.packed, (file) => shipped.has(file)));

    const unpacked = path.join(work, 'unpacked', pkg.name.replace('/', '__'));
    fs.mkdirSync(unpacked, { recursive: true });
    const untar = spawnSync('tar', ['xzf', pkg.tarball, '-C', unpacked], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`could not unpack ${pkg.tarball}: ${untar.stderr}`);
    const lint = await publint({ pkgDir: path.join(unpacked, 'package'), pack: false, strict: true });
    for (const message of lint.messages) {
      problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false })}`);
    }

    const attw = spawnSync(
      path.join(repoRoot, 'node_modules', '.bin', 'attw'),
      [pkg.tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color', '--no-emoji'],
      { encoding: 'utf8' },
    );
    if (attw.status !== 0) problems.push(`attw:\n${`${attw.stdout}${attw.stderr}`.trim().replace(/^/gm, '      ')}`);

    const size = (fs.statSync(pkg.tarball).size / 1024).toFixed(0);
    if (problems.length === 0) {
      console.log(`ok   ${pkg.name}@${pkg.packed.version} (${pkg.files.length} files, ${size} kB packed)`);
    } else {
      failed += 1;
      console.error(`FAIL ${pkg.name}@${pkg.packed.version}`);
      for (const problem of problems) console.error(`  - ${problem}`);
    }
  }
  console.log(
    failed === 0
      ? `check-packages: ${packages.length} packed packages pass (no workspace ranges, files present, publint, attw).`
      : `check-packages: ${failed} of ${packages.length} packed packages have problems.`,
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed === 0 ? 0 : 1;
