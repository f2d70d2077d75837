#!/usr/bin/env node
import { parseCliArguments, USAGE } from './cli-arguments.js';
import { startRecorder } from './cassettes/recorder.js';
import { startReplay } from './cassettes/replayer.js';
import { startEmulator } from './emulator.js';

async function main(): Promise<void> {
  let command;
  try {
    command = parseCliArguments(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command.kind === 'record' || command.kind === 'replay') {
    const running =
      command.kind === 'record'
        ? await startRecorder({ upstream: command.upstream, dir: command.dir, port: command.port, host: command.host })
        : await startReplay({ dir: command.dir, port: command.port, host: command.host });
    process.stdout.write(
      command.kind === 'record'
        ? `Recording ${command.upstream} on ${running.url} into ${command.dir}\n`
        : `Replaying ${command.dir} on ${running.url}\n`,
    );
    process.stdout.write('Press Ctrl-C to stop.\n');
    const stop = (): void => void running.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  let emulator;
  try {
    emulator = await startEmulator(command.options);
  } catch (error) {
    // An option out of range (`--concurrency 0`): say which, like any other bad argument.
    if (!(error instanceof RangeError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stdout.write(`AnyAPI emulator on ${emulator.url} (key: ${emulator.apiKey})\n`);
  process.stdout.write('Press Ctrl-C to stop.\n');

  const shutdown = (): void => {
    // A second Ctrl-C while stopping quits at once.
    process.once('SIGINT', () => process.exit(130));
    void emulator.stop().then(() => {
      process.stdout.write('AnyAPI emulator stopped.\n');
      process.exit(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') process.stderr.write('That port is already in use: pick another with --port.\n');
  else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
