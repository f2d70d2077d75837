// What changed between two surfaces (scripts/spec/surface.mjs), per model and field, and for
// whom: TypeScript callers (compiles or not), saved n8n workflows (same, different, fails) and
// CLI scripts (flag gone, value now refused). Ours, not an OpenAPI diff tool's, because:
//   - @pb33f/openapi-changes 0.0.67 is a Go binary its postinstall downloads from GitHub
//     releases, which CI here cannot reach (npm install fails with ENOTFOUND github.com);
//   - @useoptic/optic 1.0.9 installs (633 packages) but `optic diff` dies at start on Node 20
//     (its spectral/ajv rule compile throws "SyntaxError: Unexpected token ':'");
//   - and neither knows what n8n does with a saved parameter, our CLI's flags, or a rename that
//     only kontext.yaml can declare: the classification would be ours anyway. What is compared
//     is small (per model, each field's JSON-schema keywords), so the diff itself is too.

const BUMPS = ['none', 'patch', 'minor', 'major'];
export const maxBump = (...bumps) => bumps.reduce((a, b) => (BUMPS.indexOf(b) > BUMPS.indexOf(a) ? b : a), 'none');
export const bumpAtLeast = (bump, required) => BUMPS.indexOf(bump) >= BUMPS.indexOf(required);

/** The packages a spec change reaches, by audience. */
export const PACKAGES = {
  spec: ['@anyapi-kontext/openapi', '@anyapi-kontext/core', '@anyapi-kontext/emulator'],
  node: 'n8n-nodes-anyapi-kontext',
  cli: '@anyapi-kontext/kontext-cli',
};

const json = (value) => (value === undefined ? 'none' : JSON.stringify(value));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The CLI flag that sets `field` of `endpoint`, e.g. `--guidance`. */
function flagOf(cli, endpoint, field) {
  return Object.entries(cli?.[endpoint] ?? {}).find(([, flag]) => flag.field === field)?.[0];
}

/** How one field changed: the kinds, each with what it does to each audience. */
function fieldChanges(was, is) {
  const out = [];
  const add = (kind, breaking, effect, detail) => out.push({ kind, breaking, ...effect, detail });
  if (was.type !== is.type || (was.items ?? null) !== (is.items ?? null)) {
    add('type-changed', true, { typescript: 'breaks', n8n: 'fails', cli: 'value refused' }, `${was.type}${was.items ? `<${was.items}>` : ''} -> ${is.type}${is.items ? `<${is.items}>` : ''}`);
    return out;
  }
  const wasChoices = was.enum;
  const isChoices = is.enum;
  if (wasChoices || isChoices) {
    const removed = wasChoices && isChoices ? wasChoices.filter((v) => !isChoices.includes(v)) : wasChoices ? [] : ['(any value)'];
    const added = wasChoices && isChoices ? isChoices.filter((v) => !wasChoices.includes(v)) : isChoices ? [] : ['(any value)'];
    if (removed.length) add('choice-removed', true, { typescript: 'breaks', n8n: 'fails', cli: 'value refused' }, `no longer allowed: ${removed.join(', ')}`);
    if (added.length) add('choice-added', false, { typescript: 'compiles', n8n: 'same', cli: 'new value' }, `now allowed: ${added.join(', ')}`);
  }
  for (const [low, high] of [['minimum', 'maximum'], ['minLength', 'maxLength'], ['minItems', 'maxItems']]) {
    if (same([was[low], was[high]], [is[low], is[high]])) continue;
    const narrowed = (is[low] !== undefined && (was[low] === undefined || is[low] > was[low])) || (is[high] !== undefined && (was[high] === undefined || is[high] < was[high]));
    const range = (s) => `${s[low] ?? '…'} to ${s[high] ?? '…'}`;
    if (narrowed) add('range-narrowed', true, { typescript: 'compiles', n8n: 'fails', cli: 'value refused' }, `${range(was)} -> ${range(is)}`);
    else add('range-widened', false, { typescript: 'compiles', n8n: 'same', cli: 'new value' }, `${range(was)} -> ${range(is)}`);
  }
  if (!same(was.default, is.default)) {
    // The node sends its version's default explicitly and keeps it per version; scripts that
    // leave the flag out get AnyAPI's new default.
    add('default-changed', false, { typescript: 'compiles', n8n: 'same', cli: 'different' }, `${json(was.default)} -> ${json(is.default)}`);
  }
  if (!was.required && is.required) add('required-added', true, { typescript: 'breaks', n8n: 'fails', cli: 'flag required' }, 'now required');
  if (was.required && !is.required) add('required-dropped', false, { typescript: 'compiles', n8n: 'same', cli: 'same' }, 'no longer required');
  if (Boolean(was.extra) !== Boolean(is.extra)) {
    // A fal option AnyAPI's document now lists (or no longer does): the node shows it as its own
    // parameter instead of under Options, in a new node version.
    add(is.extra ? 'field-undocumented' : 'field-documented', false, { typescript: 'compiles', n8n: 'same', cli: 'same' }, is.extra ? 'AnyAPI no longer documents it; still sent as a fal option' : 'AnyAPI now documents this fal option');
  }
  if (out.length === 0 && (was.title !== is.title || was.description !== is.description)) {
    add('text-changed', false, { typescript: 'compiles', n8n: 'same', cli: 'same' }, 'title or description');
  }
  return out;
}

