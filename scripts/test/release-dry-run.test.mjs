// The release on a scratch copy, up to the upload: `changeset version`, `pnpm pack`, and
// `pnpm publish -r --dry-run` (scripts/release-dry-run.mjs; it checks each step and fails
// naming what is wrong). Needs the packages built and the npm registry reachable.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { publishablePackages, repoRoot } from '../lib/workspace.mjs';

it('versions, packs without workspace ranges and (dry-run) publishes every publishable package', () => {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'release-dry-run.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  for (const pkg of publishablePackages()) {
    assert.match(result.stdout, new RegExp(`pnpm publish -r --dry-run: .*${pkg.name.replace('/', '\\/')}@`));
  }
});
