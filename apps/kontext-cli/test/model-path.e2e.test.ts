import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToDataUrl, createKontextClient } from '@anyapi-kontext/core';
import { startEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder, pngSample } from './fixtures.js';
import { runKontext } from './run-kontext.js';

// `kontext edit --model-path`: models the spec does not list, served by the emulator's
// `extraModels` as fal runs them (on the app of the path's first two segments, where their
// status, result and cancel are found).
const apiKey = 'sk-kontext-cli-model-path-4b8e2d6a1c';
const ONE_IMAGE = '/acme/retouch';
const SEVERAL_IMAGES = '/acme/collage/v2';
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let work: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, apiKey, jobDuration: 50, extraModels: { [ONE_IMAGE]: 'single', [SEVERAL_IMAGES]: 'multiple' } });
  work = makeTempDir();
  makeThreeImageFolder(work);
});
afterAll(() => emulator?.stop());
beforeEach(() => {
  emulator.configure({ jobDuration: 50 });
  emulator.resetCounters();
});

const env = () => ({ ANYAPI_BASE_URL: emulator.url, ANYAPI_API_KEY: apiKey });
const kontext = (args: string[], options: Omit<Parameters<typeof runKontext>[1], 'cwd' | 'env'> = {}) => runKontext(args, { cwd: work, env: env(), ...options });

interface Summary {
  ok: boolean;
  jobs: { input: string; status: string; requestId?: string; outputs: string[]; error?: string }[];
}

