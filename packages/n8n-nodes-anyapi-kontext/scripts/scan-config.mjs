// The ESLint setup of n8n's verification scanner, @n8n/scan-community-package 0.32.0
// (scanner/scanner.mjs: buildScanConfig and analyzePackage), reproduced rule for rule. The
// scanner package itself cannot run here: it pins typescript 7.0.2, whose JS API
// @typescript-eslint's parser cannot load, so it crashes before linting anything.
import { ESLint } from 'eslint';
import { defineConfig } from 'eslint/config';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import fs from 'node:fs';
import path from 'node:path';

/** What the scanner lints of a package's source checkout. */
export const SOURCE_FILE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];
/** What it lints of the published tarball. */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

export function buildScanConfig() {
  return defineConfig(
    n8nCommunityNodesPlugin.configs.recommended,
    { rules: { 'no-console': 'error' } },
    { plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
    { files: ['package.json'], rules: { ...n8nNodesPlugin.configs.community.rules } },
    {
      files: ['**/credentials/**/*.ts'],
      rules: {
        ...n8nNodesPlugin.configs.credentials.rules,
        'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
        'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
      },
    },
    {
      files: ['**/nodes/**/*.ts'],
      rules: {
        ...n8nNodesPlugin.configs.nodes.rules,
        'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
        'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
        'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
      },
    },
    { files: ['**/*.json'], languageOptions: { parser: tsParser } },
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  );
}

function globFiles(dir, patterns) {
  // fs.globSync is not in Node 20; a small walk with the two pattern shapes the scanner uses.
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else out.push(child);
    }
  };
  walk('');
  const matchers = patterns.map((p) => {
    if (p === 'package.json') return (f) => f === 'package.json';
    if (p === '**/*.js') return (f) => f.endsWith('.js');
    if (p === '{nodes,credentials}/**/*.{js,ts,json}') return (f) => /^(nodes|credentials)\/.+\.(js|ts|json)$/.test(f);
    throw new Error(`unsupported pattern ${p}`);
  });
  return out.filter((f) => !f.endsWith('package-lock.json') && matchers.some((m) => m(f))).map((f) => path.join(dir, f));
}

/** Lints `dir` as the scanner does; resolves to { passed, files, details }. */
export async function analyzePackage(dir, patterns) {
  const eslint = new ESLint({
    cwd: dir,
    allowInlineConfig: false,
    overrideConfigFile: true,
    overrideConfig: buildScanConfig(),
  });
  const files = globFiles(dir, patterns);
  if (files.length === 0) return { passed: true, files: [], details: 'No files found to analyze' };
  const results = await eslint.lintFiles(files);
  const formatter = await eslint.loadFormatter('stylish');
  const details = await formatter.format(results);
  return { passed: results.every((r) => r.errorCount === 0), files: files.map((f) => path.relative(dir, f)), details };
}
