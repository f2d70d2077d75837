#!/usr/bin/env node
// The guard every publishable package runs as `prepublishOnly`: refuses to publish a package
// whose build is missing (a file package.json names is not there) or whose `workspace:` /
// `catalog:` ranges would reach the registry. pnpm replaces those ranges in what it packs, so
// they are allowed only when pnpm publishes; `npm publish` would ship them as they are.
// Run in the package's folder (npm and pnpm run lifecycle scripts there).
import fs from 'node:fs';
import path from 'node:path';
import { publishProblems } from './lib/publish-problems.mjs';

const packageDir = process.cwd();
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
const userAgent = process.env.npm_config_user_agent ?? '';
const byPnpm = userAgent.startsWith('pnpm/');

const problems = publishProblems(manifest, (file) => fs.existsSync(path.join(packageDir, file)), {
  rangesReplacedOnPack: byPnpm,
});
if (problems.length > 0) {
  console.error(`${manifest.name}@${manifest.version} must not be published:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  if (!byPnpm) console.error('Publish with pnpm (`pnpm run release` at the repository root), which replaces workspace ranges.');
  process.exit(1);
}
console.log(`${manifest.name}@${manifest.version}: fit to publish (${byPnpm ? 'pnpm replaces workspace ranges' : 'no workspace ranges'}, build present).`);
