import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { kontextBin } from './run-kontext.js';

// util-linux `script` gives the command a real terminal, so the live display is what runs.
const hasScript = spawnSync('script', ['--version']).status === 0;
const apiKey = 'kontext-cli-test-key-terminal';
let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 300 });
});
afterAll(() => emulator?.stop());

describe.skipIf(!hasScript)('on a terminal', () => {
  it('redraws one line per job and the bar in place, then prints the summary', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    // A pty from `script` starts with a size of 0x0; give it a real one.
    const command = `stty rows 30 cols 100; ${JSON.stringify(process.execPath)} ${JSON.stringify(kontextBin)} edit photos -p x`;
    const { ANYAPI_API_KEY: _key, ...inherited } = process.env;
    // Asynchronous: the emulator runs in this process and must keep answering.
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: work,
      env: { ...inherited, ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (screen += text));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    // log-update moves the cursor up and erases lines to redraw.
    const escape = String.fromCharCode(27);
    expect(screen).toContain(`${escape}[2K`);
    expect(screen).toContain(`${escape}[1A`);
    expect(screen).toMatch(/running/);
    expect(screen).toMatch(/✔ photos\/lake\.jpg\s+done/);
    expect(screen).toMatch(/█{24} 3\/3 done/);
    expect(screen).toMatch(/3 of 3 done in [\d.]+m?s; results in out\//);
    // No plain event lines on a terminal.
    expect(screen).not.toMatch(/\[1\/3\]/);
    expect(existsSync(join(work, 'out', 'lake.1.jpg'))).toBe(true);
  });
});
