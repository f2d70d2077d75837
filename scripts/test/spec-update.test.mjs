// Issue 18, "Done when": every change class of `pnpm spec:diff` driven through `pnpm spec:update`
// on one copy of the repository (scripts/lib/repo-copy.mjs; reset with git between cases, never
// built: the generated files, the changeset and the node's version records are what is checked),
// the printed and the JSON diff, the changeset's bump, the node's versions and the CLI's flags;
// and the scheduled workflow's script against a local HTTP server serving changed pages.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyWholeRepository } from '../lib/repo-copy.mjs';

const SEED = fs.readFileSync(new URL('../../openapi/anyapi/fal-ai-flux-pro-kontext.yaml', import.meta.url), 'utf8');
const MULTI = fs.readFileSync(new URL('../../openapi/anyapi/fal-ai-flux-pro-kontext-max-multi.yaml', import.meta.url), 'utf8');
const TEXT = fs.readFileSync(new URL('../../openapi/anyapi/fal-ai-flux-pro-kontext-text-to-image.yaml', import.meta.url), 'utf8');
const MAX = fs.readFileSync(new URL('../../openapi/anyapi/fal-ai-flux-pro-kontext-max.yaml', import.meta.url), 'utf8');
const PRO = '/fal-ai/flux-pro/kontext';
const VERSIONS = 'packages/n8n-nodes-anyapi-kontext/nodes/AnyApiKontext/versions';
const MODELS_TS = 'packages/n8n-nodes-anyapi-kontext/nodes/AnyApiKontext/generated/models.ts';

/** A page as users save it: bare (the seed's shape) or fenced (the family pages' shape). */
const barePage = (yaml, title = PRO) => `Skip to content\n\n${title}\n\nOpenAPI Specification\n\nyaml\n${yaml}\nAnyAPI — 专业的 AI 接口聚合服务\n`;
const fencedPage = (yaml, title) => `# ${title}\n\n## OpenAPI Specification\n\n\`\`\`yaml\n${yaml}\n\`\`\`\n`;

