// The guard that keeps a package with `workspace:` ranges or without its build off the registry:
// the rules, the script every publishable package runs as prepublishOnly, and a real
// `npm publish --dry-run` that it stops.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { publishProblems, referencedFiles, unresolvableRanges } from '../lib/publish-problems.mjs';
import { publishablePackages, repoRoot } from '../lib/workspace.mjs';

const guard = path.join(repoRoot, 'scripts', 'check-publishable.mjs');
const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'anyapi-kontext-guard-'));
after(() => fs.rmSync(fixtures, { recursive: true, force: true }));

/** A package folder like ours: package.json plus the files named in `files`. */
function fixturePackage(name, manifest, files = []) {
  const dir = path.join(fixtures, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', ...manifest }, null, 2));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), 'export {};\n');
  }
  return dir;
}

/** The guard as npm or pnpm run it: in the package folder, with their user agent. */
function runGuard(dir, userAgent) {
  const env = { ...process.env, npm_config_user_agent: userAgent };
  return spawnSync(process.execPath, [guard], { cwd: dir, env, encoding: 'utf8' });
}

const emulatorLike = {
  type: 'module',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
  bin: { 'some-emulator': './dist/bin.js' },
  files: ['dist'],
  dependencies: { '@anyapi-kontext/openapi': 'workspace:*', ajv: '8.20.0' },
  devDependencies: { typescript: 'catalog:', vitest: '4.1.12' },
};
const builtFiles = ['dist/index.js', 'dist/index.d.ts', 'dist/bin.js'];

describe('the rules', () => {
  it('names every range only the workspace resolves, in any dependency field', () => {
    assert.deepEqual(unresolvableRanges(emulatorLike), [
      { field: 'dependencies', name: '@anyapi-kontext/openapi', range: 'workspace:*' },
      { field: 'devDependencies', name: 'typescript', range: 'catalog:' },
    ]);
    assert.deepEqual(unresolvableRanges({ peerDependencies: { x: 'file:../x' }, devDependencies: { y: 'link:../y' } }), [
      { field: 'peerDependencies', name: 'x', range: 'file:../x' },
    ]);
    assert.deepEqual(unresolvableRanges({ dependencies: { a: '1.0.0', b: '^2' } }), []);
  });

  it('collects the files main, types, exports, bin and the n8n section point at', () => {
    assert.deepEqual(referencedFiles(emulatorLike), ['dist/index.js', 'dist/index.d.ts', 'package.json', 'dist/bin.js']);
    assert.deepEqual(referencedFiles({ main: 'dist/a.js', n8n: { nodes: ['dist/n.js'], credentials: ['dist/c.js'] } }), [
      'dist/a.js',
      'dist/n.js',
      'dist/c.js',
    ]);
  });

  it('reports missing build output by file', () => {
    const shipped = new Set(['package.json', 'dist/index.js']);
    assert.deepEqual(publishProblems(emulatorLike, (file) => shipped.has(file), { rangesReplacedOnPack: true }), [
      'dist/index.d.ts is named in package.json but missing (run the build first)',
      'dist/bin.js is named in package.json but missing (run the build first)',
    ]);
  });
});

describe('check-publishable.mjs (prepublishOnly)', () => {
  it('refuses npm publishing workspace ranges, naming each, and says to publish with pnpm', () => {
    const dir = fixturePackage('ranges', emulatorLike, builtFiles);
    const result = runGuard(dir, 'npm/11.6.2 node/v20.20.2 linux x64 workspaces/false');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /ranges@1\.2\.3 must not be published/);
    assert.match(result.stderr, /dependencies\.@anyapi-kontext\/openapi is "workspace:\*"/);
    assert.match(result.stderr, /devDependencies\.typescript is "catalog:"/);
    assert.match(result.stderr, /Publish with pnpm/);
  });

  it('lets pnpm publish them, because pnpm replaces them in what it packs', () => {
    const dir = fixturePackage('ranges-pnpm', emulatorLike, builtFiles);
    const result = runGuard(dir, 'pnpm/10.34.9 npm/? node/v20.20.2 linux x64');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /fit to publish/);
  });

  it('refuses a package whose dist is missing, whoever publishes it', () => {
    const dir = fixturePackage('unbuilt', emulatorLike, []);
    for (const userAgent of ['pnpm/10.34.9 npm/? node/v20.20.2', 'npm/11.6.2 node/v20.20.2']) {
      const result = runGuard(dir, userAgent);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /dist\/index\.js is named in package.json but missing \(run the build first\)/);
      assert.match(result.stderr, /dist\/bin\.js is named/);
    }
  });

  it('stops a real `npm publish` (dry run) before anything is packed', () => {
    const dir = fixturePackage('npm-publish', { ...emulatorLike, scripts: { prepublishOnly: `node ${JSON.stringify(guard)}` } }, builtFiles);
    const env = { ...process.env };
    for (const name of Object.keys(env)) if (/^npm_/i.test(name)) delete env[name];
    const result = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts=false'], { cwd: dir, env, encoding: 'utf8' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr + result.stdout, /dependencies\.@anyapi-kontext\/openapi is "workspace:\*"/);
    assert.doesNotMatch(result.stdout, /Tarball Contents/);
  });

  it('is the prepublishOnly of every publishable package', () => {
    const packages = publishablePackages();
    assert.ok(packages.length >= 5, `found ${packages.map((p) => p.name)}`);
    for (const pkg of packages) {
      const script = pkg.manifest.scripts?.prepublishOnly ?? '';
      const file = script.match(/^node (\S+check-publishable\.mjs)$/)?.[1];
      assert.ok(file, `${pkg.name} has prepublishOnly "${script}"`);
      assert.equal(path.resolve(pkg.dir, file), guard, `${pkg.name}'s prepublishOnly points elsewhere`);
    }
  });
});
