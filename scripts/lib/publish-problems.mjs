// What makes a package unfit to publish, from its package.json and the files it would ship.
// Shared by the prepublishOnly guard (scripts/check-publishable.mjs, on the package folder) and
// `pnpm lint` (scripts/check-packages.mjs, on the packed tarball).

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'];
/** Ranges only a workspace understands; an installer from the registry fails on them. */
const WORKSPACE_PROTOCOLS = ['workspace:', 'catalog:'];
/** Ranges that point at the publisher's disk: fine for dev tools, never for what users install. */
const LOCAL_PROTOCOLS = ['link:', 'file:', 'portal:'];

/** `{ field, name, range }` for every dependency range an installer outside this workspace cannot resolve. */
export function unresolvableRanges(manifest) {
  const found = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      const local = field !== 'devDependencies' && LOCAL_PROTOCOLS.some((protocol) => range.startsWith(protocol));
      if (local || WORKSPACE_PROTOCOLS.some((protocol) => range.startsWith(protocol))) found.push({ field, name, range });
    }
  }
  return found;
}

/** Every file path package.json points at: main, types, exports, bin and n8n's node list. */
export function referencedFiles(manifest) {
  const paths = [];
  const add = (value) => {
    if (typeof value === 'string' && !value.includes('*')) paths.push(value.replace(/^\.\//, ''));
  };
  const walkExports = (value) => {
    if (typeof value === 'string') add(value);
    else if (Array.isArray(value)) value.forEach(walkExports);
    else if (value && typeof value === 'object') Object.values(value).forEach(walkExports);
  };
  add(manifest.main);
  add(manifest.types);
  add(manifest.typings);
  add(manifest.module);
  walkExports(manifest.exports);
  if (typeof manifest.bin === 'string') add(manifest.bin);
  else Object.values(manifest.bin ?? {}).forEach(add);
  for (const file of [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])]) add(file);
  return [...new Set(paths)];
}

/**
 * The reasons a package must not be published, each one line naming the field: ranges only the
 * workspace resolves, files package.json points at that are not there (an unbuilt `dist`).
 * `hasFile(path)` says whether a file relative to the package root is shipped.
 */
export function publishProblems(manifest, hasFile, { rangesReplacedOnPack = false } = {}) {
  const problems = [];
  if (!rangesReplacedOnPack) {
    for (const { field, name, range } of unresolvableRanges(manifest)) {
      problems.push(`${field}.${name} is "${range}", which only this workspace resolves`);
    }
  }
  const missing = referencedFiles(manifest).filter((file) => !hasFile(file));
  for (const file of missing) problems.push(`${file} is named in package.json but missing (run the build first)`);
  return problems;
}
