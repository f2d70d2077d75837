import type { Job } from '../jobs/job.js';
import { detailReply, type JsonReply } from '../http/reply.js';
import type { RouteContext } from '../router.js';

/**
 * The job a queue path names. The model segment must be the job's app name (`flux-pro`),
 * as on fal; the result call also takes AnyAPI's `auto`.
 */
export function lookupJob(context: RouteContext, options: { allowAuto: boolean }): Job | JsonReply {
  const { modelName = '', requestId = '' } = context.params;
  const job = context.services.queue.get(requestId);
  const modelMatches = job !== undefined && (modelName === job.appName || (options.allowAuto && modelName === 'auto'));
  if (!job || !modelMatches) return detailReply(404, 'Request not found');
  return job;
}

export function isReply(value: Job | JsonReply): value is JsonReply {
  return (value as JsonReply).kind === 'json';
}
