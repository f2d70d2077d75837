import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // As the build does (scripts/build.mjs, loader '.wasm': 'binary'): a .wasm import is its bytes.
  plugins: [
    {
      name: 'wasm-as-bytes',
      enforce: 'pre',
      load(id) {
        if (!id.endsWith('.wasm')) return undefined;
        return `export default new Uint8Array(Buffer.from(${JSON.stringify(fs.readFileSync(id).toString('base64'))}, 'base64'));`;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.mts'],
    testTimeout: 60_000,
    // Through Vite, so that the plugin above loads the decoder's .wasm.
    server: { deps: { inline: [/@cwasm\/jpeg-turbo/] } },
  },
});
