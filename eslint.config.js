import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Globals n8n's community-node lint forbids. The portable core is bundled into the n8n node,
// so it is held to the same rule here, where a mistake is cheap to see.
const N8N_FORBIDDEN_GLOBALS = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'process', 'globalThis', 'require'];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/generated/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**', 'out/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Every file here runs on Node (scripts, tests, e2e drivers, the packages): Node's globals, as
      // the Node version we support has them, not a hand-kept list that misses some (it lacked
      // structuredClone, so the n8n e2e scripts failed no-undef). The portable core, bundled into
      // the n8n node, is still held to n8n's forbidden globals below.
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/node/**', 'packages/core/src/index.ts', 'packages/core/src/fetch.ts'],
    rules: {
      'no-restricted-globals': ['error', ...N8N_FORBIDDEN_GLOBALS.map((name) => ({ name, message: `The portable core must not use ${name}: the n8n node bundles it.` }))],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\.{1,2}/)', message: 'The portable core imports nothing from outside the package.' },
            { regex: '(^|/)node/', message: 'Node-only code stays out of the portable core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
