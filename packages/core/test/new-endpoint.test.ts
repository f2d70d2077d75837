import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Adding an AnyAPI endpoint document must take only: add the file, run generate. This does
// exactly that on a copy of openapi/ and the core, then builds the copy and uses the new path.
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAX_PATH = '/fal-ai/flux-pro/kontext/proof';
let work: string;

const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  execFileSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: 'pipe' });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kontext-new-endpoint-'));
  cpSync(join(repo, 'tsconfig.base.json'), join(work, 'tsconfig.base.json'));
  for (const part of ['anyapi', 'kontext.yaml', 'scripts', 'package.json']) {
    cpSync(join(repo, 'openapi', part), join(work, 'openapi', part), { recursive: true });
  }
  symlinkSync(join(repo, 'openapi', 'node_modules'), join(work, 'openapi', 'node_modules'));
  for (const part of ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(join(repo, 'packages', 'core', part), join(work, 'packages', 'core', part), { recursive: true });
  }
  symlinkSync(join(repo, 'packages', 'core', 'node_modules'), join(work, 'packages', 'core', 'node_modules'));

  // AnyAPI's document for the max model has the seed's shape; only the path differs.
  const seed = readFileSync(join(repo, 'openapi', 'anyapi', 'fal-ai-flux-pro-kontext.yaml'), 'utf8');
  const max = seed.replaceAll('/fal-ai/flux-pro/kontext', MAX_PATH).replaceAll(`${MAX_PATH}/requests`, '/fal-ai/flux-pro/requests');
  writeFileSync(join(work, 'openapi', 'anyapi', 'fal-ai-flux-pro-kontext-proof.yaml'), max);

  run('node', [join(work, 'openapi', 'scripts', 'build-spec.mjs')]);
  run('node', [join(work, 'packages', 'core', 'scripts', 'generate.mjs')], {
    KONTEXT_SPEC: join(work, 'openapi', 'generated', 'anyapi-kontext.openapi.json'),
  });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a second AnyAPI endpoint document', () => {
  it('gets a typed submit operation in the generated types', () => {
    const endpoints = readFileSync(join(work, 'packages', 'core', 'src', 'generated', 'endpoints.ts'), 'utf8');
    expect(endpoints).toContain(`"${MAX_PATH}"`);
    expect(endpoints).toContain('"operationId": "submitFluxProKontextProof"');
    const schema = readFileSync(join(work, 'packages', 'core', 'src', 'generated', 'schema.ts'), 'utf8');
    expect(schema).toContain('submitFluxProKontextProof: {');
  });

  it('is typed end to end: right inputs compile, wrong ones do not', () => {
    const usage = `
import { createKontextClient } from '../src/index.js';
const kontext = createKontextClient({ apiKey: 'k' });
void kontext.run({ prompt: 'p', image_url: 'https://x/y.png', num_images: 2 }, { endpoint: '${MAX_PATH}' });
// @ts-expect-error num_images is a number on the new endpoint too
void kontext.run({ prompt: 'p', image_url: 'https://x/y.png', num_images: 'two' }, { endpoint: '${MAX_PATH}' });
`;
    writeFileSync(join(work, 'packages', 'core', 'src', 'uses-max.ts'), usage.replace("'../src/index.js'", "'./index.js'"));
    run('node', [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(work, 'packages', 'core', 'tsconfig.build.json')]);
  }, 180_000);

  it('submits to the new path through the same lifecycle, validated', async () => {
    const core = await import(pathToFileURL(join(work, 'packages', 'core', 'dist', 'index.js')).href);
    const seen: { method: string; path: string; body: unknown }[] = [];
    const fakeAnyApi: typeof fetch = async (request) => {
      const req = request as Request;
      const path = new URL(req.url).pathname;
      seen.push({ method: req.method, path, body: req.method === 'POST' ? await req.json() : undefined });
      if (req.method === 'POST') {
        const base = 'https://queue.fal.run/fal-ai/flux-pro/requests/r1';
        return Response.json({ status: 'IN_QUEUE', request_id: 'r1', response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel`, queue_position: 0 });
      }
      if (path.endsWith('/status')) return Response.json({ status: 'COMPLETED' });
      return Response.json({ images: [{ url: 'https://v3.fal.media/files/out.jpg' }], seed: 1, has_nsfw_concepts: [false], prompt: 'p' });
    };
    const kontext = core.createKontextClient({ apiKey: 'k', baseUrl: 'https://www.anyapi.vip', fetch: fakeAnyApi });
    const result = await kontext.run({ prompt: 'p', image_url: 'https://x/y.png' }, { endpoint: MAX_PATH, stream: false, pollInterval: 1 });

    expect(result.data.images).toHaveLength(1);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${MAX_PATH}`,
      'GET /fal-ai/flux-pro/requests/r1/status',
      'GET /fal-ai/flux-pro/requests/r1',
    ]);
    await expect(kontext.run({ prompt: 'p', image_url: 'https://x/y.png', num_images: 9 }, { endpoint: MAX_PATH })).rejects.toThrow(
      /num_images must be a whole number from 1 to 4/,
    );
    expect(seen).toHaveLength(3);
  });
});
