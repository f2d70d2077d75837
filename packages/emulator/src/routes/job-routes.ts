import { EventStream } from '../http/event-stream.js';
import { detailReply, jsonReply, type JsonReply, type Reply } from '../http/reply.js';
import { preciseNow, type Job } from '../jobs/job.js';
import { statusView } from '../jobs/status-view.js';
import { queuePathMatcher, type Route, type RouteContext } from '../router.js';
import type { EmulatorServices } from '../services.js';

// The routes of one job, under `/{owner}/{app}/requests/{id}`: status, its event stream, the
// result and cancel. Each finds the job the same way (lookupJob) and answers from its state.

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
    return statusStream(job, context.services, withLogs, context.faultEvent);
  },
};

function statusStream(job: Job, services: EmulatorServices, withLogs: boolean, faultEvent: string | undefined): Reply {
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
      if (faultEvent !== undefined) stream.sendData(faultEvent);
      sendIfChanged();
    },
  };
}

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

/**
 * `PUT .../cancel`, the three answers fal documents, each `{status}`: 202 CANCELLATION_REQUESTED
 * for a queued or running job (it ends at once: status COMPLETED, result 400 "Request was
 * cancelled."), 400 ALREADY_COMPLETED once ended, 404 NOT_FOUND for a job this app does not have.
 */
export const cancelRoute: Route = {
  name: 'cancel',
  method: 'PUT',
  requiresAuth: true,
  match: queuePathMatcher('/cancel'),
  async handle(context) {
    const job = lookupJob(context, { allowAuto: false });
    if (isReply(job)) return jsonReply(404, { status: 'NOT_FOUND' });
    context.services.counters.increment('cancels');
    const answer = context.services.queue.cancel(job);
    return jsonReply(answer === 'CANCELLATION_REQUESTED' ? 202 : 400, { status: answer }, { 'x-fal-request-id': job.id });
  },
};

/**
 * The job a queue path names. The owner/app segments must be the job's app id
 * (`fal-ai/flux-pro`), as on fal; the result call also takes AnyAPI's `fal-ai/auto`.
 */
function lookupJob(context: RouteContext, options: { allowAuto: boolean }): Job | JsonReply {
  const { owner = '', modelName = '', requestId = '' } = context.params;
  const job = context.services.queue.get(requestId);
  const app = `${owner}/${modelName}`;
  const modelMatches = job !== undefined && (app === job.appId || (options.allowAuto && app === 'fal-ai/auto'));
  if (!job || !modelMatches) return detailReply(404, 'Request not found');
  return job;
}

function isReply(value: Job | JsonReply): value is JsonReply {
  return (value as JsonReply).kind === 'json';
}
