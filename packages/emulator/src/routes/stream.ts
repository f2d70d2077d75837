import { EventStream } from '../http/event-stream.js';
import { detailReply, type Reply } from '../http/reply.js';
import type { Job } from '../jobs/job.js';
import { statusView } from '../jobs/status-view.js';
import { queuePathMatcher, type Route } from '../router.js';
import type { EmulatorServices } from '../services.js';
import { isReply, lookupJob } from './job-lookup.js';

/**
 * `GET .../status/stream`: the job's status as server-sent events, one per change, closed
 * after the job ends. AnyAPI does not document it, so `stream: false` answers 405 to make
 * clients prove they fall back to polling.
 */
export const streamRoute: Route = {
  name: 'stream',
  method: 'GET',
  requiresAuth: true,
  match: queuePathMatcher('/status/stream'),
  async handle(context) {
    if (!context.services.options.stream) return detailReply(405, 'Method Not Allowed');
    const job = lookupJob(context, { allowAuto: false });
    if (isReply(job)) return job;
    const withLogs = context.url.searchParams.get('logs') === '1';
    return statusStream(job, context.services, withLogs);
  },
};

function statusStream(job: Job, services: EmulatorServices, withLogs: boolean): Reply {
  return {
    kind: 'stream',
    open(response) {
      const stream = new EventStream(response, services.options.streamPingInterval);
      let lastSent = '';
      const sendIfChanged = (): void => {
        const { body } = statusView(job, services.queue.positionOf(job), withLogs);
        const text = JSON.stringify(body);
        if (text !== lastSent) {
          lastSent = text;
          stream.sendData(text);
        }
        if (job.hasEnded) stream.close();
      };
      const unsubscribe = job.onChange(sendIfChanged);
      stream.onClose(unsubscribe);
      sendIfChanged();
    },
  };
}
