// Bundle sizes, measured: each entry bundled with its dependencies by esbuild, minified, then
// gzipped (level 9). Each output file is gzipped on its own, as it would be served or loaded.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';

// sharp is a native addon: a bundler cannot take it in (its JavaScript loads a platform's
// .node binary), and sharp's installation guide tells esbuild and webpack users to leave it
// external, as a bundler user of the core must. Bundled, its CommonJS wrappers also made
// esbuild add a runtime-helper chunk that the entry imports (479 bytes gzipped) though Node
// never loads sharp with `import`.
const external = [...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'sharp'];

const sizeOf = (files) => ({
  minified: files.reduce((sum, file) => sum + file.contents.length, 0),
  gzipped: files.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).length, 0),
});

/**
 * One file with everything the entry can reach, dynamic imports inlined: what a bundler
 * without code splitting (the n8n node's build) takes in.
 */
export async function bundleSize(entry, { platform = 'node' } = {}) {
  const result = await build({ ...options(entry, platform), write: false });
  return sizeOf(result.outputFiles);
}

/**
 * The entry with code splitting, as `import` loads it: `upFront` is the entry chunk and every
 * chunk it imports statically (all that `import '<entry>'` loads); `then` adds, for each named
 * case, the chunks its dynamic imports load (`lazy`: source paths of the modules imported
 * lazily, e.g. 'queue/queue-work'); `all` is every chunk the entry can ever load.
 */
export async function splitBundleSize(entry, cases, { platform = 'node' } = {}) {
  const result = await build({ ...options(entry, platform), splitting: true, outdir: '/bundle', metafile: true, write: false });
  const files = new Map(result.outputFiles.map((file) => [file.path, file]));
  const outputs = result.metafile.outputs;
  // The metafile names outputs relative to the working directory, outputFiles by absolute path.
  const pathOf = (name) => resolve(name);
  const entryName = Object.keys(outputs).find((name) => outputs[name].entryPoint === '<stdin>');
  /** The chunk files `name` loads with it: itself and its static imports, transitively. */
  const closure = (names, seen = new Set()) => {
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      closure(outputs[name].imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path), seen);
    }
    return seen;
  };
  const sizeOfNames = (names) => sizeOf([...names].map((name) => files.get(pathOf(name))));
  const upFrontNames = closure([entryName]);
  const dynamicChunk = (lazy) => {
    const name = Object.keys(outputs).find((n) => outputs[n].entryPoint?.replace(/\.(js|ts)$/, '').endsWith(lazy));
    if (!name) throw new Error(`bundle-size: ${entry} has no lazily loaded module ${lazy}`);
    return name;
  };
  const then = {};
  for (const [caseName, lazy] of Object.entries(cases)) {
    then[caseName] = sizeOfNames(closure(lazy.map(dynamicChunk), new Set(upFrontNames)));
  }
  return { upFront: sizeOfNames(upFrontNames), then, all: sizeOf(result.outputFiles) };
}

function options(entry, platform) {
  return {
    stdin: { contents: `export * from '${entry}';`, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    external,
    logLevel: 'silent',
  };
}
