// The release step's record of what it released (openapi/released.json): the spec's submit
// bodies, the n8n node's parameters per version and the CLI's flags, with the packages' version.
// `pnpm version-packages` runs it after `changeset version`, so the Version Packages pull request
// carries it; `pnpm spec:diff` and `pnpm verify` (scripts/spec/check-changeset.mjs) compare with it.
import fs from 'node:fs';
import path from 'node:path';
import { RELEASE_RECORD, repoRoot, surfaceOf, workingTree } from './surface.mjs';

const root = repoRoot;
const version = JSON.parse(fs.readFileSync(path.join(root, 'packages', 'core', 'package.json'), 'utf8')).version;
const record = {
  $comment: 'Written by the release step (pnpm version-packages -> scripts/spec/record-release.mjs). Do not edit.',
  version,
  surface: await surfaceOf(workingTree(root)),
};
fs.writeFileSync(path.join(root, RELEASE_RECORD), `${JSON.stringify(record, null, 2)}\n`);
console.log(`record-release: ${RELEASE_RECORD} now holds what ${version} released (${Object.keys(record.surface.endpoints).length} models, node versions ${Object.keys(record.surface.node.versions).join(', ')})`);