/** Every change from `before` to `after`, and the bump each package needs. */
export function diffSurfaces(before, after) {
  const changes = [];
  const push = (endpoint, field, change) => changes.push({ endpoint, field, ...change });
  const renames = after.renames ?? [];
  for (const endpoint of Object.keys(before.endpoints)) {
    if (!after.endpoints[endpoint]) {
      push(endpoint, null, { kind: 'model-removed', breaking: true, typescript: 'breaks', n8n: 'fails', cli: 'value refused', detail: `${before.endpoints[endpoint].displayName} is gone (--model refuses it)` });
    }
  }
  for (const [endpoint, model] of Object.entries(after.endpoints)) {
    const old = before.endpoints[endpoint];
    if (!old) {
      push(endpoint, null, { kind: 'model-added', breaking: false, typescript: 'compiles', n8n: 'same', cli: 'new value', detail: `${model.displayName} is new` });
      continue;
    }
    const renamedFrom = new Map();
    for (const rename of renames) {
      if ((rename.endpoint && rename.endpoint !== endpoint) || !old.fields[rename.from] || model.fields[rename.from] || !model.fields[rename.to] || old.fields[rename.to]) continue;
      renamedFrom.set(rename.to, rename.from);
    }
    const renamedAway = new Set(renamedFrom.values());
    for (const [field, was] of Object.entries(old.fields)) {
      if (model.fields[field] || renamedAway.has(field)) continue;
      const flag = flagOf(before.cli, endpoint, field);
      push(endpoint, field, {
        kind: 'field-removed',
        breaking: true,
        typescript: 'breaks',
        n8n: 'fails',
        cli: flag ? 'flag gone' : 'same',
        detail: `${field} is gone${was.extra ? ' (a fal option)' : ''}: a saved workflow that set it fails naming it${flag ? `; ${flag} is refused` : ''}`,
      });
    }
    for (const [field, is] of Object.entries(model.fields)) {
      const from = renamedFrom.get(field);
      const was = old.fields[from ?? field];
      if (from) {
        const [oldFlag, newFlag] = [flagOf(before.cli, endpoint, from), flagOf(after.cli, endpoint, field)];
        push(endpoint, field, {
          kind: 'field-renamed',
          breaking: true,
          typescript: 'breaks',
          n8n: 'same',
          cli: oldFlag === newFlag ? 'same' : 'flag gone',
          detail: `${from} -> ${field}: saved workflows send their value under the new name${oldFlag === newFlag ? `; ${newFlag} is unchanged` : `; ${oldFlag} is now ${newFlag}`}`,
          renamedFrom: from,
        });
      }
      if (!was) {
        const flag = flagOf(after.cli, endpoint, field);
        if (is.required) {
          push(endpoint, field, { kind: 'field-added-required', breaking: true, typescript: 'breaks', n8n: 'fails', cli: 'flag required', detail: `${field} is new and required${flag ? ` (${flag})` : ''}` });
        } else {
          push(endpoint, field, { kind: 'field-added', breaking: false, typescript: 'compiles', n8n: 'same', cli: flag ? 'new flag' : 'same', detail: `${field} is new, optional${flag ? ` (${flag})` : ''}` });
        }
        continue;
      }
      for (const change of fieldChanges(was, is)) push(endpoint, field, change);
    }
  }
  // A tree from before node versions were recorded has nothing to compare the node with.
  const nodeKnown = before.node?.defaultVersion != null;
  const nodeChanges = [];
  for (const version of Object.keys(after.node?.versions ?? {})) {
    if (nodeKnown && !before.node.versions[version]) nodeChanges.push({ kind: 'node-version-added', version: Number(version) });
  }
  for (const version of Object.keys(before.node?.versions ?? {})) {
    if (!after.node?.versions?.[version]) {
      push(null, null, { kind: 'node-version-removed', breaking: true, typescript: 'compiles', n8n: 'fails', cli: 'same', detail: `node version ${version} is gone: workflows saved with it no longer load` });
    }
  }
  const nodeChanged = nodeKnown && !same(before.node, after.node);
  const cliChanged = !same(before.cli, after.cli);
  const spec = changes.length === 0 ? 'none' : maxBump('patch', ...changes.map((c) => (c.typescript === 'breaks' || c.breaking ? 'major' : c.kind === 'text-changed' ? 'patch' : 'minor')));
  const node = !nodeChanged && !changes.some((c) => c.n8n !== 'same')
    ? 'none'
    : maxBump(nodeChanged ? 'patch' : 'none', nodeChanges.length ? 'minor' : 'none', ...changes.map((c) => (c.n8n === 'fails' ? 'major' : c.kind === 'text-changed' ? 'patch' : 'minor')));
  const cli = !cliChanged && !changes.some((c) => c.cli !== 'same')
    ? 'none'
    : maxBump(cliChanged ? 'patch' : 'none', ...changes.map((c) => (['flag gone', 'value refused', 'flag required'].includes(c.cli) ? 'major' : c.cli === 'same' ? 'patch' : 'minor')));
  const packages = {};
  if (spec !== 'none') for (const name of PACKAGES.spec) packages[name] = spec;
  if (node !== 'none') packages[PACKAGES.node] = node;
  if (cli !== 'none') packages[PACKAGES.cli] = cli;
  return { bump: maxBump(spec, node, cli), changes, nodeVersionsAdded: nodeChanges.map((c) => c.version), packages };
}

