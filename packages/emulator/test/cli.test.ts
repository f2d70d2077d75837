import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArguments } from '../src/cli-arguments.js';

const builtBin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('CLI arguments', () => {
  it('defaults to 127.0.0.1:8787 with the emulator key and the stream on', () => {
    expect(parseCliArguments([], {})).toEqual({
      kind: 'start',
      options: { port: 8787, host: '127.0.0.1', concurrency: 2, jobDuration: 1500, apiKey: 'emulator-key', stream: true },
    });
  });

  it('reads flags, which win over environment variables', () => {
    const command = parseCliArguments(['--port', '9000', '--duration', '50', '--no-stream', '--key', 'k'], {
      ANYAPI_EMULATOR_PORT: '1234',
      ANYAPI_EMULATOR_CONCURRENCY: '3',
      ANYAPI_EMULATOR_SEED: '5',
    });
    expect(command).toEqual({
      kind: 'start',
      options: { port: 9000, host: '127.0.0.1', concurrency: 3, jobDuration: 50, apiKey: 'k', stream: false, seed: 5 },
    });
    expect(parseCliArguments([], { ANYAPI_EMULATOR_STREAM: '0' })).toMatchObject({ options: { stream: false } });
    expect(parseCliArguments(['--', '--port', '9001'], {})).toMatchObject({ options: { port: 9001 } });
  });

  it('reads the uplink (Mbit/s, fractions allowed) and the body limit (MiB)', () => {
    expect(parseCliArguments(['--uplink', '20', '--max-body-mb', '8'], {})).toMatchObject({
      options: { uplink: 20, maxBodyBytes: 8 * 1024 * 1024 },
    });
    expect(parseCliArguments([], { ANYAPI_EMULATOR_UPLINK: '0.5', ANYAPI_EMULATOR_MAX_BODY_MB: '1' })).toMatchObject({
      options: { uplink: 0.5, maxBodyBytes: 1024 * 1024 },
    });
    expect(() => parseCliArguments(['--uplink', 'fast'], {})).toThrow(/--uplink must be a number above 0/);
    expect(() => parseCliArguments(['--max-body-mb', '0'], {})).toThrow(/--max-body-mb/);
  });

  it('refuses unknown flags and bad numbers', () => {
    expect(() => parseCliArguments(['--bogus'], {})).toThrow();
    expect(() => parseCliArguments(['--port', 'abc'], {})).toThrow(/--port/);
    expect(parseCliArguments(['--help'], {})).toEqual({ kind: 'help' });
  });
});

describe('CLI process', () => {
  // The build runs before the tests in the task graph; without dist there is nothing to run.
  it.skipIf(!existsSync(builtBin))('prints its URL and key, serves, and stops cleanly on Ctrl-C', async () => {
    const child = spawn(process.execPath, [builtBin, '--port', '0', '--key', 'cli-key', '--duration', '10']);
    const firstLine = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('\n')) resolve(output.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const match = /^AnyAPI emulator on (http:\/\/127\.0\.0\.1:\d+) \(key: cli-key\)$/.exec(firstLine);
    expect(match, firstLine).not.toBeNull();
    const usage = await fetch(`${match?.[1]}/api/usage/token/`, { headers: { authorization: 'Bearer cli-key' } });
    expect(usage.status).toBe(200);
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exitCode).toBe(0);
  });
});
