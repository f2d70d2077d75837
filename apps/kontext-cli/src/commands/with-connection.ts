import { UsageError, type CliContext, type CommandSpec } from '../command.js';
import { connect, type ConnectOptions, type Connection } from '../connection.js';

/**
 * Opens the connection a command needs and always closes it (stopping our emulator). Commands
 * about existing jobs or the key (status, result, cancel, usage) pass `requireKeyFor`: a local
 * emulator knows none of the user's jobs, so without a key they refuse to run.
 */
export async function withConnection<T>(
  context: CliContext,
  use: (connection: Connection) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const connection = await connect(context.env, (line) => context.stderr.write(`${line}\n`), options);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** The single `<request id>` the status, result and cancel commands take. */
export function requestIdFrom(positionals: string[], spec: CommandSpec): string {
  if (positionals.length !== 1 || !positionals[0]?.trim()) {
    throw new UsageError(`kontext ${spec.name} takes one request id (see: kontext ${spec.name} --help)`);
  }
  return positionals[0].trim();
}

export function writeJson(context: CliContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
