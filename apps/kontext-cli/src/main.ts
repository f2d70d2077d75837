import { InputError } from '@anyapi-kontext/core';
import { UsageError, type CliContext } from './command.js';
import { commands } from './commands/index.js';
import { describeError } from './describe-error.js';
import { formatCommandHelp, formatMainHelp } from './help.js';
import { parseCommandLine } from './parse-command-line.js';
import { cliVersion } from './version.js';

/** Exit codes: 0 all good, 1 a job or call failed, 2 bad command line or input, 130 interrupted. */
export async function main(argv: string[], context: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? context.stderr : context.stdout).write(formatMainHelp(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    context.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  try {
    const command = commands.find((candidate) => candidate.name === name);
    if (!command) {
      throw new UsageError(`unknown command ${JSON.stringify(name)}; the commands are ${commands.map((c) => c.name).join(', ')} (see: kontext --help)`);
    }
    const spec = command.specFor ? command.specFor(rest) : command;
    const parsed = parseCommandLine(spec, rest);
    if (parsed.values.help === true) {
      context.stdout.write(formatCommandHelp(spec));
      return 0;
    }
    return await spec.run(parsed, context);
  } catch (error) {
    if (context.signal.aborted) return 130;
    // Input the core refused before sending anything is bad input too: exit 2, like ours.
    const badInput = error instanceof UsageError || error instanceof InputError;
    context.stderr.write(`kontext: ${error instanceof UsageError ? error.message : describeError(error)}\n`);
    return badInput ? 2 : 1;
  }
}