/**
 * The bump a changeset must give a package at `version`: before 1.0 a breaking change moves
 * the minor number (0.1 -> 0.2) and everything else the patch number (CONTRIBUTING.md).
 */
export function changesetBump(bump, version) {
  if (bump === 'none' || !/^0\./.test(version)) return bump;
  return bump === 'major' ? 'minor' : 'patch';
}

const AUDIENCE = {
  typescript: { compiles: 'compiles', breaks: '**does not compile**' },
  n8n: { same: 'same', different: 'different', fails: '**fails**' },
};

/** The diff for people: a summary line, then a table per model and field. */
export function toMarkdown(diff, { since }) {
  if (diff.changes.length === 0 && diff.nodeVersionsAdded.length === 0) return `No change users can see since ${since}.\n`;
  const lines = [];
  const breaking = diff.changes.filter((c) => c.breaking).length;
  lines.push(`**${diff.bump}** change since ${since}: ${diff.changes.length} change(s), ${breaking} breaking.`, '');
  lines.push('| model | field | change | TypeScript callers | saved n8n workflows | CLI scripts |', '|---|---|---|---|---|---|');
  for (const c of diff.changes) {
    const cli = ['flag gone', 'value refused', 'flag required'].includes(c.cli) ? `**${c.cli}**` : c.cli;
    lines.push(`| ${c.endpoint ?? '-'} | ${c.field ?? '-'} | ${c.kind}: ${c.detail.replaceAll('|', '\\|')} | ${AUDIENCE.typescript[c.typescript] ?? c.typescript} | ${AUDIENCE.n8n[c.n8n] ?? c.n8n} | ${cli} |`);
  }
  if (diff.nodeVersionsAdded.length) {
    lines.push('', `n8n node: new workflows get node version ${diff.nodeVersionsAdded.at(-1)}; workflows saved with an older version keep its parameters and what they send.`);
  }
  lines.push('', `Semver bump per package: ${Object.entries(diff.packages).map(([name, bump]) => `${name} ${bump}`).join(', ')} (before 1.0 a breaking change is a minor step, anything else a patch).`);
  return `${lines.join('\n')}\n`;
}
