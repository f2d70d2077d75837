// A scratch copy of the whole repository for tests that change it (scripts/test/spec-update.test.mjs):
// the files git tracks, as the working tree has them, in a new git repository with one commit, and
// node_modules linked from this checkout's install (no install, no build). Workspace packages link
// to the copy's own packages, so what a generator writes in the copy is what the next one reads.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../spec/surface.mjs';

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function copyWholeRepository() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kontext-spec-copy-'));
  const files = git(repoRoot, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(from, path.join(root, file));
  }
  const workspaces = new Map();
  for (const file of files.filter((f) => f.endsWith('/package.json') && !f.includes('node_modules'))) {
    const dir = path.dirname(file);
    workspaces.set(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')).name, dir);
  }
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  for (const dir of workspaces.values()) {
    const source = path.join(repoRoot, dir, 'node_modules');
    if (!fs.existsSync(source)) continue;
    for (const entry of fs.readdirSync(source)) {
      const names = entry.startsWith('@') ? fs.readdirSync(path.join(source, entry)).map((child) => `${entry}/${child}`) : [entry];
      for (const name of names) {
        const target = path.join(root, dir, 'node_modules', name);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const own = workspaces.get(name);
        fs.symlinkSync(own === undefined ? fs.realpathSync(path.join(source, name)) : path.join(root, own), target);
      }
    }
  }
  git(root, 'init', '-q', '-b', 'main');
  git(root, '-c', 'user.name=test', '-c', 'user.email=test@example.com', 'add', '-A');
  git(root, '-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'copy');
  return {
    root,
    path: (...parts) => path.join(root, ...parts),
    read: (file) => fs.readFileSync(path.join(root, file), 'utf8'),
    write: (file, text) => fs.writeFileSync(path.join(root, file), text),
    git: (...args) => git(root, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
