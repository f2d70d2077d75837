#!/usr/bin/env node
import { main } from './main.js';
import { redactSecretsInOutput } from './redact-secrets.js';

redactSecretsInOutput([process.env.ANYAPI_API_KEY]);

// `kontext ... | head` closes the pipe early; that is the reader's choice, not our error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The first Ctrl-C aborts: running jobs are cancelled on the server, then we exit with a
// summary (the command says so on its display). A second one quits at once, for when the
// server does not answer.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

const exitCode = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
});
// Set rather than exit(): stdout may still be flushing to a pipe.
process.exitCode = exitCode;
