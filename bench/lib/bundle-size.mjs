// Bundle sizes, measured: each entry bundled with its dependencies by esbuild, minified, then gzipped.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { builtinModules } from 'node:module';

const external = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export async function bundleSize(entry, { platform = 'node' } = {}) {
  const result = await build({
    stdin: { contents: `export * from '${entry}';`, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    external,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}
