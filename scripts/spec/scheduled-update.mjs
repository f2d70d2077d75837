// What the scheduled workflow (.github/workflows/spec-update.yml) runs: `spec:update` on every
// page openapi/anyapi/SOURCE.md lists by URL, and, when a document changed, the pull request's
// description (the diff, for people) written to the file given as --body. It prints `changed=true`
// or `changed=false` for the workflow's next step (GITHUB_OUTPUT). Tested against a local HTTP
// server in scripts/test/spec-update.test.mjs.
import fs from 'node:fs';
import { listedUrls, specUpdate } from './spec-update.mjs';

const bodyAt = process.argv.indexOf('--body');
const bodyFile = bodyAt === -1 ? undefined : process.argv[bodyAt + 1];
if (!bodyFile) {
  console.error('usage: node scripts/spec/scheduled-update.mjs --body <file>');
  process.exit(2);
}
const urls = listedUrls();
if (urls.length === 0) {
  console.log('spec:update: SOURCE.md lists no page by URL; nothing to fetch.');
  console.log('changed=false');
  process.exit(0);
}
const lines = [];
try {
  const { changed } = await specUpdate(urls, { log: (line) => (console.log(line), lines.push(line)) });
  if (changed) {
    const body = [
      'AnyAPI changed its documentation pages. This pull request was opened by the scheduled `spec-update` workflow,',
      'which ran `pnpm spec:update --listed` on the pages `openapi/anyapi/SOURCE.md` lists.',
      '',
      ...lines,
      '',
      'Review the warnings above (kontext.yaml may need English for new fields, or an update where AnyAPI now says otherwise), and the changeset.',
    ].join('\n');
    fs.writeFileSync(bodyFile, `${body}\n`);
  }
  console.log(`changed=${changed}`);
} catch (error) {
  console.error(`spec:update: ${error.message}`);
  process.exit(1);
}
