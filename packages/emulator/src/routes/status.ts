import { jsonReply } from '../http/reply.js';
import { statusView } from '../jobs/status-view.js';
import { queuePathMatcher, type Route } from '../router.js';
import { isReply, lookupJob } from './job-lookup.js';

/** `GET /fal-ai/{model}/requests/{id}/status[?logs=1]`: 202 while queued or running, 200 once ended. */
export const statusRoute: Route = {
  name: 'status',
  method: 'GET',
  requiresAuth: true,
  match: queuePathMatcher('/status'),
  async handle(context) {
    const job = lookupJob(context, { allowAuto: false });
    if (isReply(job)) return job;
    const withLogs = context.url.searchParams.get('logs') === '1';
    const view = statusView(job, context.services.queue.positionOf(job), withLogs);
    return jsonReply(view.httpStatus, view.body, { 'x-fal-request-id': job.id });
  },
};
