// Long-running processes of the queue-mode stack (Redis, n8n main, n8n workers): each started in
// its own process group so that stopping it also stops what it spawned (n8n 2.x starts a task
// runner per process), with its output kept in a log file and in memory for `waitForLine`.
//
// Everything started here is registered with `onCleanup`; the cleanups run on a normal end, on
// a failure (the runner's finally block) and on SIGINT/SIGTERM/SIGHUP. On a hard exit nothing
// async can run, so the process groups still alive are SIGKILLed synchronously.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const cleanups = [];
const liveGroups = new Set();
let signalsInstalled = false;

/** Registers an async cleanup; cleanups run last-registered first. Returns a function that unregisters it. */
export function onCleanup(fn) {
  installSignalHandlers();
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every registered cleanup (each once), reporting but not stopping on failures. */
export async function runCleanups() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (error) {
      process.stderr.write(`[queue-mode] cleanup failed: ${error?.stack ?? error}\n`);
    }
  }
}

function installSignalHandlers() {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(signal, () => {
      process.stderr.write(`[queue-mode] ${signal}: stopping everything started\n`);
      void runCleanups().finally(() => process.exit(code));
    });
  }
  process.once('exit', () => {
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Spawns `command args` as the leader of a new process group. The returned handle keeps the
 * output (stdout and stderr interleaved, line by line) and can wait for a line or stop the group.
 */
export function startProcess(name, command, args, { env, cwd, logFile }) {
  installSignalHandlers();
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  liveGroups.add(child.pid);
  const log = fs.createWriteStream(logFile);
  const lines = [];
  const waiters = new Set();
  let exited;
  const exitedPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  // The group is gone only when every member is; the leader's exit is what we can see.
  child.on('close', () => liveGroups.delete(child.pid));
  const onLine = (line) => {
    const entry = { line, at: Date.now() };
    lines.push(entry);
    for (const waiter of waiters) waiter(entry);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      log.write(chunk);
      rest += chunk;
      const parts = rest.split('\n');
      rest = parts.pop();
      parts.forEach(onLine);
    });
    stream.on('end', () => rest && onLine(rest));
  }

  const handle = {
    name,
    pid: child.pid,
    logFile,
    /** Every line so far, each with the time it was read. */
    lines: () => lines.slice(),
    /** Resolves with the first line (already read or coming) that matches; rejects if the process exits first. */
    waitForLine(pattern, { timeoutMs = 180_000 } = {}) {
      const found = lines.find((e) => pattern.test(e.line));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const done = (fn, value) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          fn(value);
        };
        const waiter = (entry) => pattern.test(entry.line) && done(resolve, entry);
        const timer = setTimeout(
          () => done(reject, new Error(`${name}: no line matching ${pattern} within ${timeoutMs / 1000} s (log: ${logFile})`)),
          timeoutMs,
        );
        waiters.add(waiter);
        void exitedPromise.then((e) =>
          done(reject, new Error(`${name} exited (${e.signal ?? e.code}) before printing ${pattern} (log: ${logFile})`)),
        );
      });
    },
    /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader has exited. */
    async stop({ graceMs = 10_000 } = {}) {
      if (!exited) {
        signalGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
        await exitedPromise;
        clearTimeout(timer);
      }
      // Children that outlived their leader (a task runner) go too.
      signalGroup(child.pid, 'SIGKILL');
      liveGroups.delete(child.pid);
      await new Promise((resolve) => log.end(resolve));
    },
    exited: () => exited,
  };
  return handle;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/** Polls `check` until it returns a truthy value; a stuck state fails after `timeoutMs` with `what`. */
export async function pollUntil(what, check, { intervalMs = 200, timeoutMs = 120_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
