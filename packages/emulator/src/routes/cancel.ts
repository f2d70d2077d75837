import { jsonReply } from '../http/reply.js';
import { queuePathMatcher, type Route } from '../router.js';
import { isReply, lookupJob } from './job-lookup.js';

/**
 * `PUT .../cancel`: 202 CANCELLATION_REQUESTED for a queued or running job (it ends at once:
 * status COMPLETED, result 400 "Request was cancelled."), 400 ALREADY_COMPLETED once ended.
 */
export const cancelRoute: Route = {
  name: 'cancel',
  method: 'PUT',
  requiresAuth: true,
  match: queuePathMatcher('/cancel'),
  async handle(context) {
    const job = lookupJob(context, { allowAuto: false });
    if (isReply(job)) return job;
    context.services.counters.increment('cancels');
    const answer = context.services.queue.cancel(job);
    return jsonReply(answer === 'CANCELLATION_REQUESTED' ? 202 : 400, { status: answer }, { 'x-fal-request-id': job.id });
  },
};
