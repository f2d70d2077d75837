// pnpm spec:update <source>... | --listed
// Brings AnyAPI's documents in: each source is a doc page as a user saves it (one OpenAPI YAML
// block, fenced or bare), a YAML file, or an http(s) URL of such a page; --listed fetches again
// every page openapi/anyapi/SOURCE.md lists by URL. It extracts the YAML byte for byte, adds it
// or replaces the document with the same path in openapi/anyapi/, records the page, its sha256
// and the date in SOURCE.md, regenerates everything (`pnpm generate`), prints what changed for
// whom since the last release (scripts/spec/classify.mjs) and writes the changeset that release
// needs (.changeset/anyapi-spec-update.md). A bad source is refused in one line and nothing is
// written; a page already in gives no change at all.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { changesetBump, toMarkdown } from './classify.mjs';
import { extractDocument, parseYaml } from './extract-document.mjs';
import { specDiff } from './spec-diff.mjs';
import { repoRoot } from './surface.mjs';

export const CHANGESET_FILE = '.changeset/anyapi-spec-update.md';
const SOURCE_MD = 'openapi/anyapi/SOURCE.md';
const ROW = /^\| `([^`]+\.ya?ml)` \| `([^`]+)` \| (.+?) \((\w{64})\) \| ([^|]+) \| ([^|]+) \|$/;

const today = () => new Date().toISOString().slice(0, 10);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** The page behind a source: a file, or an http(s) URL fetched with the platform's fetch. */
async function readSource(source) {
  if (/^https?:\/\//i.test(source)) {
    let response;
    try {
      response = await fetch(source, { redirect: 'follow', signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new Error(`${source}: could not fetch (${error.cause?.code ?? error.message})`);
    }
    if (!response.ok) throw new Error(`${source}: answered ${response.status} ${response.statusText}`);
    return await response.text();
  }
  // pnpm runs scripts in the repository's root: a relative path is the user's, from where pnpm was started.
  const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), source);
  if (!fs.existsSync(file)) throw new Error(`${source}: no such file`);
  return fs.readFileSync(file, 'utf8');
}

/** Which file of openapi/anyapi/ documents each path, from the files themselves. */
function documentsByPath(root, parse) {
  const dir = path.join(root, 'openapi', 'anyapi');
  const byPath = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const p of Object.keys(parse(fs.readFileSync(path.join(dir, file), 'utf8'))?.paths ?? {})) byPath.set(p, file);
  }
  return byPath;
}

/** `/fal-ai/flux-pro/kontext/max` -> `fal-ai-flux-pro-kontext-max.yaml`, as the existing files are named. */
const fileNameOf = (endpointPath) => `${endpointPath.split('/').filter(Boolean).join('-').replace(/[^A-Za-z0-9.-]+/g, '-')}.yaml`;

/** The rows of SOURCE.md's table, by file. */
function readRows(text) {
  return new Map(
    text
      .split('\n')
      .map((line) => ROW.exec(line))
      .filter(Boolean)
      .map(([line, file, endpoint, page, hash, lines, saved]) => [file, { line, file, endpoint, page, hash, lines: lines.trim(), saved: saved.trim() }]),
  );
}

/** The pages SOURCE.md lists by URL: what the scheduled workflow fetches again. */
export function listedUrls(root = repoRoot) {
  const rows = readRows(fs.readFileSync(path.join(root, SOURCE_MD), 'utf8'));
  return [...rows.values()].map((row) => /<(https?:\/\/[^>]+)>/.exec(row.page)?.[1]).filter(Boolean);
}

function rowText({ file, endpoint, page, hash, lines, saved }) {
  return `| \`${file}\` | \`${endpoint}\` | ${page} (${hash}) | ${lines} | ${saved} |`;
}

/** Adds or replaces the rows of `updates` in SOURCE.md's table. */
function writeRows(root, updates) {
  const file = path.join(root, SOURCE_MD);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const update of updates) {
    const at = lines.findIndex((line) => ROW.exec(line)?.[1] === update.file);
    if (at !== -1) lines[at] = rowText(update);
    else {
      let last = lines.length - 1;
      while (last >= 0 && !ROW.test(lines[last])) last -= 1;
      lines.splice(last + 1, 0, rowText(update));
    }
  }
  fs.writeFileSync(file, lines.join('\n'));
}

/**
 * Runs the workspace packages' `script` without turbo (which needs pnpm's binary on PATH): each
 * package's after the workspace packages it depends on, as turbo's `^<script>` orders them; only
 * the packages named in `only` when given. Returns the output's lines.
 */
export function runWorkspaceScript(root, script, only) {
  const globs = parseYaml(fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')).packages ?? [];
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [glob];
    const parent = path.join(root, glob.slice(0, -2));
    return fs.existsSync(parent) ? fs.readdirSync(parent).map((d) => `${glob.slice(0, -2)}/${d}`) : [];
  });
  const packages = new Map();
  for (const dir of dirs) {
    const file = path.join(root, dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    packages.set(pkg.name, { dir, pkg, deps: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }) });
  }
  const order = [];
  const visit = (name) => {
    const entry = packages.get(name);
    if (!entry || order.includes(entry)) return;
    for (const dep of entry.deps) visit(dep);
    order.push(entry);
  };
  for (const name of packages.keys()) visit(name);
  const lines = [];
  for (const { dir, pkg } of order.filter((e) => e.pkg.scripts?.[script] && (!only || only.includes(e.pkg.name)))) {
    const cwd = path.join(root, dir);
    const env = { ...process.env, PATH: `${path.join(cwd, 'node_modules', '.bin')}${path.delimiter}${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` };
    const result = spawnSync('sh', ['-c', pkg.scripts[script]], { cwd, env, encoding: 'utf8' });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0) throw new Error(`${pkg.name} ${script} failed:\n${output}`);
    lines.push(...output.split('\n'));
  }
  return lines;
}

