import { readFileSync } from 'node:fs';

/** The version in the CLI's own package.json (one folder up from dist/, wherever it is installed). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
