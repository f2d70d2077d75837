// What users depend on, read from one tree of the repository (the working tree, or any git ref):
// per model, the fields of its submit body as the complete spec types them (TypeScript callers),
// the n8n node's parameters per node version (saved workflows), and the `kontext edit` flags
// (CLI scripts). `pnpm spec:diff` compares two of these; the release step keeps the released one
// in openapi/released.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { summariseRecord } from '../../packages/n8n-nodes-anyapi-kontext/scripts/node-versions.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPEC_FILE = 'openapi/generated/anyapi-kontext.openapi.json';
export const RELEASE_RECORD = 'openapi/released.json';
export const VERSIONS_DIR = 'packages/n8n-nodes-anyapi-kontext/nodes/AnyApiKontext/versions';

/** Reads files of the working tree under `root`. */
export function workingTree(root = repoRoot) {
  return {
    label: 'the working tree',
    read: (file) => fs.readFileSync(path.join(root, file), 'utf8'),
    exists: (file) => fs.existsSync(path.join(root, file)),
    list: (dir) => (fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)) : []),
  };
}

/** Reads files as they are at git ref `ref`. */
export function gitTree(ref, root = repoRoot) {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  try {
    git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new Error(`--since ${ref}: not a commit in this repository`);
  }
  const exists = (file) => {
    try {
      git('cat-file', '-e', `${ref}:${file}`);
      return true;
    } catch {
      return false;
    }
  };
  return {
    label: ref,
    read: (file) => git('show', `${ref}:${file}`),
    exists,
    list: (dir) => (exists(dir) ? git('ls-tree', '--name-only', `${ref}:${dir}`).split('\n').filter(Boolean) : []),
  };
}

/** The JSON-schema keywords of a field that decide what callers may send. */
function fieldOf(schema, required) {
  const type = [schema.type ?? (schema.enum ? typeof schema.enum[0] : 'any')].flat().join('|');
  const out = { type, required };
  for (const keyword of ['default', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems']) {
    if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  }
  if (schema.items?.type) out.items = [schema.items.type].flat().join('|');
  if (schema['x-fal-extra']) out.extra = true;
  if (schema.title) out.title = schema.title;
  if (schema.description) out.description = schema.description;
  return out;
}

let cliFlags;
/** The CLI's own `modelFlagsOf` (apps/kontext-cli/src/models.ts), bundled from source so no build is needed. */
async function loadCliFlags() {
  if (cliFlags) return cliFlags;
  const result = await build({
    stdin: { contents: "export { modelFlagsOf } from './src/models.ts';", resolveDir: path.join(repoRoot, 'apps', 'kontext-cli'), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'error',
    alias: {
      '@anyapi-kontext/core/portable': path.join(repoRoot, 'packages', 'core', 'src', 'portable.ts'),
      '@anyapi-kontext/core': path.join(repoRoot, 'packages', 'core', 'src', 'index.ts'),
    },
  });
  cliFlags = (await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`)).modelFlagsOf;
  return cliFlags;
}

/** The surface of one tree: `{ endpoints, renames, node, cli }`. */
export async function surfaceOf(tree) {
  const spec = JSON.parse(tree.read(SPEC_FILE));
  const modelFlagsOf = await loadCliFlags();
  const endpoints = {};
  const cli = {};
  for (const [endpoint, item] of Object.entries(spec.paths)) {
    const operation = item.post;
    if (!operation?.['x-fal-app']) continue;
    const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref ?? '';
    const schema = spec.components.schemas[ref.split('/').pop()];
    const required = schema.required ?? [];
    endpoints[endpoint] = {
      displayName: operation['x-display-name'],
      fields: Object.fromEntries(Object.entries(schema.properties).map(([field, s]) => [field, fieldOf(s, required.includes(field))])),
    };
    const flags = modelFlagsOf({ path: endpoint, name: operation['x-display-name'], imageInput: operation['x-image-input'], properties: schema.properties, required });
    cli[endpoint] = Object.fromEntries(
      Object.entries(flags).map(([flag, { field, option }]) => [`--${flag}`, { field, type: option.type, ...(option.short ? { short: `-${option.short}` } : {}) }]),
    );
  }
  const records = tree
    .list(VERSIONS_DIR)
    .filter((file) => /^\d+(\.\d+)?\.json$/.test(file))
    .map((file) => JSON.parse(tree.read(`${VERSIONS_DIR}/${file}`)))
    .sort((a, b) => a.version - b.version);
  const node = {
    versions: Object.fromEntries(records.map((record) => [String(record.version), summariseRecord(record)])),
    defaultVersion: records.at(-1)?.version ?? null,
  };
  return { endpoints, renames: spec['x-renamed-fields'] ?? [], node, cli };
}

/** The last release's surface (openapi/released.json), or undefined before the first. */
export function releasedSurface(tree) {
  return tree.exists(RELEASE_RECORD) ? JSON.parse(tree.read(RELEASE_RECORD)).surface : undefined;
}
