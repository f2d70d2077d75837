import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator, type RunningEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Core from '../src/index.js';
import type * as Portable from '../src/portable.js';
import { copyRepository, repoRoot, type RepoCopy } from './support/repo-copy.js';

// The promise of issue 8: an AnyAPI document of a shape the project has never seen is typed,
// validated and served after `pnpm generate`, with no other edit. This copies the repository,
// drops such a document into the copy's openapi/anyapi/, runs the generators in the order
// `pnpm generate` runs them, and then uses what they wrote.
//
// Consumers of the generated code add themselves here: their package to PACKAGES, their
// generate script to GENERATE_STEPS, and a describe block below that reads `copy`.
const PACKAGES = ['openapi', 'packages/core', 'packages/n8n-nodes-anyapi-kontext', 'apps/kontext-cli'];
const GENERATE_STEPS: readonly [cwd: string, script: string][] = [
  ['openapi', 'scripts/build-spec.mjs'],
  ['packages/core', 'scripts/generate.mjs'],
  ['packages/n8n-nodes-anyapi-kontext', 'scripts/generate.mjs'],
];

const NEW_PATH = '/acme-labs/imagine/v2';
const NEW_APP = 'acme-labs/imagine';

/**
 * Written for this test in AnyAPI's apifox shape: its own app id (in the example ticket URLs),
 * an array field, an object field with a nested range, a boolean, a number whose range and
 * default are only in the Chinese description, and no English anywhere.
 */
const NEW_DOCUMENT = `openapi: 3.0.1
info:
  title: ''
  description: ''
  version: 1.0.0
paths:
  ${NEW_PATH}:
    post:
      summary: ${NEW_PATH}
      deprecated: false
      description: '官方文档: https://fal.ai/models/acme-labs/imagine/v2'
      tags:
        - Fal-ai 聚合平台
      parameters: []
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                prompt:
                  type: string
                  description: 提示词
                image_size:
                  type: object
                  properties:
                    width:
                      type: integer
                      description: 宽度，范围值：64-2048
                    height:
                      type: integer
                      description: 高度，范围值：64-2048
                  required:
                    - width
                    - height
                  description: 图片尺寸
                style_tags:
                  type: array
                  items:
                    type: string
                  description: 风格标签
                tiling:
                  type: boolean
                  description: 是否平铺。默认值：false
                strength:
                  type: number
                  description: 强度。默认值：0.8  范围值：0-1
              required:
                - prompt
                - image_size
              x-apifox-orders:
                - prompt
                - image_size
                - style_tags
                - tiling
                - strength
            example:
              prompt: A lighthouse at dawn
              image_size:
                width: 512
                height: 512
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema:
                type: object
                properties: {}
                x-apifox-orders: []
              example:
                status: IN_QUEUE
                request_id: 5b2f7a8e-0000-4000-8000-000000000000
                response_url: >-
                  https://queue.fal.run/${NEW_APP}/requests/5b2f7a8e-0000-4000-8000-000000000000
                status_url: >-
                  https://queue.fal.run/${NEW_APP}/requests/5b2f7a8e-0000-4000-8000-000000000000/status
                cancel_url: >-
                  https://queue.fal.run/${NEW_APP}/requests/5b2f7a8e-0000-4000-8000-000000000000/cancel
                logs: null
                metrics: {}
                queue_position: 0
          headers: {}
          x-apifox-name: 成功
      security:
        - bearer: []
components:
  schemas: {}
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
servers:
  - url: https://www.anyapi.vip
    description: 正式环境
security:
  - bearer: []
`;

let copy: RepoCopy;
/** What `pnpm generate` printed on stderr: the warnings. */
let generateWarnings = '';

beforeAll(() => {
  copy = copyRepository(PACKAGES);
  writeFileSync(copy.path('openapi', 'anyapi', 'acme-labs-imagine-v2.yaml'), NEW_DOCUMENT);
  for (const [cwd, script] of GENERATE_STEPS) generateWarnings += copy.run('node', [script], { cwd }).stderr;
}, 300_000);

afterAll(() => copy?.remove());