/** `pnpm generate`, and the lines a maintainer must read: the completion contradicted, fields without English, node versions. */
export function generate(root = repoRoot) {
  return runWorkspaceScript(root, 'generate')
    .filter((line) => /warning:|node version|^\s+\/\S+ \S+ [a-z-]+:/.test(line))
    .map((line) => line.trim());
}

/** The changeset the diff asks for: each package it reaches, with the bump (0.x: see CONTRIBUTING.md). */
export function changesetText(diff, markdown, root = repoRoot) {
  const versionOf = (name) => {
    const dirs = { '@anyapi-kontext/openapi': 'openapi', '@anyapi-kontext/core': 'packages/core', '@anyapi-kontext/emulator': 'packages/emulator', 'n8n-nodes-anyapi-kontext': 'packages/n8n-nodes-anyapi-kontext', '@anyapi-kontext/kontext-cli': 'apps/kontext-cli' };
    return JSON.parse(fs.readFileSync(path.join(root, dirs[name], 'package.json'), 'utf8')).version;
  };
  const header = Object.entries(diff.packages).map(([name, bump]) => `'${name}': ${changesetBump(bump, versionOf(name))}`);
  return `---\n${header.join('\n')}\n---\n\nAnyAPI changed its documents (brought in with \`pnpm spec:update\`; written by it, rewritten by the next one until the release).\n\n${markdown}`;
}

export async function specUpdate(sources, { root = repoRoot, log = console.log } = {}) {
  // Read and check every source before anything is written.
  const pages = [];
  for (const source of sources) {
    const page = await readSource(source);
    const extracted = extractDocument(page, source);
    pages.push({ source, page, ...extracted });
  }
  const byPath = documentsByPath(root, parseYaml);
  const rows = readRows(fs.readFileSync(path.join(root, SOURCE_MD), 'utf8'));
  const writes = [];
  for (const page of pages) {
    const files = [...new Set(page.paths.map((p) => byPath.get(p)).filter(Boolean))];
    if (files.length > 1) throw new Error(`${page.source}: its paths are documented by several files (${files.join(', ')}); bring them in one page at a time`);
    const file = files[0] ?? fileNameOf(page.paths.find((p) => page.document.paths[p]?.post));
    if (writes.some((w) => w.file === file)) throw new Error(`${page.source}: another source given also documents ${file}`);
    const target = path.join(root, 'openapi', 'anyapi', file);
    const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    const hash = sha256(page.page);
    const isUrl = /^https?:\/\//i.test(page.source);
    const row = {
      file,
      endpoint: page.paths.find((p) => page.document.paths[p]?.post),
      page: isUrl ? `<${page.source}>` : `\`${path.basename(page.source)}\``,
      hash,
      lines: `${page.firstLine} to ${page.lastLine}${page.fenced ? ', the fenced block' : ''}`,
      saved: today(),
    };
    const known = rows.get(file);
    const unchanged = before === page.text && known?.hash === hash;
    writes.push({ file, target, text: page.text, row, changed: before !== page.text, rowChanged: !unchanged, isNew: before === undefined });
  }
  for (const w of writes) {
    if (w.changed) fs.writeFileSync(w.target, w.text);
    log(`spec:update: ${w.file} ${w.isNew ? 'added' : w.changed ? 'replaced' : 'unchanged'} (${w.row.endpoint})`);
  }
  const rowUpdates = writes.filter((w) => w.rowChanged).map((w) => w.row);
  if (rowUpdates.length) writeRows(root, rowUpdates);
  if (!writes.some((w) => w.changed)) {
    log('spec:update: no document changed; nothing regenerated.');
    return { changed: false };
  }
  for (const line of generate(root)) log(`  ${line}`);
  const { diff, label } = await specDiff({ root });
  const markdown = toMarkdown(diff, { since: label });
  log('');
  log(markdown);
  const changesetFile = path.join(root, CHANGESET_FILE);
  if (Object.keys(diff.packages).length === 0) {
    if (fs.existsSync(changesetFile)) fs.rmSync(changesetFile);
    log('spec:update: no changeset needed (nothing users see differs from the last release).');
  } else {
    const text = changesetText(diff, markdown, root);
    fs.writeFileSync(changesetFile, text);
    const bumps = [...text.matchAll(/^'([^']+)': (\w+)$/gm)].map(([, name, bump]) => `${name} ${bump}`);
    log(`spec:update: wrote ${CHANGESET_FILE} (${bumps.join(', ')}; 0.x numbering, see CONTRIBUTING.md); review it, then commit openapi/, the generated files, the node's versions/ and the changeset.`);
  }
  return { changed: true, diff };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const root = repoRoot;
  const sources = args.includes('--listed') ? [...listedUrls(root), ...args.filter((a) => a !== '--listed')] : args;
  if (sources.length === 0) {
    console.error(args.includes('--listed') ? 'spec:update: SOURCE.md lists no page by URL' : 'usage: pnpm spec:update <page file | yaml file | http(s) URL>... | --listed');
    process.exit(2);
  }
  try {
    await specUpdate(sources, { root });
  } catch (error) {
    console.error(`spec:update: ${error.message}`);
    process.exit(1);
  }
}
