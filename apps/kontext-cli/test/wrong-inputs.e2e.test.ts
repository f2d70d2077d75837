import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { runKontext } from './run-kontext.js';

// Issue 7's table of wrong inputs, as a user types them: each is refused in one line with exit
// code 2, names the problem, sends nothing (the emulator counts every request) and never
// shows the key, not even a line of it.
const apiKey = 'sk-kontext-cli-wrong-inputs-5e1d3c7a9b';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 50 });
  work = makeTempDir();
  makeThreeImageFolder(work);
  writeFileSync(join(work, 'notes.png'), 'these are notes, not a picture');
  writeFileSync(join(work, 'empty.png'), '');
  writeFileSync(join(work, 'old.bmp'), Buffer.from('424d3a0000000000000036000000280000000100000001000000010018', 'hex'));
  symlinkSync(join(work, 'gone.png'), join(work, 'dangling.png'));
  // A real HEIC and a real TIFF (the core's committed fixtures), and images above the limits.
  const coreFixture = (name: string) => fileURLToPath(new URL(`../../../packages/core/test/fixtures/${name}`, import.meta.url));
  copyFileSync(coreFixture('photo.heic'), join(work, 'IMG_0001.HEIC'));
  copyFileSync(coreFixture('scan.tif'), join(work, 'scan.tif'));
  writeFileSync(join(work, 'drawing.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
  writeFileSync(join(work, 'paper.pdf'), '%PDF-1.7\n');
  await sharp({ create: { width: 5000, height: 4200, channels: 3, background: '#336699' } }).png({ compressionLevel: 1 }).toFile(join(work, 'pano-21mp.png'));
  const side = 2720; // 2720 x 2720 x 3 bytes of noise: 21.2 MB (2^20 bytes each) as an uncompressed PNG, 7.4 MP
  await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toFile(join(work, 'scan-21mb.png'));
  mkdirSync(join(work, 'empty'));
});
afterAll(() => emulator?.stop());

type Env = 'key' | 'no key' | Record<string, string>;
const envFor = (env: Env): Record<string, string> =>
  env === 'key'
    ? { ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey }
    : env === 'no key'
      ? { ANYAPI_BASE_URL: emulator.url }
      : { ANYAPI_BASE_URL: emulator.url, ...env };

const photos = ['edit', 'photos', '-p', 'x'];
const byPath = (path: string) => ['edit', '--model-path', path, 'photos/apple.png', '-p', 'x'];
const range = (field: string, allowed: string, got: string) => new RegExp(`^kontext: --${field}: \\S+ must be ${allowed} \\(got ${got}\\)$`);

