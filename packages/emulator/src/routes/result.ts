import { detailReply, jsonReply } from '../http/reply.js';
import { queuePathMatcher, type Route } from '../router.js';
import { preciseNow } from '../jobs/job.js';
import { isReply, lookupJob } from './job-lookup.js';

/**
 * `GET /fal-ai/{model}/requests/{id}` (model may be `auto`): the output once the job has
 * ended, or the error it ended with; 400 while it is still queued or running.
 */
export const resultRoute: Route = {
  name: 'result',
  method: 'GET',
  requiresAuth: true,
  match: queuePathMatcher(''),
  async handle(context) {
    const job = lookupJob(context, { allowAuto: true });
    if (isReply(job)) return job;
    job.resultRequestedAt ??= preciseNow();
    const idHeader = { 'x-fal-request-id': job.id };
    const ending = job.ending;
    if (!ending) return detailReply(400, 'Request is still in progress', idHeader);
    if (ending.kind === 'output') return jsonReply(200, ending.output, idHeader);
    return jsonReply(ending.httpStatus, ending.body, { ...ending.headers, ...idHeader });
  },
};
