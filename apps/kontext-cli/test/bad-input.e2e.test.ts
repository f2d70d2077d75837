import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { runKontext } from './run-kontext.js';

const apiKey = 'kontext-cli-test-key-bad-input';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 50 });
  work = makeTempDir();
  makeThreeImageFolder(work);
  writeFileSync(join(work, 'notes.png'), 'these are notes, not a picture');
  // A BMP: an image, but not a type the API takes.
  writeFileSync(join(work, 'old.bmp'), Buffer.from('424d3a0000000000000036000000280000000100000001000000010018', 'hex'));
  symlinkSync(join(work, 'gone.png'), join(work, 'dangling.png'));
  mkdirSync(join(work, 'empty'));
});
afterAll(() => emulator?.stop());

describe('bad input', () => {
  it.each([
    ['a missing file', ['edit', 'nope.png', '-p', 'x'], /^kontext: cannot read nope\.png: no such file or folder$/],
    ['an unreadable file (dangling link)', ['edit', 'dangling.png', '-p', 'x'], /^kontext: cannot read dangling\.png: no such file or folder$/],
    ['a text file named .png', ['edit', 'photos', 'notes.png', '-p', 'x'], /^kontext: notes\.png is not a supported image: the API takes JPEG, PNG, WebP, GIF or AVIF$/],
    ['an unsupported image type', ['edit', 'old.bmp', '-p', 'x'], /^kontext: old\.bmp is not a supported image/],
    ['a folder with no images', ['edit', 'empty', '-p', 'x'], /^kontext: no images in folder empty/],
    ['no inputs', ['edit', '-p', 'x'], /^kontext: no input images/],
    ['no prompt', ['edit', 'photos'], /^kontext: --prompt: prompt is required/],
    ['--guidance out of range', ['edit', 'photos', '-p', 'x', '--guidance', '25'], /^kontext: --guidance: guidance_scale must be a number from 1 to 20 \(got 25\)$/],
    ['--num-images out of range', ['edit', 'photos', '-p', 'x', '--num-images', '5'], /^kontext: --num-images: num_images must be a whole number from 1 to 4 \(got 5\)$/],
    ['--safety out of range', ['edit', 'photos', '-p', 'x', '--safety', '6'], /^kontext: --safety: safety_tolerance must be one of "1", "2", "3", "4", "5" \(got "6"\)$/],
    ['--format not allowed', ['edit', 'photos', '-p', 'x', '--format', 'webp'], /^kontext: --format: output_format must be one of "jpeg", "png" \(got "webp"\)$/],
    ['--seed negative', ['edit', 'photos', '-p', 'x', '--seed=-1'], /^kontext: --seed: seed must be a whole number from 0 to 4294967295 \(got -1\)$/],
    ['--concurrency 0', ['edit', 'photos', '-p', 'x', '--concurrency', '0'], /^kontext: --concurrency must be a whole number of at least 1 \(got "0"\)$/],
    ['--timeout not a number', ['edit', 'photos', '-p', 'x', '--timeout', 'soon'], /^kontext: --timeout must be a number of seconds above 0/],
    ['an unknown flag', ['edit', 'photos', '-p', 'x', '--colour', 'red'], /^kontext: unknown option --colour \(see: kontext edit --help\)$/],
    ['an unknown model', ['edit', 'photos', '-p', 'x', '--model', 'kontext-ultra'], /^kontext: --model "kontext-ultra" is not a model; the models are \/fal-ai\/flux-pro\/kontext .*\(see: kontext models\)$/],
    ['an unknown model, even with --help', ['edit', '--model=ultra', '--help'], /^kontext: --model "ultra" is not a model/],
    ['an unknown command', ['frobnicate'], /^kontext: unknown command "frobnicate"/],
    ['status without an id', ['status'], /^kontext: kontext status takes one request id/],
  ])('%s: one clear line, exit 2, nothing submitted', async (_name, args, message) => {
    const run = await runKontext(args, { cwd: work, env: { ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(emulator.counters.submits).toBe(0);
    expect(emulator.counters.total).toBe(0);
  });
});
