// `pnpm verify` step: when the spec, the node's parameters or the CLI's flags differ from the
// last release (openapi/released.json), a pending changeset must name every package the change
// reaches with at least the bump the diff requires (before 1.0: CONTRIBUTING.md). Otherwise a
// release could ship a breaking change as a patch, or say nothing of it.
import fs from 'node:fs';
import path from 'node:path';
import { bumpAtLeast, changesetBump } from './classify.mjs';
import { specDiff } from './spec-diff.mjs';
import { repoRoot } from './surface.mjs';

/** The pending changesets' bumps per package and text: `{ file, packages: { name: bump }, text }[]`. */
export function pendingChangesets(root = repoRoot) {
  const dir = path.join(root, '.changeset');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
      const packages = Object.fromEntries(
        front
          .split('\n')
          .map((line) => /^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line))
          .filter(Boolean)
          .map(([, name, bump]) => [name.trim(), bump]),
      );
      return { file, packages, text: text.slice(front.length) };
    });
}

/**
 * What is missing: each package no pending changeset bumps enough (`{ name, required }`), and each
 * change that no changeset bumping enough names, by field (or model) (`{ change }`): a changeset
 * covers a change when a user reading it learns of it.
 */
export function uncovered(diff, changesets, versionOf) {
  const missing = [];
  const covering = [];
  for (const [name, bump] of Object.entries(diff.packages)) {
    const required = changesetBump(bump, versionOf(name));
    const found = changesets.filter((c) => c.packages[name] && bumpAtLeast(c.packages[name], required));
    if (found.length === 0) missing.push({ name, required });
    covering.push(...found);
  }
  if (missing.length) return missing;
  for (const change of diff.changes) {
    const word = change.field ?? change.endpoint;
    if (word && !covering.some((c) => c.text.includes(word))) missing.push({ change });
  }
  return missing;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { diff } = await specDiff();
  const versions = Object.fromEntries(
    ['openapi', 'packages/core', 'packages/emulator', 'packages/n8n-nodes-anyapi-kontext', 'apps/kontext-cli'].map((dir) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'));
      return [pkg.name, pkg.version];
    }),
  );
  const missing = uncovered(diff, pendingChangesets(), (name) => versions[name]);
  if (diff.changes.length === 0 && diff.nodeVersionsAdded.length === 0) {
    console.log('check:changeset: the spec, the node\'s parameters and the CLI\'s flags are as last released.');
  } else if (missing.length === 0) {
    console.log(`check:changeset: ${diff.changes.length} change(s) since the last release, covered by the pending changesets.`);
  } else {
    console.error(`check:changeset: the spec, the node's parameters or the CLI's flags changed since the last release (${diff.bump}), and no pending changeset covers:`);
    for (const { name, required, change } of missing) {
      console.error(change ? `  no pending changeset names ${change.field ?? change.endpoint} of ${change.endpoint} (${change.kind})` : `  ${name}: needs at least ${required}`);
    }
    console.error('`pnpm spec:diff` says what changed; `pnpm spec:update` writes the changeset, or add one by hand (`pnpm changeset`).');
    process.exit(1);
  }
}
