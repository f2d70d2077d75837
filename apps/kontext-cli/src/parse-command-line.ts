import { parseArgs } from 'node:util';
import { UsageError, type CommandSpec, type ParsedCommand } from './command.js';

/**
 * util.parseArgs in strict mode, with its multi-line messages rewritten into the one line we
 * promise for bad input, naming the command so the user knows which --help to read.
 */
export function parseCommandLine(spec: CommandSpec, argv: string[]): ParsedCommand {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, { type, short, multiple }]) => [
      name,
      { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(spec, argv), options, strict: true, allowPositionals: true });
    return { values: values as ParsedCommand['values'], positionals };
  } catch (error) {
    throw new UsageError(`${describeParseError(error)} (see: kontext ${spec.helpCommand ?? spec.name} --help)`);
  }
}

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * parseArgs takes `--seed -4` for a flag missing its value followed by an option `-4`. A
 * negative number after a flag that takes a value is that value: `--seed=-4`, so the user gets
 * the field's range error rather than "needs a value".
 */
function joinNegativeValues(spec: CommandSpec, argv: string[]): string[] {
  const takesValue = (token: string): string | undefined => {
    if (token.startsWith('--') && !token.includes('=')) {
      const name = token.slice(2);
      return spec.options[name]?.type === 'string' ? name : undefined;
    }
    if (/^-[^-]$/.test(token)) {
      const entry = Object.entries(spec.options).find(([, option]) => option.short === token[1]);
      return entry?.[1].type === 'string' ? entry[0] : undefined;
    }
    return undefined;
  };
  const args: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index]!;
    if (token === '--') {
      args.push(...argv.slice(index));
      break;
    }
    const name = takesValue(token);
    const next = argv[index + 1];
    if (name && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      args.push(`--${name}=${next}`);
      index += 1;
    } else {
      args.push(token);
    }
  }
  return args;
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // Either a value given to a flag that takes none, or a flag missing its value
      // (parseArgs calls "--prompt --json" ambiguous: the value looks like a flag).
      return /does not take an argument/.test(message)
        ? `option ${cleanOption(option)} takes no value`
        : `option ${cleanOption(option)} needs a value`;
    default:
      return message.split('\n')[0] ?? message;
  }
}

/** parseArgs quotes options as "-o, --out <value>"; keep just the long name. */
function cleanOption(option: string | undefined): string {
  if (!option) return 'an option';
  return /--[\w-]+/.exec(option)?.[0] ?? option;
}
