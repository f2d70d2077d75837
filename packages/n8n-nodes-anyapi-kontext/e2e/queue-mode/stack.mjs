// One n8n queue-mode stack on 127.0.0.1, as the n8n notes' verified recipe has it: Redis,
// Postgres, the credential and workflows imported and activated with the n8n CLI, then the main
// instance (EXECUTIONS_MODE=queue: triggers and webhooks only) and two `n8n worker` processes.
// Every process has its own user folder, as on separate machines: nothing is shared but Redis,
// Postgres and the encryption key.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, n8n, n8nEnv } from '../n8n-cli.mjs';
import { onCleanup, pollUntil, startProcess } from './processes.mjs';
import { ensureRedisInstalled, startPostgres, startRedis } from './services.mjs';

export const WORKER_CONCURRENCY = 10;
const WORKERS = 2;

/**
 * n8n's rule for binary data in queue mode: not `filesystem` (a worker's files are not on the
 * main instance's disk); `database` keeps it in Postgres, where every process finds it. n8n 2.x
 * uses it by default in queue mode; 1.x must list it as an available mode too.
 */
export function binaryDataEnv(nodeVersion) {
  return nodeVersion.startsWith('20.')
    ? { N8N_DEFAULT_BINARY_DATA_MODE: 'database', N8N_AVAILABLE_BINARY_DATA_MODES: 'filesystem,database' }
    : { N8N_DEFAULT_BINARY_DATA_MODE: 'database' };
}

/** Lines the n8n processes print that the tests read. */
export const LOG = {
  mainReady: /Editor is now accessible via/,
  workerReady: /n8n worker is now ready/,
  workerStarted: /Worker started execution (\d+)/,
  workerFinished: /Worker finished execution (\d+)/,
  enqueued: /Enqueued execution (\d+)/,
};

/**
 * Starts the stack and registers its cleanup; `stop()` stops everything (also safe to call twice).
 * `credentials` and `workflows` are imported before n8n starts; the workflows are activated.
 */
export async function startQueueStack({ layout, tarballDir, workDir, credentials, workflows, log }) {
  const started = Date.now();
  const parts = [];
  const stopAll = async () => {
    const stopping = parts.splice(0).reverse();
    // The n8n processes first, together (they hold connections to Redis and Postgres).
    const n8nProcesses = stopping.filter((p) => p.kind === 'n8n');
    await Promise.all(n8nProcesses.map((p) => p.stop()));
    for (const p of stopping.filter((x) => x.kind !== 'n8n')) await p.stop();
  };
  const unregister = onCleanup(stopAll);
  const timings = {};
  const mark = (name, since) => (timings[name] = Date.now() - since);
  try {
    ensureRedisInstalled(log);
    let t = Date.now();
    const redis = await startRedis(workDir);
    parts.push({ kind: 'service', stop: () => redis.stop() });
    mark('redis', t);
    t = Date.now();
    const postgres = await startPostgres(workDir);
    parts.push({ kind: 'service', stop: () => postgres.stop() });
    mark('postgres', t);

    const mainPort = await freePort();
    const mainUrl = `http://127.0.0.1:${mainPort}`;
    const shared = {
      EXECUTIONS_MODE: 'queue',
      QUEUE_BULL_REDIS_HOST: '127.0.0.1',
      QUEUE_BULL_REDIS_PORT: String(redis.port),
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: '127.0.0.1',
      DB_POSTGRESDB_PORT: String(postgres.port),
      DB_POSTGRESDB_DATABASE: postgres.database,
      DB_POSTGRESDB_USER: postgres.user,
      DB_POSTGRESDB_PASSWORD: postgres.password,
      N8N_CUSTOM_EXTENSIONS: tarballDir,
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      N8N_PORT: String(mainPort),
      // $execution.resumeUrl is built on the worker: every process must know the public URL.
      WEBHOOK_URL: `${mainUrl}/`,
      N8N_DISABLE_UI: 'true',
      N8N_HIRING_BANNER_ENABLED: 'false',
      ...binaryDataEnv(layout.nodeVersion),
    };
    const envFor = async (name, extra = {}) => {
      const folder = path.join(workDir, name);
      fs.mkdirSync(folder, { recursive: true });
      return n8nEnv(layout, folder, { ...shared, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra });
    };

    const cliEnv = await envFor('cli');
    fs.writeFileSync(path.join(workDir, 'credentials.json'), JSON.stringify(credentials));
    fs.writeFileSync(path.join(workDir, 'workflows.json'), JSON.stringify(workflows));
    const activate = (id) =>
      layout.nodeVersion.startsWith('20.') ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`];
    for (const [name, args] of [
      ['import:credentials', ['import:credentials', `--input=${path.join(workDir, 'credentials.json')}`]],
      ['import:workflow', ['import:workflow', `--input=${path.join(workDir, 'workflows.json')}`]],
      ...workflows.map((w) => [`activate ${w.id}`, activate(w.id)]),
    ]) {
      const r = await n8n(layout, cliEnv, args);
      if (r.code !== 0) throw new Error(`n8n ${name} failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
      timings[name] = r.ms;
    }

    t = Date.now();
    const spawnN8n = async (name, args, extra) => {
      const proc = startProcess(name, layout.nodeBin, [layout.n8nBin, ...args], {
        env: await envFor(name, extra),
        cwd: workDir,
        logFile: path.join(workDir, `${name}.log`),
      });
      parts.push({ kind: 'n8n', stop: () => proc.stop() });
      return proc;
    };
    const main = await spawnN8n('main', ['start']);
    const workers = [];
    for (let i = 1; i <= WORKERS; i++) {
      workers.push(
        await spawnN8n(`worker${i}`, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], {
          QUEUE_HEALTH_CHECK_ACTIVE: 'true',
          QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
          N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
        }),
      );
    }
    // Main's readiness answers before the production webhooks exist, and n8n 2.x registers
    // them after its "ready" lines: ask for each one until it is there.
    await Promise.all([main.waitForLine(LOG.mainReady), ...workers.map((w) => w.waitForLine(LOG.workerReady))]);
    for (const webhookPath of productionWebhookPaths(workflows)) {
      await pollUntil(`the production webhook POST /webhook/${webhookPath}`, () => webhookRegistered(mainUrl, webhookPath), { timeoutMs: 180_000 });
    }
    mark('main and workers', t);
    timings.total = Date.now() - started;
    return {
      mainUrl,
      main,
      workers,
      redis,
      postgres,
      timings,
      /** Bull jobs a worker holds right now (n8n's queue is `bull:jobs`). */
      activeJobs: () => Number(redis.cli('LLEN', 'bull:jobs:active')),
      async stop() {
        const t0 = Date.now();
        await stopAll();
        unregister();
        return Date.now() - t0;
      },
    };
  } catch (error) {
    await stopAll();
    unregister();
    throw error;
  }
}

function productionWebhookPaths(workflows) {
  return workflows.flatMap((w) => w.nodes.filter((n) => n.type === 'n8n-nodes-base.webhook').map((n) => n.parameters.path));
}

/**
 * A CORS preflight makes n8n look the webhook up without running anything: 204 once it is
 * registered, 404 before.
 */
async function webhookRegistered(mainUrl, webhookPath) {
  const response = await fetch(`${mainUrl}/webhook/${webhookPath}`, {
    method: 'OPTIONS',
    headers: { origin: mainUrl, 'access-control-request-method': 'POST' },
  }).catch(() => undefined);
  await response?.arrayBuffer();
  return response?.status === 204;
}
