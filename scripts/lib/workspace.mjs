// The workspace's packages, how to run pnpm from a script, and packing the publishable ones the
// way a release does (`pnpm pack`, which replaces `workspace:` and `catalog:` ranges).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PNPM_VERSION = '10.34.9';

/** The pnpm that runs this script (`pnpm run ...` sets npm_execpath), else pnpm from the registry. */
export function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm\.c?js$/.test(execPath)) return { command: process.execPath, prefix: [execPath] };
  return { command: 'npx', prefix: ['--yes', `pnpm@${PNPM_VERSION}`] };
}

/** The folders `pnpm-workspace.yaml` lists (its `packages:` globs, `dir` or `dir/*`). */
export function workspaceDirs(root = repoRoot) {
  const yaml = fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = yaml.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  const globs = [...block.matchAll(/^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/gm)].map((match) => match[1]);
  const dirs = [];
  for (const glob of globs) {
    if (glob.endsWith('/*')) {
      const parent = path.join(root, glob.slice(0, -2));
      for (const entry of fs.readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory() && fs.existsSync(path.join(parent, entry.name, 'package.json'))) {
          dirs.push(path.join(parent, entry.name));
        }
      }
    } else if (fs.existsSync(path.join(root, glob, 'package.json'))) {
      dirs.push(path.join(root, glob));
    }
  }
  return dirs.sort();
}

/** Every workspace package that is not `private`: what `pnpm publish -r` would publish. */
export function publishablePackages(root = repoRoot) {
  return workspaceDirs(root)
    .map((dir) => ({ dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir, manifest }));
}

/** The files in a tarball, without the leading `package/`. */
export function tarballFiles(tarball) {
  return execFileSync('tar', ['tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter((line) => line.startsWith('package/') && !line.endsWith('/'))
    .map((line) => line.slice('package/'.length));
}

/** The package.json inside a tarball: what the registry and every installer will see. */
export function tarballManifest(tarball) {
  return JSON.parse(execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' }));
}

/**
 * Packs every publishable package with `pnpm pack` into `destination` (the packages must be
 * built). Returns each with its tarball, the files in it and its packed package.json.
 */
export function packPublishable(destination, root = repoRoot) {
  fs.mkdirSync(destination, { recursive: true });
  const pnpm = pnpmCommand();
  return publishablePackages(root).map((pkg) => {
    const before = new Set(fs.readdirSync(destination));
    const result = spawnSync(pnpm.command, [...pnpm.prefix, 'pack', '--pack-destination', destination], {
      cwd: pkg.dir,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(`pnpm pack failed in ${path.relative(root, pkg.dir)}:\n${result.stdout}${result.stderr}`);
    }
    const created = fs.readdirSync(destination).filter((file) => file.endsWith('.tgz') && !before.has(file));
    if (created.length !== 1) throw new Error(`pnpm pack in ${pkg.dir} made ${created.length} tarballs`);
    const tarball = path.join(destination, created[0]);
    return { ...pkg, tarball, files: tarballFiles(tarball), packed: tarballManifest(tarball) };
  });
}
