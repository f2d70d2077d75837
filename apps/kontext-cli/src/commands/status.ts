import { commonOptions, type CommandSpec } from '../command.js';
import { namingModelPath } from '../describe-error.js';
import { jobModelPathOption, jobRefFrom, withConnection, writeJson } from './with-connection.js';

export const statusCommand: CommandSpec = {
  name: 'status',
  summary: "Show a job's status (queued with its position, running, completed, failed)",
  positionals: '<request id>',
  options: {
    logs: { type: 'boolean', description: "include the job's log lines" },
    'model-path': jobModelPathOption,
    ...commonOptions,
  },
  async run(parsed, context) {
    const { values } = parsed;
    const { requestId, ref, modelPath } = jobRefFrom(parsed, statusCommand);
    return withConnection(context, async ({ client }) => {
      const status = await namingModelPath(modelPath, () => client.status(ref, { logs: values.logs === true, signal: context.signal }));
      if (values.json === true) {
        writeJson(context, status);
        return 0;
      }
      const position = 'queue_position' in status && typeof status.queue_position === 'number' ? ` (position ${status.queue_position + 1})` : '';
      context.stdout.write(`${requestId}: ${status.status}${position}\n`);
      const logs = 'logs' in status && Array.isArray(status.logs) ? status.logs : [];
      for (const entry of logs) context.stdout.write(`  ${entry.timestamp ?? ''} ${entry.level ?? ''} ${entry.message}\n`);
      return 0;
    }, { requireKeyFor: 'status' });
  },
};
