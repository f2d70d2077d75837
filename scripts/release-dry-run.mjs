#!/usr/bin/env node
// `pnpm release:dry-run`: the release, on a scratch copy of the repository, up to the upload.
//   1. copies the repository's files (tracked and new, not ignored) and the built dist/ folders;
//   2. adds a scratch changeset and runs `changeset version`, as the release pull request does;
//   3. packs every publishable package with pnpm and checks the packed package.json: the new
//      version, no `workspace:` / `catalog:` range, our own dependencies at the new version;
//   4. runs `pnpm publish -r --dry-run` (the prepublishOnly guard included) and checks that every
//      publishable package would be published at the new version.
// Nothing in the repository changes. Needs the packages built (the root script builds first).
// RELEASE_DRY_RUN_KEEP=1 keeps the scratch copy.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unresolvableRanges } from './lib/publish-problems.mjs';
import { packPublishable, pnpmCommand, publishablePackages, repoRoot, workspaceDirs } from './lib/workspace.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-kontext-release-'));
const problems = [];

function copyInto(relative) {
  const from = path.join(repoRoot, relative);
  const to = path.join(scratch, relative);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

try {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && fs.existsSync(path.join(repoRoot, file)));
  for (const file of files) copyInto(file);
  const before = publishablePackages(scratch);
  for (const pkg of before) {
    const dist = path.join(path.relative(scratch, pkg.dir), 'dist');
    if (fs.existsSync(path.join(repoRoot, dist))) copyInto(dist);
  }
  // pnpm resolves `workspace:` ranges through node_modules, as `pnpm install` links them.
  const byName = new Map(workspaceDirs(scratch).map((dir) => [JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name, dir]));
  for (const dir of byName.values()) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const { name, range } of unresolvableRanges(manifest)) {
      if (!range.startsWith('workspace:')) continue;
      const link = path.join(dir, 'node_modules', ...name.split('/'));
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.relative(path.dirname(link), byName.get(name)), link);
    }
  }

  fs.writeFileSync(
    path.join(scratch, '.changeset', 'release-dry-run.md'),
    `---\n'${before.find((pkg) => pkg.name === '@anyapi-kontext/core')?.name ?? before[0].name}': patch\n---\n\nA scratch change for the release dry run.\n`,
  );
  const changeset = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], {
    cwd: scratch,
    encoding: 'utf8',
  });
  if (changeset.status !== 0) throw new Error(`changeset version failed:\n${changeset.stdout}${changeset.stderr}`);

  const after = publishablePackages(scratch);
  const versions = new Map(after.map((pkg) => [pkg.name, pkg.version]));
  for (const pkg of after) {
    const old = before.find((b) => b.name === pkg.name)?.version;
    if (pkg.version === old) problems.push(`${pkg.name} stayed at ${old}`);
    if (!fs.existsSync(path.join(pkg.dir, 'CHANGELOG.md'))) problems.push(`${pkg.name} got no CHANGELOG.md`);
  }
  console.log(`changeset version: ${after.map((pkg) => `${pkg.name} ${before.find((b) => b.name === pkg.name)?.version} -> ${pkg.version}`).join(', ')}`);

  for (const pkg of packPublishable(path.join(scratch, '.tarballs'), scratch)) {
    if (pkg.packed.version !== versions.get(pkg.name)) problems.push(`${pkg.name} packed as ${pkg.packed.version}`);
    for (const { field, name, range } of unresolvableRanges(pkg.packed)) problems.push(`${pkg.name}: packed ${field}.${name} is "${range}"`);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries(pkg.packed[field] ?? {})) {
        if (versions.has(name) && range !== versions.get(name)) problems.push(`${pkg.name}: packed ${field}.${name} is "${range}", not ${versions.get(name)}`);
      }
    }
  }

  const pnpm = pnpmCommand();
  const publish = spawnSync(pnpm.command, [...pnpm.prefix, 'publish', '-r', '--dry-run', '--no-git-checks'], { cwd: scratch, encoding: 'utf8' });
  const published = [...`${publish.stdout}`.matchAll(/^\+ (\S+)@(\S+)$/gm)].map((match) => `${match[1]}@${match[2]}`);
  if (publish.status !== 0) problems.push(`pnpm publish -r --dry-run exited with ${publish.status}:\n${publish.stdout.slice(-3000)}${publish.stderr}`);
  for (const pkg of after) {
    if (!published.includes(`${pkg.name}@${pkg.version}`)) problems.push(`pnpm publish -r --dry-run did not publish ${pkg.name}@${pkg.version}`);
  }
  console.log(`pnpm publish -r --dry-run: ${published.join(', ')}`);
} finally {
  if (process.env.RELEASE_DRY_RUN_KEEP) console.log(`release-dry-run: kept ${scratch}`);
  else fs.rmSync(scratch, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error('release-dry-run: FAILED');
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exitCode = 1;
} else {
  console.log('release-dry-run: every publishable package versioned, packed without workspace ranges, and published (dry run).');
}
