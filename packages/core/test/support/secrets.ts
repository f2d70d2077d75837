import { inspect } from 'node:util';
import { expect } from 'vitest';

/** Everything a user could print of an error: its text, stack, inspection (causes included) and JSON. */
export function everythingShown(error: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(error) ?? '';
  } catch {
    json = '';
  }
  return [String(error), (error as Error)?.stack ?? '', inspect(error, { depth: 10 }), json].join('\n');
}

/** Each line of the key, trimmed: none may show in `text`, in whole or as part of it. */
export function expectNoKeyIn(text: string, key: string): void {
  for (const line of key.split(/\r\n|\r|\n/)) {
    const part = line.trim();
    if (part.length >= 4) expect(text).not.toContain(part);
  }
}
