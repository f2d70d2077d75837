// What the packages say they run on is what is tested: `engines` against the CI matrix and the
// Node 24 run, the READMEs against both, and the n8n versions the node's README states against
// the ones its end-to-end test installs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TARGETS } from '../../packages/n8n-nodes-anyapi-kontext/e2e/install-n8n.mjs';
import { NODE24_VERSION } from '../lib/node24.mjs';
import { publishablePackages, repoRoot } from '../lib/workspace.mjs';

const read = (file) => fs.readFileSync(path.join(repoRoot, file), 'utf8');
const rootEngines = JSON.parse(read('package.json')).engines.node;
/** The Node lines `engines` allows, e.g. `^20.19.0 || ^22.12.0 || ^24.0.0` -> [20, 22, 24]. */
const engineMajors = (range) => range.split('||').map((part) => Number(part.trim().match(/^\^(\d+)\.\d+\.\d+$/)?.[1]));

describe('Node versions', () => {
  it('engines is one list of caret ranges, the same in every package with code', () => {
    assert.ok(engineMajors(rootEngines).every(Number.isInteger), `root engines "${rootEngines}" is not a list of ^x.y.z ranges`);
    for (const pkg of publishablePackages()) {
      if (pkg.name === '@anyapi-kontext/openapi') continue; // documents only, no code to run
      assert.equal(pkg.manifest.engines?.node, rootEngines, `${pkg.name} engines`);
    }
  });

  it('the CI matrix runs exactly the Node lines engines names', () => {
    const matrix = read('.github/workflows/ci.yml').match(/^\s+node: \[([^\]]+)\]/m)?.[1];
    assert.ok(matrix, 'ci.yml has no node matrix');
    assert.deepEqual(matrix.split(',').map((v) => Number(v.trim())), engineMajors(rootEngines));
  });

  it('the Node 24 that `pnpm verify` tests on is one engines allows', () => {
    assert.ok(engineMajors(rootEngines).includes(Number(NODE24_VERSION.split('.')[0])));
    const lowest = rootEngines.split('||')[0].trim().slice(1);
    assert.ok(process.versions.node.localeCompare(lowest, undefined, { numeric: true }) >= 0, `this Node ${process.version} is below ${lowest}`);
  });

  it("the core's README states the Node versions", () => {
    const readme = read('packages/core/README.md');
    for (const part of rootEngines.split('||')) {
      const [major, minor] = part.trim().slice(1).split('.');
      const stated = minor === '0' ? new RegExp(`Node(\\.js)? [^\\n]*\\b${major}\\b`) : new RegExp(`\\b${major}\\.${minor}\\b`);
      assert.match(readme, stated, `core README does not state Node ${major}.${minor}`);
    }
  });
});

describe('n8n versions', () => {
  it("the node's README states the lowest and highest n8n the end-to-end test runs", () => {
    const versions = TARGETS.map((target) => target.n8n).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const readme = read('packages/n8n-nodes-anyapi-kontext/README.md');
    const compatibility = readme.split(/^## Compatibility$/m)[1]?.split(/^## /m)[0] ?? '';
    assert.match(compatibility, new RegExp(`lowest[^\\n]*\\b${versions[0].replaceAll('.', '\\.')}\\b`, 'i'));
    assert.match(compatibility, new RegExp(`highest[^\\n]*\\b${versions.at(-1).replaceAll('.', '\\.')}\\b`, 'i'));
  });
});
