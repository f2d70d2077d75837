import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/command.js';
import { editCommand } from '../src/commands/edit.js';
import { commands } from '../src/commands/index.js';
import { formatCommandHelp, formatMainHelp } from '../src/help.js';
import { parseCommandLine } from '../src/parse-command-line.js';

describe('parseCommandLine', () => {
  it('reads flags and positionals', () => {
    const parsed = parseCommandLine(editCommand, ['a.png', 'dir', '-p', 'hi', '--format', 'png', '--force']);
    expect(parsed.positionals).toEqual(['a.png', 'dir']);
    expect(parsed.values).toMatchObject({ prompt: 'hi', format: 'png', force: true });
  });

  it.each([
    [['--frobnicate'], 'unknown option --frobnicate (see: kontext edit --help)'],
    [['--out'], 'option --out needs a value (see: kontext edit --help)'],
    [['--prompt', '--json'], 'option --prompt needs a value (see: kontext edit --help)'],
    [['--force=yes'], 'option --force takes no value (see: kontext edit --help)'],
  ])('turns %j into one clear line', (argv, message) => {
    expect(() => parseCommandLine(editCommand, argv)).toThrow(new UsageError(message));
  });
});

describe('help', () => {
  it('lists every option of a command', () => {
    const help = formatCommandHelp(editCommand);
    for (const name of Object.keys(editCommand.options)) expect(help).toContain(`--${name}`);
    expect(help.split('\n')[0]).toBe('Usage: kontext edit <image files or folders...> [options]');
  });

  it('lists every command', () => {
    const help = formatMainHelp(commands);
    for (const command of commands) expect(help).toContain(`  ${command.name} `);
  });
});
