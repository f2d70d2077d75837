import { DEFAULT_BASE_URL } from '@anyapi-kontext/core';
import type { CommandSpec, OptionSpec } from './command.js';

/** `kontext <command> --help`, generated from the command's own option table so it cannot drift. */
export function formatCommandHelp(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, option]) => [optionLabel(name, option), option.description]);
  const width = Math.max(...rows.map(([label]) => label!.length));
  return [
    `Usage: kontext ${spec.name} ${spec.positionals} [options]`.replace(/ +/g, ' '),
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([label, description]) => `  ${label!.padEnd(width)}  ${description}`),
    ...(spec.details ? ['', ...spec.details] : []),
    '',
  ].join('\n');
}

export function formatMainHelp(commands: CommandSpec[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: kontext <command> [options]',
    '',
    'Edit images (or make them from a prompt) with the FLUX.1 Kontext models through AnyAPI; see: kontext models.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Environment:',
    '  ANYAPI_API_KEY   your AnyAPI key; without it kontext starts a local emulator',
    `  ANYAPI_BASE_URL  the API host (default ${DEFAULT_BASE_URL})`,
    '',
    'Run "kontext <command> --help" for a command\'s options, "kontext --version" for the version.',
    '',
  ].join('\n');
}

function optionLabel(name: string, option: OptionSpec): string {
  const short = option.short ? `-${option.short}, ` : '    ';
  const value = option.type === 'string' ? ` ${option.valueName ?? '<value>'}` : '';
  return `${short}--${name}${value}`;
}
