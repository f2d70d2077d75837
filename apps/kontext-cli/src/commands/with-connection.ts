import type { AnyModelPath, RequestRef } from '@anyapi-kontext/core';
import { UsageError, type CliContext, type CommandSpec, type OptionSpec, type ParsedCommand } from '../command.js';
import { connect, type ConnectOptions, type Connection } from '../connection.js';
import { modelPathFrom } from '../model-path.js';

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

/** The flag of status, result and cancel for a job `edit --model-path` submitted. */
export const jobModelPathOption: OptionSpec = {
  type: 'string',
  valueName: '<path>',
  description: 'the model path of a job "edit --model-path" submitted (the job is on its app)',
};

/** The job status, result and cancel are about: the one `<request id>`, and `--model-path` when given. */
export interface JobRef {
  requestId: string;
  ref: RequestRef;
  /** Named in the command's errors. */
  modelPath?: AnyModelPath;
}

export function jobRefFrom({ positionals, values }: ParsedCommand, spec: CommandSpec): JobRef {
  if (positionals.length !== 1 || !positionals[0]?.trim()) {
    throw new UsageError(`kontext ${spec.name} takes one request id (see: kontext ${spec.name} --help)`);
  }
  const requestId = positionals[0].trim();
  if (values['model-path'] === undefined) return { requestId, ref: requestId };
  const modelPath = modelPathFrom(values['model-path']);
  return { requestId, ref: { requestId, modelPath }, modelPath };
}

export function writeJson(context: CliContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
