import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's Layout table names every source file and script, and only files that exist. A
// cell's first path is from the package root; the names after it are beside it (`src/main.ts`,
// `help.ts` -> src/help.ts). A folder (`src/progress/`) or a glob (`src/commands/*.ts`) covers
// what is in it.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(packageDir, dir)).flatMap((name) => {
    const path = posix.join(dir, name);
    return statSync(join(packageDir, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

function layoutEntries(): string[] {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const table = readme.split(/^## Layout$/m)[1]?.split(/^## /m)[0] ?? '';
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => {
      const names = [...(line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
      const base = posix.dirname(names[0]!.replace(/\/$/, ''));
      return names.map((name, index) => (index === 0 ? name : `${posix.join(base, name)}${name.endsWith('/') ? '/' : ''}`));
    });
}

function covers(entry: string, file: string): boolean {
  if (entry.endsWith('/')) return file.startsWith(entry);
  if (entry.includes('*')) return posix.dirname(file) === posix.dirname(entry) && file.endsWith(entry.slice(entry.indexOf('*') + 1));
  return file === entry;
}

describe('README layout table', () => {
  const entries = layoutEntries();
  const files = [...filesUnder('src'), ...filesUnder('scripts')];

  it('names every file in src/ and scripts/', () => {
    expect(files.filter((file) => !entries.some((entry) => covers(entry, file)))).toEqual([]);
  });

  it('names only files that exist', () => {
    expect(entries.length).toBeGreaterThan(10);
    const missing = entries.filter((entry) => (entry.includes('*') ? !files.some((file) => covers(entry, file)) : !existsSync(join(packageDir, entry))));
    expect(missing).toEqual([]);
  });
});
