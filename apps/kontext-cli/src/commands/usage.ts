import { commonOptions, UsageError, type CommandSpec } from '../command.js';
import { withConnection, writeJson } from './with-connection.js';

export const usageCommand: CommandSpec = {
  name: 'usage',
  summary: "Show the key's quota: granted, used and available (a free call, handy to test a key)",
  positionals: '',
  options: { ...commonOptions },
  async run({ values, positionals }, context) {
    if (positionals.length > 0) throw new UsageError('kontext usage takes no arguments (see: kontext usage --help)');
    return withConnection(context, async ({ client }) => {
      const usage = await client.usage({ signal: context.signal });
      if (values.json === true) {
        writeJson(context, usage);
        return 0;
      }
      const quota = (n: number) => (usage.unlimited_quota ? 'unlimited' : n.toLocaleString('en-US'));
      const lines = [
        ...(usage.name ? [`key:        ${usage.name}`] : []),
        `granted:    ${quota(usage.total_granted)}`,
        `used:       ${usage.total_used.toLocaleString('en-US')}`,
        `available:  ${quota(usage.total_available)}`,
        `expires:    ${usage.expires_at ? new Date(usage.expires_at * 1000).toISOString() : 'never'}`,
      ];
      context.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }, { requireKeyFor: 'usage' });
  },
};