describe('pnpm generate takes a document of a new shape with no other edit', () => {
  it('succeeds, listing the fields that have no English as warnings', () => {
    expect(generateWarnings).toContain(`warning: ${NEW_PATH} has no display_name in kontext.yaml x-endpoints; shown as "Acme Labs Imagine V2"`);
    for (const [field, title] of [
      ['image_size', 'Image Size'],
      ['image_size.width', 'Width'],
      ['style_tags', 'Style Tags'],
      ['tiling', 'Tiling'],
      ['strength', 'Strength'],
    ]) {
      expect(generateWarnings).toContain(`warning: ${NEW_PATH} ${field} has no English title in kontext.yaml; shown as "${title}"`);
    }
  });

  it('lists the endpoint with its own app id, display name and image input', () => {
    const endpoints = readFileSync(copy.path('packages', 'core', 'src', 'generated', 'endpoints.ts'), 'utf8');
    const entry = endpoints.slice(endpoints.indexOf(`"${NEW_PATH}": {`));
    expect(entry.slice(0, entry.indexOf('}'))).toContain(
      [
        `"operationId": "submitAcmeLabsImagineV2"`,
        `"app": "${NEW_APP}"`,
        `"modelName": "imagine"`,
        `"inputSchema": "AcmeLabsImagineV2Input"`,
        `"displayName": "Acme Labs Imagine V2"`,
        `"imageInput": "none"`,
      ].join(',\n    '),
    );
  });

  it('types every field from the document and its descriptions', async () => {
    const { inputSchemas } = (await import(pathToFileURL(copy.path('packages', 'core', 'src', 'generated', 'input-schemas.ts')).href)) as {
      inputSchemas: Record<string, { required: string[]; properties: Record<string, unknown> }>;
    };
    const schema = inputSchemas.AcmeLabsImagineV2Input;
    expect(schema?.required).toEqual(['prompt', 'image_size']);
    expect(schema?.properties).toEqual({
      prompt: { title: 'Prompt', description: 'What the model should make.', type: 'string', minLength: 1 },
      image_size: {
        title: 'Image Size',
        type: 'object',
        properties: {
          width: { title: 'Width', type: 'integer', minimum: 64, maximum: 2048 },
          height: { title: 'Height', type: 'integer', minimum: 64, maximum: 2048 },
        },
        required: ['width', 'height'],
        additionalProperties: false,
      },
      style_tags: { title: 'Style Tags', type: 'array', items: { type: 'string' } },
      tiling: { title: 'Tiling', type: 'boolean', default: false },
      strength: { title: 'Strength', type: 'number', minimum: 0, maximum: 1, default: 0.8 },
    });
  });
});

