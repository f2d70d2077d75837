import { commonOptions, type CommandSpec } from '../command.js';
import { namingModelPath } from '../describe-error.js';
import { jobModelPathOption, jobRefFrom, withConnection, writeJson } from './with-connection.js';

export const cancelCommand: CommandSpec = {
  name: 'cancel',
  summary: 'Cancel a queued or running job',
  positionals: '<request id>',
  options: { 'model-path': jobModelPathOption, ...commonOptions },
  details: ['A job that already finished cannot be cancelled; that is reported, with exit code 0.'],
  async run(parsed, context) {
    const { values } = parsed;
    const { requestId, ref, modelPath } = jobRefFrom(parsed, cancelCommand);
    return withConnection(context, async ({ client }) => {
      const outcome = await namingModelPath(modelPath, () => client.cancel(ref, { signal: context.signal }));
      if (values.json === true) writeJson(context, { requestId, status: outcome });
      else if (outcome === 'CANCELLATION_REQUESTED') context.stdout.write(`${requestId}: cancellation requested\n`);
      else context.stdout.write(`${requestId}: already completed, nothing to cancel\n`);
      return 0;
    }, { requireKeyFor: 'cancel' });
  },
};
