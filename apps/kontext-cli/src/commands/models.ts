import { UsageError, commonOptions, type CliContext, type CommandSpec, type ParsedCommand } from '../command.js';
import { defaultModel, imageInputWords, models } from '../models.js';
import { writeJson } from './with-connection.js';

export const modelsCommand: CommandSpec = {
  name: 'models',
  summary: 'List the models (name, path, image input); pick one with "edit --model <name|path>"',
  positionals: '',
  options: { ...commonOptions },
  details: [
    'The models are the endpoints of the OpenAPI spec the client was generated from.',
    '--model takes a model\'s path, its name (any case), or the end of its path when it is',
    'unique, e.g. "max/multi" or "text-to-image".',
  ],
  run: runModels,
};

async function runModels({ values, positionals }: ParsedCommand, context: CliContext): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`kontext models takes no arguments (got ${positionals.join(' ')})`);
  if (values.json === true) {
    writeJson(
      context,
      models.map((model) => ({ name: model.name, path: model.path, imageInput: model.imageInput, default: model === defaultModel })),
    );
    return 0;
  }
  const rows = models.map((model) => [`${model.name}${model === defaultModel ? ' (default)' : ''}`, model.path, imageInputWords[model.imageInput]]);
  const header = ['MODEL', 'PATH', 'TAKES'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('  ');
  context.stdout.write(`${[header, ...rows].map(line).join('\n')}\n`);
  return 0;
}