describe('the core types and validates the new endpoint', () => {
  let core: typeof Core;
  let portable: typeof Portable;

  beforeAll(async () => {
    // A right call compiles; each wrong one must be an error, or @ts-expect-error fails the build.
    writeFileSync(
      copy.path('packages', 'core', 'src', 'uses-new-endpoint.ts'),
      `import { createKontextClient } from './index.js';
const kontext = createKontextClient({ apiKey: 'k' });
const endpoint = '${NEW_PATH}';
void kontext.run({ prompt: 'p', image_size: { width: 96, height: 64 }, style_tags: ['ink'], tiling: true, strength: 0.5 }, { endpoint });
void kontext.submit({ prompt: 'p', image_size: { width: 96, height: 64 } }, { endpoint });
// @ts-expect-error image_size is required
void kontext.run({ prompt: 'p' }, { endpoint });
// @ts-expect-error image_size is an object of width and height, not a text
void kontext.run({ prompt: 'p', image_size: '96x64' }, { endpoint });
// @ts-expect-error image_size.height is required
void kontext.run({ prompt: 'p', image_size: { width: 96 } }, { endpoint });
// @ts-expect-error style_tags is a list of texts
void kontext.run({ prompt: 'p', image_size: { width: 96, height: 64 }, style_tags: 'ink' }, { endpoint });
// @ts-expect-error tiling is a boolean
void kontext.run({ prompt: 'p', image_size: { width: 96, height: 64 }, tiling: 'yes' }, { endpoint });
// @ts-expect-error image_url belongs to another model
void kontext.run({ prompt: 'p', image_size: { width: 96, height: 64 }, image_url: 'https://x/y.png' }, { endpoint });
`,
    );
    copy.run('node', [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: 'packages/core' });
    core = (await import(pathToFileURL(copy.path('packages', 'core', 'dist', 'index.js')).href)) as typeof core;
    portable = (await import(pathToFileURL(copy.path('packages', 'core', 'dist', 'portable.js')).href)) as typeof portable;
  }, 300_000);

  it('compiles the right call and refuses each wrong field at compile time', () => {
    // beforeAll's build would have thrown otherwise; the file is in the built output.
    expect(readFileSync(copy.path('packages', 'core', 'dist', 'uses-new-endpoint.js'), 'utf8')).toContain(NEW_PATH);
  });

  it('refuses bad input before sending, naming the field and what the description allows', () => {
    expect(() => portable.validateInput({ prompt: 'p', image_size: { width: 96, height: 64 }, strength: 2 }, NEW_PATH as never)).toThrow(
      'strength must be a number from 0 to 1 (got 2)',
    );
    expect(() => portable.validateInput({ prompt: 'p' }, NEW_PATH as never)).toThrow('image_size is required: an object with width, height');
    const size = (image_size: unknown) => () => portable.validateInput({ prompt: 'p', image_size }, NEW_PATH as never);
    expect(size({ width: 10, height: 64 })).toThrow('image_size.width must be a whole number from 64 to 2048 (got 10)');
    expect(size({ width: 64 })).toThrow('image_size.height is required: a whole number from 64 to 2048');
    expect(size({ width: 64, height: 64, depth: 3 })).toThrow('image_size.depth is not a field of image_size; its fields are width, height');
    expect(() => portable.validateInput({ prompt: 'p', image_size: { width: 64, height: 64 }, style_tags: ['ink', 3] }, NEW_PATH as never)).toThrow(
      'style_tags[1] must be a text (got 3)',
    );
  });

  describe('the emulator serves it', () => {
    let emulator: RunningEmulator;

    beforeAll(async () => {
      const spec = JSON.parse(readFileSync(copy.path('openapi', 'generated', 'anyapi-kontext.openapi.json'), 'utf8'));
      // One worker, and jobs that run until let go: each step below is in a known state.
      emulator = await startEmulator({ port: 0, spec, jobDuration: 60_000, concurrency: 1 });
    });
    afterAll(() => emulator?.stop());

    it('follows a job on its own app id: submit, status, cancel, then a run to its result', async () => {
      const kontext = core.createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url });
      const input = { prompt: 'A lighthouse', image_size: { width: 96, height: 64 }, style_tags: ['ink'], tiling: true, strength: 0.5 };
      const endpoint = NEW_PATH as never;
      const ticket = await kontext.submit(input as never, { endpoint });
      expect(ticket.status_url).toBe(`${emulator.url}/${NEW_APP}/requests/${ticket.request_id}/status`);
      expect((await kontext.status(ticket.request_id, { endpoint })).status).toBe('IN_PROGRESS');
      expect(await kontext.cancel(ticket)).toBe('CANCELLATION_REQUESTED');

      const result = await kontext.run(input as never, { endpoint, onSubmit: () => void emulator.finishRunningJobs() });
      // Nothing to edit: the emulator draws a picture from the prompt, at its default size (1:1, 1 MP).
      expect(result.data.images).toEqual([expect.objectContaining({ width: 1024, height: 1024, content_type: 'image/jpeg' })]);
      expect(result.data.request).toEqual(input);
    });

    it("answers a field of another model with fal's 422, naming it", async () => {
      const response = await fetch(`${emulator.url}${NEW_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'p', image_size: { width: 96, height: 64, depth: 3 }, image_url: 'https://x/y.png' }),
      });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { detail: { loc: unknown[]; type: string }[] };
      expect(body.detail).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ loc: ['body', 'image_url'], type: 'extra_forbidden' }),
          expect.objectContaining({ loc: ['body', 'image_size', 'depth'], type: 'extra_forbidden' }),
        ]),
      );
    });
  });
});

/** Builds the copy's core (its dist is what the node bundles and the CLI imports), once. */
function buildCopiedCore(): void {
  if (existsSync(copy.path('packages', 'core', 'dist', 'index.js'))) return;
  copy.run('node', [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: 'packages/core' });
}

describe('the n8n node offers it, with its fields', () => {
  type Property = { name: string; displayName: string; type: string; default: unknown; required?: boolean; description?: string; hint?: string; typeOptions?: Record<string, unknown>; options?: Array<{ name: string; value: unknown }>; displayOptions?: { show?: Record<string, unknown[]> } };
  let properties: Property[];
  let shownForNewModel: () => Property[];
  let version: number;
  let searchModels: (this: unknown, filter?: string) => Promise<{ results: Array<{ name: string; value: string }> }>;

  beforeAll(() => {
    buildCopiedCore();
    copy.run('node', ['scripts/build.mjs'], { cwd: 'packages/n8n-nodes-anyapi-kontext' });
    const require = createRequire(copy.path('packages', 'n8n-nodes-anyapi-kontext', 'package.json'));
    type Description = { properties: Property[]; defaultVersion: number; name: string };
    const { AnyApiKontext } = require('./dist/nodes/AnyApiKontext/AnyApiKontext.node.js') as {
      AnyApiKontext: new () => { description: Description; methods: { listSearch: { searchModels: typeof searchModels } } };
    };
    // n8n's own displayParameter decides what the editor shows (`@version` gates included).
    const { NodeHelpers } = require('n8n-workflow') as {
      NodeHelpers: { displayParameter: (parameters: object, p: Property, node: object, description: Description, root: object) => boolean };
    };
    const node = new AnyApiKontext();
    const description = node.description;
    searchModels = node.methods.listSearch.searchModels;
    properties = description.properties;
    version = description.defaultVersion;
    const parameters = { resource: 'image', operation: 'edit', model: NEW_PATH };
    const saved = { typeVersion: version, type: `CUSTOM.${description.name}`, parameters };
    shownForNewModel = () => properties.filter((p) => NodeHelpers.displayParameter(parameters, p, saved, description, parameters));
  }, 300_000);

  it('as a Model of a new node (the latest version), from the list, by the name generate gave it (title case for n8n)', async () => {
    const model = shownForNewModel().find((p) => p.name === 'model')!;
    expect(model).toMatchObject({ type: 'resourceLocator', default: { mode: 'list', value: '/fal-ai/flux-pro/kontext' } });
    const listed = await searchModels.call({ getNode: () => ({ typeVersion: version }) });
    expect(listed.results).toContainEqual({ name: 'Acme Labs Imagine V2', value: NEW_PATH });
  });

  it("with exactly its fields, typed from the document, and no image input (it takes none)", () => {
    const shown = shownForNewModel();
    const byName = (name: string) => shown.find((p) => p.name === name);
    expect(shown.map((p) => p.name)).toEqual(['resource', 'operation', 'model', 'prompt', 'imageSize', 'styleTags', 'tiling', 'strength', 'options']);
    expect(byName('prompt')).toMatchObject({ type: 'string', required: true });
    expect(byName('imageSize')).toMatchObject({ displayName: 'Image Size', type: 'json', required: true });
    expect(byName('styleTags')).toMatchObject({ displayName: 'Style Tags', type: 'string', hint: 'A comma-separated list' });
    expect(byName('tiling')).toMatchObject({ type: 'boolean', default: false });
    expect(byName('strength')).toMatchObject({ type: 'number', default: 0.8, typeOptions: { minValue: 0, maxValue: 1 } });
  });
});

describe('the CLI lists it and takes it', () => {
  beforeAll(() => {
    buildCopiedCore();
    copy.run('node', [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: 'apps/kontext-cli' });
  }, 300_000);

  it('kontext models lists the new model with its path and image input', () => {
    const { stdout } = copy.run('node', ['dist/bin.js', 'models'], { cwd: 'apps/kontext-cli' });
    expect(stdout).toMatch(new RegExp(`^Acme Labs Imagine V2 +${NEW_PATH.replaceAll('/', '\\/')} +no image \\(text to image\\)$`, 'm'));
  });

  it("kontext edit --model shows the new model's fields as flags", () => {
    const { stdout } = copy.run('node', ['dist/bin.js', 'edit', '--model', 'imagine/v2', '--help'], { cwd: 'apps/kontext-cli' });
    expect(stdout).toContain(`Model: Acme Labs Imagine V2 (${NEW_PATH}), takes no image (text to image).`);
    for (const flag of [/--image-size <json> /, /--style-tags <a,b,\.\.\.> /, /--tiling /, /--strength <0-1> .*\(default 0\.8\)/]) expect(stdout).toMatch(flag);
  });
});

describe('pnpm generate refuses what the core could not check', () => {
  it('names a schema keyword the input checker does not enforce, and writes nothing', () => {
    const spec = JSON.parse(readFileSync(copy.path('openapi', 'generated', 'anyapi-kontext.openapi.json'), 'utf8')) as {
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    };
    spec.components.schemas.FluxProKontextInput!.properties.guidance_scale!.multipleOf = 0.5;
    const specPath = copy.path('openapi', 'generated', 'with-multiple-of.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const before = readFileSync(copy.path('packages', 'core', 'src', 'generated', 'input-schemas.ts'), 'utf8');
    expect(() => copy.run('node', ['scripts/generate.mjs'], { cwd: 'packages/core', env: { KONTEXT_SPEC: specPath } })).toThrow(
      'FluxProKontextInput.guidance_scale uses the JSON-schema keyword "multipleOf", which the core\'s input checker (src/validation/check-schema.ts) does not enforce yet',
    );
    expect(readFileSync(copy.path('packages', 'core', 'src', 'generated', 'input-schemas.ts'), 'utf8')).toBe(before);
  });
});
