import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Most tests talk HTTP to an emulator that renders real images; a loaded 2-core CI machine
    // is many times slower than a quiet one, and no test asserts on time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