/** `text` with each [from, to] replaced once; fails the test if `from` is not there. */
function edit(text, ...replacements) {
  let out = text;
  for (const [from, to] of replacements) {
    assert.ok(out.includes(from), `the document has no ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

let copy;
let pages;
const run = (script, ...args) => {
  const result = spawnSync(process.execPath, [`scripts/spec/${script}`, ...args], { cwd: copy.root, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
};
/** The same, without blocking this process: the test's HTTP server must answer meanwhile. */
const runAsync = (script, ...args) =>
  new Promise((resolve) => {
    execFile(process.execPath, [`scripts/spec/${script}`, ...args], { cwd: copy.root, encoding: 'utf8' }, (error, out, err) =>
      resolve({ code: error ? (error.code ?? 1) : 0, out, err }),
    );
  });
const page = (name, text) => {
  const file = path.join(pages, name);
  fs.writeFileSync(file, text);
  return file;
};
const reset = () => {
  copy.git('reset', '-q', '--hard');
  copy.git('clean', '-q', '-fd');
};
const jsonDiff = () => JSON.parse(run('spec-diff.mjs', '--json').out);
const find = (diff, endpoint, field, kind) => diff.changes.find((c) => c.endpoint === endpoint && c.field === field && c.kind === kind);
const changesetBumps = () => {
  const text = copy.read('.changeset/anyapi-spec-update.md');
  return Object.fromEntries([...text.matchAll(/^'([^']+)': (major|minor|patch)$/gm)].map((m) => [m[1], m[2]]));
};
const nodeVersions = () => fs.readdirSync(copy.path(VERSIONS)).sort();

before(() => {
  copy = copyWholeRepository();
  pages = fs.mkdtempSync(path.join(os.tmpdir(), 'kontext-pages-'));
});
after(() => {
  copy?.remove();
  if (pages) fs.rmSync(pages, { recursive: true, force: true });
});

describe('spec:update refuses a source it cannot take, in one line, writing nothing', () => {
  it('refuses a page with no OpenAPI block, with two, one without paths, and YAML that does not parse', () => {
    const cases = [
      [page('none.md', '# A page\n\nNo spec here.\n'), /no OpenAPI block/],
      [page('two.md', fencedPage(SEED, 'a') + fencedPage(SEED, 'b')), /2 OpenAPI blocks \(lines 6, \d+\)/],
      [page('nopaths.yaml', 'openapi: 3.0.1\ninfo:\n  title: x\n  version: 1.0.0\npaths: {}\n'), /has no paths/],
      [page('broken.md', fencedPage('openapi: 3.0.1\npaths:\n  /a:\n    post: [unclosed\n', 'broken')), /does not parse as YAML/],
      [path.join(pages, 'missing.md'), /no such file/],
    ];
    for (const [source, message] of cases) {
      const { code, out, err } = run('spec-update.mjs', source);
      assert.equal(code, 1, source);
      assert.equal(out, '', source);
      assert.equal(err.trim().split('\n').length, 1, err);
      assert.match(err, message);
      assert.equal(copy.git('status', '--porcelain'), '', `${source} wrote something`);
    }
  });

  it('takes the page it already has without changing anything (bare page, then a YAML file)', () => {
    const seedPage = fs.readFileSync(new URL('../../openapi/anyapi/SOURCE.md', import.meta.url), 'utf8');
    assert.match(seedPage, /fal-ai-flux-pro-kontext\.yaml/);
    const { code, out } = run('spec-update.mjs', page('anyapi-flux-pro-kontext.txt', fs.readFileSync('/dev/null', 'utf8') + barePage(SEED.replace(/\n$/, ''))));
    assert.equal(code, 0);
    assert.match(out, /fal-ai-flux-pro-kontext\.yaml unchanged/);
    assert.match(out, /no document changed; nothing regenerated/);
    // The saved page differs from the seed's (another page around the same YAML): only its row is new.
    assert.deepEqual(copy.git('status', '--porcelain').trim().split('\n'), ['M openapi/anyapi/SOURCE.md']);
    reset();
  });
});

describe('a breaking update of [pro] and [max] Multi', () => {
  let first;
  let diff;
  before(() => {
    // AnyAPI drops num_images, renames guidance_scale to guidance (and narrows it to 1-10),
    // narrows safety_tolerance to 1-3, adds a required style; [max] Multi now requires guidance_scale.
    const pro = edit(
      SEED,
      ['                num_images:\n                  type: integer\n                  description: 生成的图像数量。默认值:1   范围值1-4\n', ''],
      ['                guidance_scale:\n', '                guidance:\n'],
      ['范围值1-20', '范围值1-10'],
      ['1 表示最严格,5 表示最宽松', '1 表示最严格,3 表示最宽松'],
      ['                image_url:\n                  type: string\n', '                style:\n                  type: string\n                  description: 风格\n                image_url:\n                  type: string\n'],
      ['              required:\n                - prompt\n', '              required:\n                - prompt\n                - style\n'],
      ['                - guidance_scale\n                - num_images\n', '                - guidance\n'],
    );
    const multi = edit(MULTI, ['              required:\n', '              required:\n                - guidance_scale\n']);
    // [max]'s seed becomes a string: the document's type wins over kontext.yaml's integer.
    const max = edit(MAX, ['                seed:\n                  type: integer\n', '                seed:\n                  type: string\n']);
    // The rename is ours to declare: a document cannot say it.
    copy.write('openapi/kontext.yaml', edit(copy.read('openapi/kontext.yaml'), ['x-renamed-fields: []', `x-renamed-fields:\n  - { endpoint: ${PRO}, from: guidance_scale, to: guidance }`]));
    copy.git('commit', '-qam', 'declare the rename');
    first = run(
      'spec-update.mjs',
      page('pro.txt', barePage(pro.replace(/\n$/, ''))),
      page('multi.md', fencedPage(multi, '/fal-ai/flux-pro/kontext/max/multi')),
      page('max.md', fencedPage(max, '/fal-ai/flux-pro/kontext/max')),
    );
    diff = jsonDiff();
  });
  after(reset);

  it('replaces the documents byte for byte, records the pages, and says what changed for whom', () => {
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /fal-ai-flux-pro-kontext\.yaml replaced/);
    assert.match(first.out, /safety_tolerance: kontext\.yaml says enum \["1","2","3","4","5"\], AnyAPI's document says \["1","2","3"\]; the document wins/);
    assert.match(first.out, /\*\*major\*\* change since the last release/);
    assert.match(first.out, /\| \/fal-ai\/flux-pro\/kontext \| num_images \| field-removed: .* \| \*\*does not compile\*\* \| \*\*fails\*\* \| \*\*flag gone\*\* \|/);
    assert.match(first.out, /\| \/fal-ai\/flux-pro\/kontext \| guidance \| field-renamed: guidance_scale -> guidance.* \| \*\*does not compile\*\* \| same \| same \|/);
    assert.match(copy.read('openapi/anyapi/SOURCE.md'), /\| `fal-ai-flux-pro-kontext\.yaml` \| `\/fal-ai\/flux-pro\/kontext` \| `pro\.txt` \([0-9a-f]{64}\) \| 8 to \d+ \| \d{4}-\d\d-\d\d \|/);
    assert.equal(copy.read('openapi/anyapi/fal-ai-flux-pro-kontext.yaml').includes('guidance:\n'), true);
  });

  it('classifies each change in the JSON diff', () => {
    assert.equal(diff.bump, 'major');
    assert.deepEqual(find(diff, PRO, 'num_images', 'field-removed'), { ...find(diff, PRO, 'num_images', 'field-removed'), breaking: true, typescript: 'breaks', n8n: 'fails', cli: 'flag gone' });
    assert.equal(find(diff, PRO, 'guidance', 'field-renamed').renamedFrom, 'guidance_scale');
    assert.equal(find(diff, PRO, 'guidance', 'range-narrowed').breaking, true);
    assert.match(find(diff, PRO, 'safety_tolerance', 'choice-removed').detail, /4, 5/);
    assert.deepEqual(
      (({ breaking, typescript, n8n, cli }) => ({ breaking, typescript, n8n, cli }))(find(diff, PRO, 'style', 'field-added-required')),
      { breaking: true, typescript: 'breaks', n8n: 'fails', cli: 'flag required' },
    );
    assert.equal(find(diff, '/fal-ai/flux-pro/kontext/max/multi', 'guidance_scale', 'required-added').breaking, true);
    assert.deepEqual(
      (({ breaking, typescript, n8n, cli, detail }) => ({ breaking, typescript, n8n, cli, detail }))(find(diff, '/fal-ai/flux-pro/kontext/max', 'seed', 'type-changed')),
      { breaking: true, typescript: 'breaks', n8n: 'fails', cli: 'value refused', detail: 'integer -> string' },
    );
    assert.equal(find(diff, PRO, 'guidance_scale', 'field-removed'), undefined, 'a declared rename is not a removal');
    for (const change of diff.changes) assert.deepEqual(Object.keys(change).slice(0, 4), ['endpoint', 'field', 'kind', 'breaking']);
  });

  it('writes a changeset for every package, breaking numbered as a minor step before 1.0', () => {
    assert.deepEqual(changesetBumps(), {
      '@anyapi-kontext/openapi': 'minor',
      '@anyapi-kontext/core': 'minor',
      '@anyapi-kontext/emulator': 'minor',
      'n8n-nodes-anyapi-kontext': 'minor',
      '@anyapi-kontext/kontext-cli': 'minor',
    });
    assert.match(copy.read('.changeset/anyapi-spec-update.md'), /\| num_images \| field-removed/);
    assert.equal(run('check-changeset.mjs').code, 0);
  });

  it('adds node version 2.1 (the latest, 2, plus 0.1) for new workflows and leaves versions 1 and 2 as they were', () => {
    assert.deepEqual(nodeVersions(), ['1.json', '2.1.json', '2.json']);
    assert.equal(copy.git('diff', '--name-only', 'HEAD', '--', `${VERSIONS}/1.json`, `${VERSIONS}/2.json`), '');
    assert.match(copy.read(MODELS_TS), /export const NODE_VERSIONS: number\[\] = \[1, 2, 2\.1\];/);
    assert.match(first.out, /node version 2\.1 added/);
    const v11 = JSON.parse(copy.read(`${VERSIONS}/2.1.json`));
    assert.deepEqual(v11.models[PRO].fields.map((f) => f.field).filter((f) => f !== 'image_url').slice(0, 4), ['prompt', 'style', 'guidance', 'output_format']);
  });

  it('gives the CLI the new flags: --num-images gone, --style new, --guidance kept', () => {
    assert.equal(find(diff, PRO, 'num_images', 'field-removed').cli, 'flag gone');
    assert.match(find(diff, PRO, 'guidance', 'field-renamed').detail, /--guidance is unchanged/);
    assert.match(find(diff, PRO, 'style', 'field-added-required').detail, /--style/);
  });

  it('changes nothing when run again on the same pages', () => {
    const status = copy.git('status', '--porcelain');
    const again = run('spec-update.mjs', path.join(pages, 'pro.txt'), path.join(pages, 'multi.md'), path.join(pages, 'max.md'));
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /no document changed; nothing regenerated/);
    assert.equal(copy.git('status', '--porcelain'), status);
  });

  it('compares with any git ref (--since)', () => {
    const since = JSON.parse(run('spec-diff.mjs', '--json', '--since', 'HEAD').out);
    assert.deepEqual(since.changes, diff.changes);
  });

  it('fails verify\'s changeset check when the changeset is missing or too small', () => {
    // The copy's other pending changesets (this repository's own) are not about this change.
    for (const file of fs.readdirSync(copy.path('.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) fs.rmSync(copy.path('.changeset', file));
    const missing = run('check-changeset.mjs');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /@anyapi-kontext\/core: needs at least minor/);
    fs.writeFileSync(copy.path('.changeset/too-small.md'), "---\n'@anyapi-kontext/core': patch\n---\n\nnum_images, guidance, style, safety_tolerance, guidance_scale.\n");
    assert.match(run('check-changeset.mjs').err, /@anyapi-kontext\/core: needs at least minor/);
    // Big enough, but saying nothing of what changed: not a release note.
    fs.writeFileSync(copy.path('.changeset/too-small.md'), `---\n${['openapi', 'core', 'emulator', 'kontext-cli'].map((p) => `'@anyapi-kontext/${p}': minor`).join('\n')}\n'n8n-nodes-anyapi-kontext': minor\n---\n\nSomething changed.\n`);
    const silent = run('check-changeset.mjs');
    assert.equal(silent.code, 1);
    assert.match(silent.err, /no pending changeset names num_images of \/fal-ai\/flux-pro\/kontext/);
  });
});

describe('a compatible update: a new model, a new optional field, a new choice, a wider range, a dropped requirement', () => {
  let result;
  let diff;
  before(() => {
    const text = edit(
      TEXT,
      ['范围值1-4', '范围值1-8'],
      ['9：16、9：21', '9：16、9：21、4：5'],
      ['                aspect_ratio:\n', '                negative_prompt:\n                  type: string\n                  description: 不希望出现在图像中的内容\n                aspect_ratio:\n'],
    );
    const multi = edit(MULTI, ['                - image_urls\n', '']);
    const lite = SEED.replaceAll('/fal-ai/flux-pro/kontext', '/fal-ai/flux-pro/kontext/lite');
    result = run('spec-update.mjs', page('t2i.md', fencedPage(text, 't2i')), page('multi.md', fencedPage(multi, 'multi')), page('lite.yaml', lite));
    diff = jsonDiff();
  });
  after(reset);

  it('classifies each as compatible, a minor change (patch before 1.0)', () => {
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /fal-ai-flux-pro-kontext-lite\.yaml added/);
    const T2I = '/fal-ai/flux-pro/kontext/text-to-image';
    assert.ok(find(diff, '/fal-ai/flux-pro/kontext/lite', null, 'model-added'));
    assert.ok(find(diff, T2I, 'negative_prompt', 'field-added'));
    assert.match(find(diff, T2I, 'aspect_ratio', 'choice-added').detail, /4:5/);
    assert.ok(find(diff, T2I, 'num_images', 'range-widened'));
    assert.ok(find(diff, '/fal-ai/flux-pro/kontext/max/multi', 'image_urls', 'required-dropped'));
    assert.equal(diff.changes.filter((c) => c.breaking).length, 0);
    assert.equal(diff.bump, 'minor');
    assert.equal(changesetBumps()['@anyapi-kontext/core'], 'patch');
    assert.equal(find(diff, T2I, 'negative_prompt', 'field-added').cli, 'new flag');
  });

  it('is recorded by the release step: afterwards spec:diff reports nothing and no changeset is needed', () => {
    const release = run('record-release.mjs');
    assert.equal(release.code, 0, release.err);
    assert.match(release.out, /openapi\/released\.json now holds what 0\.1\.0 released \(5 models, node versions 1, 2\)/);
    assert.match(run('spec-diff.mjs').out, /No change users can see since the last release/);
    fs.rmSync(copy.path('.changeset/anyapi-spec-update.md'));
    assert.equal(run('check-changeset.mjs').code, 0);
    // What it released is now the baseline: the same update again is nothing new.
    assert.ok(JSON.parse(copy.read('openapi/released.json')).surface.endpoints['/fal-ai/flux-pro/kontext/lite']);
  });

  it('puts compatible changes into the current node version: no new version', () => {
    assert.deepEqual(nodeVersions(), ['1.json', '2.json']);
    assert.match(copy.read(MODELS_TS), /export const NODE_VERSIONS: number\[\] = \[1, 2\];/);
    assert.match(copy.read(`${VERSIONS}/2.json`), /negativePrompt/);
  });
});

describe('a model AnyAPI removed', () => {
  after(reset);
  it('is breaking everywhere and adds a node version in which it is gone', async () => {
    fs.rmSync(copy.path('openapi/anyapi/fal-ai-flux-pro-kontext-max.yaml'));
    const kontext = copy.read('openapi/kontext.yaml');
    copy.write('openapi/kontext.yaml', kontext.replace(/ {2}\/fal-ai\/flux-pro\/kontext\/max:\n( {4}.*\n|\s*\n)*?(?= {2}\/fal-ai\/flux-pro\/kontext\/max\/multi:)/, ''));
    const { generate } = await import(`${copy.path('scripts/spec/spec-update.mjs')}`);
    generate(copy.root);
    const diff = jsonDiff();
    const removed = find(diff, '/fal-ai/flux-pro/kontext/max', null, 'model-removed');
    assert.deepEqual((({ breaking, typescript, n8n, cli }) => ({ breaking, typescript, n8n, cli }))(removed), { breaking: true, typescript: 'breaks', n8n: 'fails', cli: 'value refused' });
    assert.deepEqual(nodeVersions(), ['1.json', '2.1.json', '2.json']);
    assert.match(copy.read(MODELS_TS), /removed: true/);
    assert.equal(MAX.includes('/fal-ai/flux-pro/kontext/max'), true);
  });
});

describe('the scheduled workflow: spec:update on the pages SOURCE.md lists by URL', () => {
  let server;
  let served;
  before(async () => {
    server = http.createServer((request, response) => {
      const body = served[request.url];
      response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/markdown; charset=utf-8' });
      response.end(body ?? 'not found');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    reset();
    await new Promise((resolve) => server.close(resolve));
  });

  it('opens nothing when the pages are unchanged, and a pull request body with the diff when one changed', async () => {
    const base = `http://127.0.0.1:${server.address().port}`;
    served = { '/t2i': fencedPage(TEXT, 't2i') };
    // A maintainer brought the page in by URL once: SOURCE.md lists it by its URL from then on.
    const first = await runAsync('spec-update.mjs', `${base}/t2i`);
    assert.equal(first.code, 0, first.err);
    assert.match(copy.read('openapi/anyapi/SOURCE.md'), new RegExp(`<${base}/t2i>`));
    copy.git('commit', '-qam', 'list the page by URL');

    const body = path.join(pages, 'body.md');
    const unchanged = await runAsync('scheduled-update.mjs', '--body', body);
    assert.equal(unchanged.code, 0, unchanged.err);
    assert.match(unchanged.out, /changed=false/);
    assert.equal(fs.existsSync(body), false);

    // AnyAPI raises text-to-image's default guidance to 5: the document wins over kontext.yaml's 3.5.
    served['/t2i'] = fencedPage(edit(TEXT, ['默认值：3.5', '默认值：5']), 't2i');
    const changed = await runAsync('scheduled-update.mjs', '--body', body);
    assert.equal(changed.code, 0, changed.err);
    assert.match(changed.out, /changed=true/);
    const text = fs.readFileSync(body, 'utf8');
    assert.match(text, /\| \/fal-ai\/flux-pro\/kontext\/text-to-image \| guidance_scale \| default-changed: 3\.5 -> 5 \| compiles \| same \| different \|/);
    assert.match(text, /kontext\.yaml says default 3\.5, AnyAPI's document says 5; the document wins/);
    // Saved workflows keep sending 3.5: the default change makes a node version.
    assert.deepEqual(nodeVersions(), ['1.json', '2.1.json', '2.json']);

    served = {};
    const gone = await runAsync('scheduled-update.mjs', '--body', body);
    assert.equal(gone.code, 1);
    assert.match(gone.err, /answered 404/);
  });
});
