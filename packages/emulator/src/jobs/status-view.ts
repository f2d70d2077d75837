import type { Job } from './job.js';
import { requestUrls } from '../queue-urls.js';

export interface StatusView {
  /** 202 while queued or running, 200 once ended. */
  httpStatus: 200 | 202;
  body: Record<string, unknown>;
}

/** The body of `GET .../status` (and of each status stream event) for a job right now. */
export function statusView(job: Job, queuePosition: number | undefined, withLogs: boolean): StatusView {
  const { response_url } = requestUrls(job.appId, job.id);
  const logs = withLogs ? [...job.logs] : null;
  switch (job.state) {
    case 'IN_QUEUE':
      return { httpStatus: 202, body: { status: 'IN_QUEUE', queue_position: queuePosition ?? 0, response_url } };
    case 'IN_PROGRESS':
      return { httpStatus: 202, body: { status: 'IN_PROGRESS', logs, response_url } };
    case 'COMPLETED':
      return {
        httpStatus: 200,
        body: { status: 'COMPLETED', logs, response_url, metrics: { inference_time: job.inferenceTime } },
      };
    case 'FAILED':
      return { httpStatus: 200, body: { status: 'FAILED', logs, response_url, error: failureText(job) } };
  }
}

function failureText(job: Job): string | null {
  const ending = job.ending;
  if (ending?.kind !== 'error') return null;
  const detail = (ending.body as { detail?: unknown }).detail;
  return typeof detail === 'string' ? detail : `HTTP ${ending.httpStatus}`;
}
