// What every e2e suite needs besides n8n itself: the packed node package (as n8n loads it from
// npm) and a tiny host serving the fixture images at public-looking URLs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const pkgRoot = path.resolve(here, '..');
export const fixtures = path.join(here, 'fixtures');

/** `npm pack` of the built package (this one, or a copy's at `root`), unpacked in `work`; n8n loads it from the returned `dir`. */
export function packTarball(work, root = pkgRoot) {
  if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'AnyApiKontext', 'AnyApiKontext.node.js'))) {
    throw new Error('dist/ is missing: run `pnpm build` first');
  }
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  spawnSync('tar', ['xzf', path.join(work, info.filename), '-C', work], { stdio: 'inherit' });
  return { dir: path.join(work, 'package'), info };
}

/** A tiny file host for the input image (a public URL, as fal's file host would be). */
export async function startImageHost() {
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url, 'http://x').pathname);
    const file = path.join(fixtures, name);
    if (!fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': name.endsWith('.png') ? 'image/png' : 'text/plain' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) };
}

// The example workflows name a public image, a file path and the published package's node
// type; in the tests they run on the image host, the fixtures and the unpacked tarball
// (which n8n registers as CUSTOM.*).
const EXAMPLE_IMAGE_URL = 'https://v3.fal.media/files/rabbit/rmgBxhwGYb2d3pl3x9sKf_output.png';
const EXAMPLE_FILES_DIR = '/home/node/.n8n-files/';
const PACKAGE_NODE_TYPE = 'n8n-nodes-anyapi-kontext.anyApiKontext';
export const CUSTOM_NODE_TYPE = 'CUSTOM.anyApiKontext';

/** Every example workflow in examples/, in file order, ready to import in a test. */
export function loadExamples(imageUrl) {
  const dir = path.join(pkgRoot, 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const text = fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split(EXAMPLE_IMAGE_URL).join(imageUrl)
        .split(EXAMPLE_FILES_DIR).join(`${fixtures}${path.sep}`)
        .split(PACKAGE_NODE_TYPE).join(CUSTOM_NODE_TYPE);
      return JSON.parse(text);
    });
}

/** Workflows `n8n execute` can run (a manual trigger); the others need a running n8n (queue-mode suite). */
export const runsManually = (workflow) => workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger');
