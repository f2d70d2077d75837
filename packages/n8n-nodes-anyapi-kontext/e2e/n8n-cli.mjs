// Runs the n8n CLI of a pinned install with a throw-away user folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function n8nEnv(layout, userFolder, extra = {}) {
  const env = {
    ...process.env,
    PATH: `${path.dirname(layout.nodeBin)}${path.delimiter}${process.env.PATH}`,
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: 'anyapi-kontext-e2e-encryption-key',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_RUNNERS_ENABLED: 'false',
    DB_SQLITE_POOL_SIZE: '1',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    ...extra,
  };
  delete env.npm_config_nodedir;
  // n8n 1.123 runs here without isolated-vm (it does not build on Node 20).
  if (layout.nodeVersion.startsWith('20.')) env.N8N_EXPRESSION_ENGINE = 'legacy';
  return env;
}

/** Runs `n8n <args>`; resolves to { code, stdout, stderr, ms } (never rejects on a non-zero exit). */
export async function n8n(layout, env, args, { timeoutMs = 180_000 } = {}) {
  const started = Date.now();
  return await new Promise((resolve, reject) => {
    const child = spawn(layout.nodeBin, [layout.n8nBin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The run JSON `n8n execute --rawOutput` prints (after any log lines), or undefined. */
export function parseRunOutput(stdout) {
  const lines = stdout.split('\n');
  // The run is one JSON document from a line `{` to a line `}`; n8n 2.x may log a line after it
  // (its task runner registering), so the end is looked for too.
  const ends = lines.flatMap((line, index) => (line === '}' ? [index] : [])).reverse();
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '{') continue;
    for (const end of ends) {
      if (end < i) break;
      try {
        return JSON.parse(lines.slice(i, end + 1).join('\n'));
      } catch {
        // not the JSON yet
      }
    }
  }
  return undefined;
}

export function nodeItems(run, nodeName) {
  return run?.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/**
 * An n8n (user folder `userFolder`) that loads the node from `tarballDir` and may read the
 * fixtures, with `credentials` and `workflows` imported; returns its env and the imports' times.
 */
export async function n8nWithImports(layout, userFolder, { tarballDir, fixtures, credentials, workflows }) {
  const env = n8nEnv(layout, userFolder, {
    N8N_CUSTOM_EXTENSIONS: tarballDir,
    N8N_RESTRICT_FILE_ACCESS_TO: fixtures,
    N8N_RUNNERS_BROKER_PORT: String(await freePort()),
  });
  fs.writeFileSync(path.join(userFolder, 'creds.json'), JSON.stringify(credentials));
  fs.writeFileSync(path.join(userFolder, 'workflows.json'), JSON.stringify(workflows));
  const timings = {};
  for (const [what, args] of [
    ['credentials', ['import:credentials', `--input=${path.join(userFolder, 'creds.json')}`]],
    ['workflows', ['import:workflow', `--input=${path.join(userFolder, 'workflows.json')}`]],
  ]) {
    const r = await n8n(layout, env, args);
    if (r.code !== 0) throw new Error(`import of ${what} failed:\n${r.stdout}\n${r.stderr}`);
    timings[`import ${what}`] = r.ms;
  }
  return { env, timings };
}
