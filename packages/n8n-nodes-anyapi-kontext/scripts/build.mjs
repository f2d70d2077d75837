// Bundles the node and the credential into CommonJS files under dist/ (n8n loads them with
// require()). What the node uses of @anyapi-kontext/core is bundled in, so the published
// package has no runtime dependencies; n8n-workflow stays external (n8n provides it).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// `--out <dir>` builds elsewhere (the lint packs a copy, so it never races a build of dist/).
const outFlag = process.argv.indexOf('--out');
const dist = outFlag > 0 ? path.resolve(process.argv[outFlag + 1]) : path.join(root, 'dist');
const isOwnDist = dist === path.join(root, 'dist');

const entries = {
  'nodes/AnyApiKontext/AnyApiKontext.node': 'nodes/AnyApiKontext/AnyApiKontext.node.ts',
  'credentials/AnyApiApi.credentials': 'credentials/AnyApiApi.credentials.ts',
};

fs.rmSync(dist, { recursive: true, force: true });
for (const [out, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(dist, `${out}.js`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['n8n-workflow'],
    // The portable entry of the core only: no Node built-ins, timers or process.
    conditions: ['default'],
    mainFields: ['module', 'main'],
    // libjpeg-turbo's WebAssembly (shared/uprightJpeg.ts) goes into the bundle as its bytes.
    loader: { '.wasm': 'binary' },
    legalComments: 'none',
    logLevel: 'warning',
    charset: 'utf8',
  });
}

// Static files next to the code: icons and the codex file.
for (const dir of ['nodes', 'credentials']) {
  const walk = (from) => {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      const full = path.join(from, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(svg|png)$/.test(entry.name) || entry.name.endsWith('.node.json')) {
        const target = path.join(dist, path.relative(root, full));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(full, target);
      }
    }
  };
  walk(path.join(root, dir));
}

// The built files must load with require() and export the classes n8n looks for (n8n-workflow
// resolves from the package's own node_modules, so only for dist/ itself).
if (isOwnDist) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const checks = {
    'nodes/AnyApiKontext/AnyApiKontext.node.js': 'AnyApiKontext',
    'credentials/AnyApiApi.credentials.js': 'AnyApiApi',
  };
  for (const [file, className] of Object.entries(checks)) {
    const mod = require(path.join(dist, file));
    if (typeof mod[className] !== 'function') throw new Error(`dist/${file} does not export ${className}`);
  }
}
const size = (f) => fs.statSync(path.join(dist, f)).size;
console.log(
  `built ${path.relative(root, dist) || dist}: node ${(size('nodes/AnyApiKontext/AnyApiKontext.node.js') / 1024).toFixed(1)} KiB, credential ${(size('credentials/AnyApiApi.credentials.js') / 1024).toFixed(1)} KiB`,
);
