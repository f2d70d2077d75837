import type { ParseArgsConfig } from 'node:util';

/** A problem with what the user typed or pointed us at: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where a command writes and what it knows about the process; injected so tests can fake it. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

type OptionConfig = NonNullable<ParseArgsConfig['options']>[string];

export interface OptionSpec extends OptionConfig {
  /** Shown in --help; also the value placeholder, e.g. "<dir>". */
  description: string;
  valueName?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** e.g. "<request id>"; shown after the command name in usage lines. */
  positionals: string;
  /** What to type before `--help` for this spec's flags, when not `<name>` (e.g. `edit --model-path /x/y`). */
  helpCommand?: string;
  /** Lines after the option list, e.g. examples. */
  details?: string[];
  options: Record<string, OptionSpec>;
  /**
   * The spec for this command line, when its flags depend on it (`edit --model` picks the model
   * whose fields are flags). Throws UsageError for a bad choice, before anything is parsed or sent.
   */
  specFor?(argv: string[]): CommandSpec;
  /** Returns the process exit code. */
  run(args: ParsedCommand, context: CliContext): Promise<number>;
}

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Options every command takes. */
export const commonOptions = {
  json: { type: 'boolean', description: 'print a machine-readable JSON result on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} satisfies Record<string, OptionSpec>;
