import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built command, run as a user would: tests exercise dist/, not the sources. */
export const kontextBin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface KontextRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Called with each chunk of stdout, e.g. to send Ctrl-C once a job is queued. */
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
  /** Called once the process is started, e.g. to kill it when a file shows a state. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
  timeoutMs?: number;
}

export function runKontext(args: string[], { cwd, env = {}, onStdout, onSpawn, timeoutMs = 45_000 }: RunOptions): Promise<KontextRun> {
  // Start from a clean slate: a developer's own key and proxy must never reach these runs.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !['ANYAPI_API_KEY', 'ANYAPI_BASE_URL'].includes(name) && !/^(https?|no|all)_proxy$/i.test(name)),
  );
  const child = spawn(process.execPath, [kontextBin, ...args], {
    cwd,
    env: { ...inherited, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    onStdout?.(stdout, child);
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kontext ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
