import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository these tests run in. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** What a build leaves behind; a copy starts from sources, as a fresh clone does. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.turbo', 'coverage']);

export interface RepoCopy {
  root: string;
  path(...parts: string[]): string;
  /** Runs a command in the copy (cwd relative to its root); returns stdout and stderr. */
  run(command: string, args: string[], options?: { cwd?: string; env?: Record<string, string> }): { stdout: string; stderr: string };
  remove(): void;
}

/**
 * Copies the given workspace packages (e.g. `openapi`, `packages/core`) into a temporary
 * directory, sources only. Their dependencies are linked from the repository's installed
 * node_modules, except the workspace's own packages that are part of the copy: those link to
 * the copy, so a package generated in the copy is what the next one reads.
 */
export function copyRepository(packages: readonly string[]): RepoCopy {
  const root = mkdtempSync(join(tmpdir(), 'kontext-repo-copy-'));
  cpSync(join(repoRoot, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  const copiedByName = new Map<string, string>();
  for (const relative of packages) {
    cpSync(join(repoRoot, relative), join(root, relative), {
      recursive: true,
      filter: (source) => !NOT_COPIED.has(basename(source)),
    });
    const { name } = JSON.parse(readFileSync(join(repoRoot, relative, 'package.json'), 'utf8')) as { name: string };
    copiedByName.set(name, join(root, relative));
  }
  for (const relative of packages) linkDependencies(join(repoRoot, relative), join(root, relative), copiedByName);
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));

  return {
    root,
    path: (...parts) => join(root, ...parts),
    run(command, args, options = {}) {
      const result = spawnSync(command, args, {
        cwd: join(root, options.cwd ?? '.'),
        encoding: 'utf8',
        env: { ...process.env, ...options.env },
      });
      if (result.status !== 0) {
        throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
      }
      return { stdout: result.stdout, stderr: result.stderr };
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** node_modules as a real folder of links: to the installed packages, or to the copy's own. */
function linkDependencies(from: string, to: string, copiedByName: Map<string, string>): void {
  const source = join(from, 'node_modules');
  if (!existsSync(source)) return;
  const target = join(to, 'node_modules');
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source)) {
    const names = entry.startsWith('@') ? readdirSync(join(source, entry)).map((child) => `${entry}/${child}`) : [entry];
    for (const name of names) {
      mkdirSync(dirname(join(target, name)), { recursive: true });
      symlinkSync(copiedByName.get(name) ?? realpathSync(join(source, name)), join(target, name));
    }
  }
}