/** What the emulator was sent for a job: its result echoes the submitted body, read with `kontext result --model-path`. */
async function sentBody(requestId: string, modelPath: string): Promise<Record<string, unknown>> {
  const run = await kontext(['result', requestId, '--model-path', modelPath, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { request: Record<string, unknown> }).request;
}

describe('kontext edit --model-path: a model the spec does not list', () => {
  it('sends --input with --prompt and the image as image_url, and saves the images and sidecar as --model does', async () => {
    const run = await kontext([
      'edit', '--model-path', ONE_IMAGE, 'photos/apple.png', '-p', 'make it green',
      '--input', '{"strength": 0.4, "num_images": 2, "style": {"name": "matte"}}', '-o', 'retouched', '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.ok).toBe(true);
    expect(summary.jobs).toEqual([
      expect.objectContaining({ input: 'photos/apple.png', status: 'done', outputs: ['retouched/apple.1.jpg', 'retouched/apple.2.jpg', 'retouched/apple.json'] }),
    ]);
    const sidecar = JSON.parse(readFileSync(join(work, 'retouched', 'apple.json'), 'utf8')) as Record<string, unknown>;
    expect(sidecar).toMatchObject({
      model: ONE_IMAGE,
      prompt: 'make it green',
      options: { strength: 0.4, num_images: 2, style: { name: 'matte' }, prompt: 'make it green' },
    });
    // What reached the service: the JSON's fields as given, the prompt, and the file as image_url.
    const body = await sentBody(summary.jobs[0]!.requestId!, ONE_IMAGE);
    expect(body).toMatchObject({ strength: 0.4, num_images: 2, style: { name: 'matte' }, prompt: 'make it green' });
    expect(body.image_url).toMatch(/^data:image\/png;base64,/);
    expect(body).not.toHaveProperty('image_urls');
    expect(emulator.counters.submits).toBe(1);
  });

  it('several images go in image_urls, in the order given, as one job; --image-field image_url runs one job each', async () => {
    const together = await kontext(['edit', '--model-path', SEVERAL_IMAGES, 'photos/lake.jpg', 'photos/apple.png', '-p', 'side by side', '--json']);
    expect(together.code, together.stderr).toBe(0);
    const { jobs } = JSON.parse(together.stdout) as Summary;
    expect(jobs).toEqual([expect.objectContaining({ input: 'photos/lake.jpg + photos/apple.png', outputs: ['out/lake+apple.1.jpg', 'out/lake+apple.json'] })]);
    const body = await sentBody(jobs[0]!.requestId!, SEVERAL_IMAGES);
    expect(body.image_urls).toEqual([expect.stringMatching(/^data:image\/jpeg;base64,/), expect.stringMatching(/^data:image\/png;base64,/)]);
    expect(body).not.toHaveProperty('image_url');

    const each = await kontext(['edit', '--model-path', ONE_IMAGE, 'photos/lake.jpg', 'photos/apple.png', '-p', 'x', '--image-field', 'image_url', '-o', 'each', '--json']);
    expect(each.code, each.stderr).toBe(0);
    expect((JSON.parse(each.stdout) as Summary).jobs.map((job) => job.input)).toEqual(['photos/lake.jpg', 'photos/apple.png']);
    expect(emulator.counters.submits).toBe(3);
  });

  it('a path the service does not have: the job line names it, exit 1, and no job is left', async () => {
    const run = await kontext(['edit', '--model-path', '/acme/no-such-model/v9', 'photos/apple.png', '-p', 'x', '-o', 'nothing']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\[1\/1\] photos\/apple\.png failed: AnyAPI has no model at \/acme\/no-such-model\/v9 \(404 Not Found\)$/m);
    expect(run.stdout).toMatch(/^0 of 1 done, 1 failed in /m);
    // One request, answered 404; no job was accepted, none runs.
    expect(emulator.counters).toMatchObject({ total: 1, submits: 0 });
    expect(emulator.finishRunningJobs()).toBe(0);
    const json = await kontext(['edit', '--model-path', '/acme/no-such-model/v9', 'photos/apple.png', '-p', 'x', '-o', 'nothing', '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as Summary).jobs[0]).toMatchObject({ status: 'failed', error: 'AnyAPI has no model at /acme/no-such-model/v9 (404 Not Found)' });
  });

  it('Ctrl-C cancels its job on the server, on the path\'s app, and exits 130', async () => {
    emulator.configure({ jobDuration: 3_600_000 });
    let sent = false;
    const run = await kontext(['edit', '--model-path', ONE_IMAGE, 'photos/apple.png', '-p', 'x', '-o', 'interrupted'], {
      onStdout: (stdout, child) => {
        if (!sent && / queued /.test(stdout)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/0 of 1 done, 1 cancelled in /);
    expect(emulator.counters).toMatchObject({ submits: 1, cancels: 1 });
    expect(emulator.finishRunningJobs()).toBe(0);
  });

  it('a rerun after a crash collects the job it submitted, on the path\'s app, instead of paying for it again', async () => {
    emulator.configure({ jobDuration: 3_600_000 });
    const args = ['edit', '--model-path', ONE_IMAGE, 'photos/lake.jpg', '-p', 'x', '--input', '{"strength": 1}', '-o', 'crashed'];
    const first = await kontext(args, { onStdout: (stdout, child) => void (/ running$/m.test(stdout) && child.kill('SIGKILL')) });
    expect(first.code).toBeNull();
    let released = false;
    const second = await kontext(args, {
      onStdout: (stdout) => {
        // The rerun waits on the job by request id; only then is the job let through.
        if (!released && /1 already submitted \(collecting, not resubmitting\)/.test(stdout)) released = emulator.finishRunningJobs() === 1;
      },
    });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^\[1\/1\] photos\/lake\.jpg done in .*crashed\/lake\.1\.jpg, crashed\/lake\.json$/m);
    expect(emulator.counters.submits).toBe(1);
  });
});

describe('kontext edit --model-path: a path the spec lists', () => {
  it('runs as that model: its schema checks --input, and its defaults are recorded', async () => {
    const run = await kontext(['edit', '--model-path', '/fal-ai/flux-pro/kontext', 'photos/apple.png', '-p', 'x', '--input', '{"guidance_scale": 5}', '-o', 'listed']);
    expect(run.code, run.stderr).toBe(0);
    const sidecar = JSON.parse(readFileSync(join(work, 'listed', 'apple.json'), 'utf8')) as Record<string, unknown>;
    expect(sidecar).toMatchObject({ model: '/fal-ai/flux-pro/kontext', options: { guidance_scale: 5, num_images: 1, output_format: 'jpeg' } });
  });

  it('says so in --help, and an unlisted path\'s --help shows its flags', async () => {
    const listed = await kontext(['edit', '--model-path', '/fal-ai/flux-pro/kontext', '--help']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^Model: FLUX\.1 Kontext \[pro\] \(\/fal-ai\/flux-pro\/kontext\), a listed model: it takes one image \(image_url\),$/m);
    const unlisted = await kontext(['edit', '--model-path', ONE_IMAGE, '--help']);
    expect(unlisted.code).toBe(0);
    expect(unlisted.stdout).toMatch(/^Usage: kontext edit --model-path <path> \[image files or folders\.\.\.\] \[options\]$/m);
    expect(unlisted.stdout).toMatch(/^ {6}--input <json> +the model's other input fields/m);
    expect(unlisted.stdout).toMatch(/^ {6}--image-field <image_url\|image_urls> /m);
    expect(unlisted.stdout).not.toContain('--guidance');
    const plain = await kontext(['edit', '--help']);
    expect(plain.stdout).toMatch(/^ {6}--model-path <path> +instead: a model AnyAPI serves that is not listed/m);
    expect(emulator.counters.total).toBe(0);
  });
});

describe('kontext status, result and cancel --model-path', () => {
  const client = () => createKontextClient({ apiKey, baseUrl: emulator.url });
  const image_url = () => bytesToDataUrl(readFileSync(pngSample));

  it('follow a job on its path\'s app; without the path it is not found', async () => {
    const { requestId } = await client().runAny(ONE_IMAGE, { prompt: 'x', image_url: image_url() });
    const status = await kontext(['status', requestId, '--model-path', ONE_IMAGE]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toBe(`${requestId}: COMPLETED\n`);
    const result = await kontext(['result', requestId, '--model-path', ONE_IMAGE, '--out', 'by-path']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${requestId}: 1 image\\(s\\), seed \\d+\\n  1\\. \\d+x\\d+ image/jpeg .*by-path/${requestId}\\.1\\.jpg$`, 'm'));
    const elsewhere = await kontext(['status', requestId]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/^kontext: Status of job \S+ failed with 404/);
  });

  it('cancel stops a held job; an error names the path', async () => {
    emulator.configure({ jobDuration: 3_600_000 });
    const ticket = await client().submitAny(ONE_IMAGE, { prompt: 'x', image_url: image_url() });
    const cancel = await kontext(['cancel', ticket.request_id, '--model-path', ONE_IMAGE]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toBe(`${ticket.request_id}: cancellation requested\n`);
    expect(emulator.finishRunningJobs()).toBe(0);
    const unknown = await kontext(['result', 'no-such-request', '--model-path', ONE_IMAGE]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trimEnd()).toMatch(/^kontext: Result of job no-such-request failed with 404.* \(model \/acme\/retouch\)$/);
  });
});
