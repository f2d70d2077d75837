// The OpenAPI YAML block of an AnyAPI doc page as a user saves it: fenced (```yaml ... ```) or
// bare (the page's text around it: a title, "OpenAPI Specification", "yaml", the YAML, a footer).
// The block is returned byte for byte; anything that is not exactly one parseable OpenAPI document
// with paths is refused with one line saying what is wrong.
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './surface.mjs';

/** The openapi package's YAML parser (the one the spec build reads the documents with). */
export const { parse: parseYaml } = createRequire(path.join(repoRoot, 'openapi', 'package.json'))('yaml');

const OPENAPI_START = /^openapi:\s*['"]?3\.\d+(\.\d+)?['"]?\s*$/;
const FENCE = /^\s*(```|~~~)/;
/** A line that can continue a bare YAML block: indented, a top-level key, a list item, a comment or blank. */
const YAML_LINE = /^(\s+\S|[A-Za-z_$][\w$-]*:(\s|$)|- |#|\s*$)/;

/** `{ text, firstLine, lastLine, fenced, document }` of the page's one OpenAPI document, or throws. */
export function extractDocument(page, source) {
  const lines = page.split('\n');
  const starts = lines.flatMap((line, i) => (OPENAPI_START.test(line) ? [i] : []));
  if (starts.length === 0) throw new Error(`${source}: no OpenAPI block (no line "openapi: 3.x")`);
  if (starts.length > 1) throw new Error(`${source}: ${starts.length} OpenAPI blocks (lines ${starts.map((i) => i + 1).join(', ')}); give a page with one`);
  const start = starts[0];
  const fenced = start > 0 && FENCE.test(lines[start - 1]);
  let end = start + 1;
  if (fenced) {
    while (end < lines.length && !FENCE.test(lines[end])) end += 1;
    if (end === lines.length) throw new Error(`${source}: the fenced OpenAPI block opened on line ${start} is never closed`);
  } else {
    while (end < lines.length && YAML_LINE.test(lines[end])) end += 1;
    // Blank lines before the page's footer belong to the page, not the document.
    while (end > start + 1 && lines[end - 1].trim() === '') end -= 1;
  }
  const blockLines = lines.slice(start, end);
  // Every line of the block as it is (a fenced block up to its fence), each ending with a newline.
  const text = `${blockLines.join('\n')}\n`;
  let document;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new Error(`${source}: the OpenAPI block does not parse as YAML (${String(error.message).split('\n')[0]})`);
  }
  const paths = Object.keys(document?.paths ?? {});
  if (paths.length === 0) throw new Error(`${source}: the OpenAPI block has no paths`);
  if (!paths.some((p) => document.paths[p]?.post)) throw new Error(`${source}: the OpenAPI block has no POST operation (a submit endpoint)`);
  return { text, firstLine: start + 1, lastLine: start + blockLines.length, fenced, document, paths };
}
