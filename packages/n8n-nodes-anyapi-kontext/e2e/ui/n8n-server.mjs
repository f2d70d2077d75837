// One real n8n (`n8n start`, editor included) for the browser test: its own user folder, free
// ports on 127.0.0.1, the packed node loaded with N8N_CUSTOM_EXTENSIONS, and the owner, the
// credential and workflows set up through n8n's REST API (verified calls: see the n8n notes).
//
// n8n runs as the leader of its own process group, so stopping it also stops what it started
// (n8n 2.x starts a task runner). `stop()` is safe to call twice and is registered to run on
// SIGINT/SIGTERM and, as a last resort, SIGKILLs the group when this process exits.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, n8nEnv } from '../n8n-cli.mjs';

/** Printed once the editor and /rest answer (/healthz/readiness is 200 earlier than that). */
const READY_LINE = /Editor is now accessible via/;
const OWNER = { email: 'owner@example.com', firstName: 'Ada', lastName: 'Lovelace', password: 'Ui-test-Passw0rd' };

const liveGroups = new Set();
process.once('exit', () => {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
});

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/**
 * Starts n8n and resolves once its editor is ready, or rejects with the log's tail (after
 * stopping it). `log` gets progress lines.
 */
export async function startN8n(layout, { extensionsDir, userFolder, readyTimeoutMs = 300_000 }) {
  const port = await freePort();
  const env = n8nEnv(layout, userFolder, {
    N8N_CUSTOM_EXTENSIONS: extensionsDir,
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PORT: String(port),
    N8N_SECURE_COOKIE: 'false',
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
  });
  const logFile = path.join(userFolder, 'n8n.log');
  const log = fs.createWriteStream(logFile);
  const child = spawn(layout.nodeBin, [layout.n8nBin, 'start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  liveGroups.add(child.pid);
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve) => {
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        log.write(chunk);
        output += chunk;
        if (READY_LINE.test(output)) resolve(true);
      });
    }
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    signalGroup(child.pid, 'SIGTERM');
    const kill = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(kill);
    // A task runner that outlived n8n goes too.
    signalGroup(child.pid, 'SIGKILL');
    liveGroups.delete(child.pid);
    await new Promise((resolve) => log.end(resolve));
  };
  const onSignal = (signal) => {
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let timer;
  const outcome = await Promise.race([
    ready,
    exited.then((e) => new Error(`n8n exited (${e.signal ?? e.code}) before its editor was ready`)),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(new Error(`n8n's editor was not ready within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
    }),
  ]);
  clearTimeout(timer);
  const url = `http://127.0.0.1:${port}`;
  // On a loaded machine sqlite can miss n8n's health check ("Database connection timed out") and
  // /rest answers 503 "Database is not ready!" until it recovers: readiness says when it has.
  const deadline = Date.now() + readyTimeoutMs;
  while (!(outcome instanceof Error) && !(await isReady(url))) {
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`n8n's /healthz/readiness did not answer 200 within ${readyTimeoutMs / 1000} s (log: ${logFile})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (outcome instanceof Error) {
    await stop();
    throw new Error(`${outcome.message} (log: ${logFile}):\n${output.slice(-2000)}`);
  }
  return { url, logFile, stop };
}

async function isReady(url) {
  try {
    return (await fetch(`${url}/healthz/readiness`)).status === 200;
  } catch {
    return false;
  }
}

/** n8n's REST API as the editor calls it, signed in as the owner. */
export async function setUpOwner(baseUrl) {
  const call = async (method, route, body, cookie) => {
    const response = await fetch(`${baseUrl}/rest${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /rest${route}: HTTP ${response.status} ${text.slice(0, 500)}`);
    return { json: text ? JSON.parse(text) : {}, headers: response.headers };
  };
  await call('POST', '/owner/setup', OWNER);
  const login = await call('POST', '/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie.startsWith('n8n-auth=')) throw new Error('POST /rest/login set no n8n-auth cookie');
  return {
    cookie,
    async createCredential(credential) {
      return (await call('POST', '/credentials', credential, cookie)).json.data;
    },
    async testCredential(credential) {
      return (await call('POST', '/credentials/test', { credentials: credential }, cookie)).json.data;
    },
    async createWorkflow(workflow) {
      return (await call('POST', '/workflows', { active: false, settings: {}, ...workflow }, cookie)).json.data;
    },
  };
}