const CLI_WRONG_INPUTS: Array<[string, string[], Env, RegExp]> = [
  // files and folders
  ['a missing file', ['edit', 'nope.png', '-p', 'x'], 'key', /^kontext: cannot read nope\.png: no such file or folder$/],
  ['a dangling link', ['edit', 'dangling.png', '-p', 'x'], 'key', /^kontext: cannot read dangling\.png: no such file or folder$/],
  ['a text file named .png', ['edit', 'notes.png', '-p', 'x'], 'key', /^kontext: notes\.png is not an image AnyAPI takes \(its bytes start 74 68 65 73\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF; convert it to one of them first$/],
  ['an empty file named .png', ['edit', 'empty.png', '-p', 'x'], 'key', /^kontext: empty\.png is empty \(0 bytes\): AnyAPI takes JPEG, PNG, WebP, GIF or AVIF images$/],
  ['a BMP image', ['edit', 'old.bmp', '-p', 'x'], 'key', /^kontext: old\.bmp is a BMP file, which AnyAPI does not take: convert it to PNG first, e\.g\. `convert picture\.bmp picture\.png` \(ImageMagick\)$/],
  ['an iPhone HEIC', ['edit', 'IMG_0001.HEIC', '-p', 'x'], 'key', /^kontext: IMG_0001\.HEIC is a HEIC\/HEIF file, which AnyAPI does not take: convert it to JPEG first, e\.g\. `heif-convert photo\.heic photo\.jpg` .*Most Compatible$/],
  ['a HEIC after a good photo', ['edit', 'photos/lake.jpg', 'IMG_0001.HEIC', '-p', 'x'], 'key', /^kontext: IMG_0001\.HEIC is a HEIC\/HEIF file/],
  ['a TIFF scan', ['edit', 'scan.tif', '-p', 'x'], 'key', /^kontext: scan\.tif is a TIFF file, which AnyAPI does not take: convert it to PNG or JPEG first/],
  ['an SVG drawing', ['edit', 'drawing.svg', '-p', 'x'], 'key', /^kontext: drawing\.svg is a SVG file, which AnyAPI does not take: render it to PNG first/],
  ['a PDF', ['edit', 'paper.pdf', '-p', 'x'], 'key', /^kontext: paper\.pdf is a PDF file, which AnyAPI does not take: render the page to PNG first/],
  ['a 21 MP image with --original', ['edit', 'pano-21mp.png', '-p', 'x', '--original'], 'key', /^kontext: pano-21mp\.png is 5000 x 4200 pixels \(21\.0 MP\), above the 20 MP AnyAPI takes per image: leave out --original to send it at the size the model works at, or downscale it first/],
  ['a 21 MB image with --original', ['edit', 'scan-21mb.png', '-p', 'x', '--original'], 'key', /^kontext: scan-21mb\.png is 21\.2 MB, above the 20 MB AnyAPI takes per image: leave out --original/],
  ['an empty folder', ['edit', 'empty', '-p', 'x'], 'key', /^kontext: no images in folder empty/],
  ['no inputs at all', ['edit', '-p', 'x'], 'key', /^kontext: no input images/],
  // model fields
  ['no prompt', ['edit', 'photos'], 'key', /^kontext: --prompt: prompt is required/],
  ['an empty prompt', ['edit', 'photos', '-p', ''], 'key', /^kontext: --prompt: prompt must be a non-empty text/],
  ['--guidance above its range', [...photos, '--guidance', '25'], 'key', range('guidance', 'a number from 1 to 20', '25')],
  ['--guidance negative', [...photos, '--guidance', '-0.5'], 'key', range('guidance', 'a number from 1 to 20', '-0\\.5')],
  ['--guidance huge', [...photos, '--guidance', '1e308'], 'key', range('guidance', 'a number from 1 to 20', '1e\\+308')],
  ['--guidance beyond a double', [...photos, '--guidance', '1e309'], 'key', range('guidance', 'a number from 1 to 20', '"1e309"')],
  ['--num-images above its range', [...photos, '--num-images', '5'], 'key', range('num-images', 'a whole number from 1 to 4', '5')],
  ['-n negative', [...photos, '-n', '-2'], 'key', range('num-images', 'a whole number from 1 to 4', '-2')],
  ['--num-images not whole', [...photos, '--num-images', '1.5'], 'key', range('num-images', 'a whole number from 1 to 4', '1\\.5')],
  ['--safety out of its choices', [...photos, '--safety', '6'], 'key', /^kontext: --safety: safety_tolerance must be one of "1", "2", "3", "4", "5" \(got "6"\)$/],
  ['--format not allowed', [...photos, '--format', 'webp'], 'key', /^kontext: --format: output_format must be one of "jpeg", "png" \(got "webp"\)$/],
  ['--seed -4 (a negative value, not a flag)', [...photos, '--seed', '-4'], 'key', range('seed', 'a whole number from 0 to 4294967295', '-4')],
  ['--seed=-1', [...photos, '--seed=-1'], 'key', range('seed', 'a whole number from 0 to 4294967295', '-1')],
  ['--seed just past its range', [...photos, '--seed', '4294967296'], 'key', range('seed', 'a whole number from 0 to 4294967295', '4294967296')],
  ['--seed huge', [...photos, '--seed', '1e30'], 'key', range('seed', 'a whole number from 0 to 4294967295', '1e\\+30')],
  ['--seed not a number', [...photos, '--seed', 'lucky'], 'key', range('seed', 'a whole number from 0 to 4294967295', '"lucky"')],
  ['--aspect-ratio not allowed', [...photos, '--aspect-ratio', '5:4'], 'key', /^kontext: --aspect-ratio: aspect_ratio must be one of "21:9"/],
  // the command's own options
  ['--concurrency 0', [...photos, '--concurrency', '0'], 'key', /^kontext: --concurrency must be a whole number of at least 1 \(got "0"\)$/],
  ['--concurrency -3', [...photos, '--concurrency', '-3'], 'key', /^kontext: --concurrency must be a whole number of at least 1 \(got "-3"\)$/],
  ['--timeout -1', [...photos, '--timeout', '-1'], 'key', /^kontext: --timeout must be a number of seconds above 0 \(got "-1"\)$/],
  ['--timeout 0', [...photos, '--timeout', '0'], 'key', /^kontext: --timeout must be a number of seconds above 0 \(got "0"\)$/],
  ['--timeout not a number', [...photos, '--timeout', 'soon'], 'key', /^kontext: --timeout must be a number of seconds above 0 \(got "soon"\)$/],
  ['--format with no value', [...photos, '--format'], 'key', /^kontext: option --format needs a value \(see: kontext edit --help\)$/],
  ['--force with a value', [...photos, '--force=yes'], 'key', /^kontext: option --force takes no value/],
  ['an unknown flag', [...photos, '--colour', 'red'], 'key', /^kontext: unknown option --colour \(see: kontext edit --help\)$/],
  ['an unknown model', [...photos, '--model', 'kontext-ultra'], 'key', /^kontext: --model "kontext-ultra" is not a model; the models are \/fal-ai\/flux-pro\/kontext \(FLUX\.1 Kontext \[pro\]\), .*\(see: kontext models\)$/],
  ['an unknown model, even with --help', ['edit', '--model=ultra', '--help'], 'key', /^kontext: --model "ultra" is not a model/],
  ['an app id, not a model path', [...photos, '--model', 'fal-ai/flux-pro'], 'key', /^kontext: --model "fal-ai\/flux-pro" is not a model/],
  ['input files for a text-to-image model', [...photos, '--model', 'text-to-image'], 'key', /^kontext: FLUX\.1 Kontext \[pro\] Text to Image makes an image from the prompt alone: give no input files \(got photos\)$/],
  ['an unknown command', ['frobnicate'], 'key', /^kontext: unknown command "frobnicate"/],
  // --model-path and --input (the core's rule for a model path)
  ['a model path with no leading slash', [...byPath('acme/retouch')], 'key', /^kontext: --model-path must be a fal-queue model path \/owner\/app or \/owner\/app\/sub\.\.\., e\.g\. \/fal-ai\/flux-pro\/kontext .*\(got "acme\/retouch"\)$/],
  ['a model path of one segment', [...byPath('/acme')], 'key', /^kontext: --model-path must be a fal-queue model path .*\(got "\/acme"\)$/],
  ['a model path that climbs', [...byPath('/acme/../api/usage')], 'key', /^kontext: --model-path must be .*\(got "\/acme\/\.\.\/api\/usage"\)$/],
  ['a model path with a query', [...byPath('/acme/retouch?x=1')], 'key', /^kontext: --model-path must be /],
  ['an empty model path, even with --help', ['edit', '--model-path=', '--help'], 'key', /^kontext: --model-path must be .*\(got ""\)$/],
  ['--input that is not JSON', [...byPath('/acme/retouch'), '--input', '{"strength": 0.4,}'], 'key', /^kontext: --input is not valid JSON: Expected double-quoted property name at character 18, after '\{"strength": 0\.4,'; e\.g\. --input '\{"num_images": 2\}'$/],
  ['--input with a name not in quotes', [...byPath('/acme/retouch'), '--input', '{strength: 0.4}'], 'key', /^kontext: --input is not valid JSON: .* at character 2, after '\{'; e\.g\./],
  ['--input that is cut short', [...byPath('/acme/retouch'), '--input', '{"strength": 0.4'], 'key', /^kontext: --input is not valid JSON: Expected ',' or '}' after property value at character 17, after '\{"strength": 0\.4'; e\.g\./],
  ['--input that is empty', [...byPath('/acme/retouch'), '--input', ''], 'key', /^kontext: --input is not valid JSON: it is empty; e\.g\./],
  ['--input that is a list', [...byPath('/acme/retouch'), '--input', '[{"strength": 0.4}]'], 'key', /^kontext: --input must be a JSON object of the model's fields \(got an array\); e\.g\./],
  ['--input that is a text', [...byPath('/acme/retouch'), '--input', '"make it green"'], 'key', /^kontext: --input must be a JSON object of the model's fields \(got "make it green"\)/],
  ['the prompt in --prompt and --input', [...byPath('/acme/retouch'), '--input', '{"prompt": "y"}'], 'key', /^kontext: prompt is set in both --prompt and --input: keep one of them$/],
  ['an image in --input and on the command line', [...byPath('/acme/retouch'), '--input', '{"image_url": "https://example.com/a.png"}'], 'key', /^kontext: image_url is set in both --input and the input images: keep one of them$/],
  ['--image-field not an image field', [...byPath('/acme/retouch'), '--image-field', 'image'], 'key', /^kontext: --image-field must be one of image_url, image_urls \(got "image"\)$/],
  ['a model flag with --model-path', [...byPath('/acme/retouch'), '--guidance', '5'], 'key', /^kontext: unknown option --guidance \(see: kontext edit --model-path \/acme\/retouch --help\)$/],
  ['--model and --model-path', [...byPath('/acme/retouch'), '--model', 'max'], 'key', /^kontext: give --model \(a listed model, its fields as flags\) or --model-path \(any path, --input JSON\), not both$/],
  ['a bad image for a model path', ['edit', '--model-path', '/acme/retouch', 'notes.png', '-p', 'x'], 'key', /^kontext: notes\.png is not an image AnyAPI takes/],
  ['a listed path: --input checked against its schema', ['edit', '--model-path', '/fal-ai/flux-pro/kontext', 'photos', '-p', 'x', '--input', '{"guidance_scale": 99}'], 'key', /^kontext: --input: guidance_scale must be a number from 1 to 20 \(got 99\)$/],
  ['a listed path: no prompt', ['edit', '--model-path', '/fal-ai/flux-pro/kontext', 'photos'], 'key', /^kontext: --prompt: prompt is required/],
  ['a listed path: another image field', ['edit', '--model-path', '/fal-ai/flux-pro/kontext', 'photos', '-p', 'x', '--image-field', 'image_urls'], 'key', /^kontext: --image-field image_urls: FLUX\.1 Kontext \[pro\] \(\/fal-ai\/flux-pro\/kontext\) takes its images as image_url$/],
  ['a model flag of another model', [...photos, '--model', 'max', '--aspect-ratio', '5:4', '--colour', 'red'], 'key', /^kontext: unknown option --colour \(see: kontext edit --model \/fal-ai\/flux-pro\/kontext\/max --help\)$/],
  ['status with a bad model path', ['status', 'some-id', '--model-path', 'nano-banana'], 'key', /^kontext: --model-path must be a fal-queue model path .*\(got "nano-banana"\)$/],
  // request ids
  ['status without an id', ['status'], 'key', /^kontext: kontext status takes one request id/],
  ['status with two ids', ['status', 'a', 'b'], 'key', /^kontext: kontext status takes one request id/],
  ['result with an id holding a slash', ['result', 'a/b'], 'key', /^kontext: requestId must be the request id a submit returned \(1 to 256 characters, no spaces, slashes or control characters\) \(got "a\/b"\)$/],
  ['cancel with an id holding a space', ['cancel', 'a b'], 'key', /^kontext: requestId must be the request id a submit returned/],
  ['usage with an argument', ['usage', 'now'], 'key', /^kontext: kontext usage takes no arguments/],
  // the key and the base URL
  ['status without ANYAPI_API_KEY', ['status', 'some-id'], 'no key', /^kontext: kontext status needs ANYAPI_API_KEY: set it to your AnyAPI key \(only edit falls back to a local emulator\)$/],
  ['result without ANYAPI_API_KEY', ['result', 'some-id'], 'no key', /^kontext: kontext result needs ANYAPI_API_KEY/],
  ['cancel without ANYAPI_API_KEY', ['cancel', 'some-id'], 'no key', /^kontext: kontext cancel needs ANYAPI_API_KEY/],
  ['usage without ANYAPI_API_KEY', ['usage'], 'no key', /^kontext: kontext usage needs ANYAPI_API_KEY/],
  ['a key with a line break inside', ['usage'], { ANYAPI_API_KEY: `${apiKey}\nsecond-line-7c2e9a4f1b` }, /^kontext: ANYAPI_API_KEY must be your AnyAPI key: one line of printable ASCII with no spaces inside \(it contains a line break\)$/],
  ['a key with a space inside', ['status', 'some-id'], { ANYAPI_API_KEY: 'sk-left-half-3e9a7c1f right-half-8b2d6f4a' }, /^kontext: ANYAPI_API_KEY must be your AnyAPI key: .* \(it contains a space or a tab\)$/],
  ['a key with unicode inside', [...photos], { ANYAPI_API_KEY: 'sk-ключ-секрет-7c3e9a1f' }, /^kontext: ANYAPI_API_KEY must be your AnyAPI key: .* \(it contains a character that is not printable ASCII\)$/],
  ['ANYAPI_BASE_URL not a URL', ['usage'], { ANYAPI_API_KEY: apiKey, ANYAPI_BASE_URL: 'www.anyapi.vip' }, /^kontext: ANYAPI_BASE_URL must be an http\(s\) URL such as https:\/\/www\.anyapi\.vip \(it is not a URL\)$/],
  ['ANYAPI_BASE_URL not http(s)', ['status', 'some-id'], { ANYAPI_API_KEY: apiKey, ANYAPI_BASE_URL: 'ftp://files.example' }, /^kontext: ANYAPI_BASE_URL must be an http\(s\) URL .*\(its scheme is not http or https\)$/],
  ['ANYAPI_BASE_URL with a query', [...photos], { ANYAPI_API_KEY: apiKey, ANYAPI_BASE_URL: 'https://www.anyapi.vip/?x=1' }, /^kontext: ANYAPI_BASE_URL must be an http\(s\) URL .*\(it has a query or a fragment\)$/],
];

describe('wrong inputs to the CLI', () => {
  // Concurrently: each run is a process of its own. None may send anything, so the count stays 0.
  it.concurrent.for(CLI_WRONG_INPUTS)('%s: one line naming the problem, exit 2, nothing sent', async ([, args, env, message], { expect }) => {
    const environment = envFor(env);
    const run = await runKontext(args, { cwd: work, env: environment });
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(run.code).toBe(2);
    expect(emulator.counters.total).toBe(0);
    for (const line of (environment.ANYAPI_API_KEY ?? apiKey).split(/\r\n|\r|\n/)) {
      if (line.trim().length >= 4) expect(run.stdout + run.stderr).not.toContain(line.trim());
    }
  });

  it('covers enough ground', () => {
    expect(CLI_WRONG_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(emulator.counters.total).toBe(0);
  });
});

describe('what the CLI says about answers', () => {
  it('names one status code per message', async () => {
    const run = await runKontext(['status', 'no-such-request'], { cwd: work, env: envFor('key') });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^kontext: Status of job no-such-request failed with 404: not found/);
    expect(run.stderr.match(/404/g)).toHaveLength(1);
  });
});
