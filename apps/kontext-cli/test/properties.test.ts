import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../src/command.js';
import { main } from '../src/main.js';
import { makeThreeImageFolder } from './fixtures.js';

// Random command lines (flags with random values, negative numbers, unicode, huge texts) into
// the CLI's main, in this process: it never throws, exits 0, 1 or 2, says what went wrong in
// one line, sends nothing when it exits 2 (bad input), and never prints the key.
const apiKey = 'sk-cli-properties-8e4a2c6f0b';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 5 });
  work = mkdtempSync(join(tmpdir(), 'kontext-cli-properties-'));
  makeThreeImageFolder(work);
});
afterAll(() => emulator?.stop());

function sink() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true), isTTY: false } as unknown as NodeJS.WriteStream, text: () => text };
}

const values = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ minLength: 1000, maxLength: 2000 }),
  fc.constantFrom('-4', '-0.5', '1e309', '0', '5', 'NaN', '', ' ', '--json', 'photos', 'photos/apple.png', '../', 'a/b', 'png'),
  fc.integer().map(String),
  fc.double().map(String),
);
const flags = fc.constantFrom('--prompt', '-p', '--num-images', '-n', '--guidance', '--safety', '--seed', '--format', '--timeout', '--concurrency', '--out', '--model', '--aspect-ratio', '--json', '--force', '--colour', '-x', '--logs');
const argv = fc.tuple(
  fc.constantFrom('edit', 'status', 'result', 'cancel', 'usage', 'models', 'nope'),
  fc.array(fc.oneof(flags, values), { maxLength: 8 }),
);

describe('random command lines', () => {
  it('end with exit 0, 1 or 2 and one line on failure; 2 sends nothing; the key never shows', async () => {
    await fc.assert(
      fc.asyncProperty(argv, async ([command, rest]) => {
        const out = sink();
        const err = sink();
        const before = emulator.counters.total;
        const context: CliContext = {
          env: { ANYAPI_API_KEY: apiKey, ANYAPI_BASE_URL: emulator.url },
          // Outputs land in the temporary folder, never in the repository.
          cwd: work,
          stdout: out.stream,
          stderr: err.stream,
          signal: new AbortController().signal,
        };
        const code = await main([command, ...rest], context);
        expect([0, 1, 2]).toContain(code);
        if (code === 2) {
          expect(err.text().trimEnd().split('\n')).toHaveLength(1);
          expect(emulator.counters.total - before).toBe(0);
        }
        expect(out.text() + err.text()).not.toContain(apiKey);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
