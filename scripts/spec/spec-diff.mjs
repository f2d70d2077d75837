// pnpm spec:diff [--json] [--since <git ref>]: what changed for users since the last release
// (openapi/released.json) or since any git ref. Markdown for people; --json for machines:
// { bump, changes: [{ endpoint, field, kind, breaking, typescript, n8n, cli, detail }], packages }.
import { diffSurfaces, toMarkdown } from './classify.mjs';
import { gitTree, releasedSurface, repoRoot, surfaceOf, workingTree } from './surface.mjs';

/** The diff of the working tree at `root` against the release record, or against `since`. */
export async function specDiff({ root = repoRoot, since } = {}) {
  const tree = workingTree(root);
  let before;
  let label;
  if (since) {
    before = await surfaceOf(gitTree(since, root));
    label = since;
  } else {
    before = releasedSurface(tree);
    label = 'the last release (openapi/released.json)';
    if (!before) throw new Error('no release recorded yet (openapi/released.json); pass --since <git ref>');
  }
  return { diff: diffSurfaces(before, await surfaceOf(tree)), label };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const sinceAt = args.indexOf('--since');
  const since = sinceAt === -1 ? undefined : args[sinceAt + 1];
  const unknown = args.filter((a, i) => a !== '--json' && a !== '--since' && !(sinceAt !== -1 && i === sinceAt + 1));
  if (unknown.length || (sinceAt !== -1 && !since)) {
    console.error('usage: pnpm spec:diff [--json] [--since <git ref>]');
    process.exit(2);
  }
  try {
    const { diff, label } = await specDiff({ since });
    process.stdout.write(json ? `${JSON.stringify(diff, null, 2)}\n` : toMarkdown(diff, { since: label }));
  } catch (error) {
    console.error(`spec:diff: ${error.message}`);
    process.exit(1);
  }
}
