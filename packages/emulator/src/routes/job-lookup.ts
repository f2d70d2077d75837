import type { Job } from '../jobs/job.js';
import { detailReply, type JsonReply } from '../http/reply.js';
import type { RouteContext } from '../router.js';

/**
 * The job a queue path names. The owner/app segments must be the job's app id
 * (`fal-ai/flux-pro`), as on fal; the result call also takes AnyAPI's `fal-ai/auto`.
 */
export function lookupJob(context: RouteContext, options: { allowAuto: boolean }): Job | JsonReply {
  const { owner = '', modelName = '', requestId = '' } = context.params;
  const job = context.services.queue.get(requestId);
  const app = `${owner}/${modelName}`;
  const modelMatches = job !== undefined && (app === job.appId || (options.allowAuto && app === 'fal-ai/auto'));
  if (!job || !modelMatches) return detailReply(404, 'Request not found');
  return job;
}

export function isReply(value: Job | JsonReply): value is JsonReply {
  return (value as JsonReply).kind === 'json';
}
