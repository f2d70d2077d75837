import { fileURLToPath } from 'node:url';
import {
  defaultEndpoint,
  downloadImage,
  nodeSleep,
  submitEndpoints,
  toImageUrl,
  type KontextClient,
  type QueueState,
  type Transport,
} from '@anyapi-kontext/core';
import { eventData, FAL_QUEUE_HOST, isTicket, JOB_PATHS, jobParameters, specRequest, statusEvent } from '@anyapi-kontext/core/portable';
import type { Check, CheckStatus } from './checks.js';

/** The smallest job: the default model, one image, the smallest sample picture. */
export const DOCTOR_JOB = {
  endpoint: defaultEndpoint,
  sample: fileURLToPath(new URL('../../samples/mountain-lake.jpg', import.meta.url)),
  prompt: 'kontext doctor: keep the picture as it is',
  images: 1,
};

/** What `--run-job` says before it spends anything. */
export function jobCostNotice(emulator: boolean): string {
  if (emulator) return `kontext doctor --run-job: one job of ${DOCTOR_JOB.images} image on ${DOCTOR_JOB.endpoint}, on the local emulator: it costs nothing.`;
  return (
    `kontext doctor --run-job submits one job to ${DOCTOR_JOB.endpoint} that makes ${DOCTOR_JOB.images} image: ` +
    'AnyAPI charges it as one image of that model (fal lists $0.04 per image; your plan decides). ' +
    'The usage call after it shows what it took from your quota.'
  );
}

const POLL_INTERVAL_MS = 500;
/** How much of an event that is not a queue status the report shows. */
const UNREADABLE_SHOWN = 80;
/** A job not done in this time is cancelled and reported. */
const JOB_DEADLINE_MS = 10 * 60_000;

export interface JobReport {
  requestId: string;
  endpoint: string;
  /** Milliseconds: the submit's round trip, time queued, time running, the result fetch, the download. */
  stages: Record<string, number | undefined>;
  /**
   * `firstEventMs` / `endEventMs`: from opening the stream to its first event and to the job's
   * end. `unreadable`: events that are not a queue status (not JSON, or no state of the spec's),
   * skipped as the client skips them; `firstUnreadable` is the start of the first one.
   */
  stream: {
    works: boolean;
    status: number;
    contentType?: string;
    events: number;
    states: QueueState[];
    unreadable: number;
    firstUnreadable?: string;
    firstEventMs?: number;
    endEventMs?: number;
  };
  ticketHost: string | undefined;
  imageHosts: string[];
  result: { keys: string[]; images: number; contentType?: string; width?: number; height?: number; dataUri: boolean };
  used?: number;
}

/**
 * Runs one job and records what the relay does at each step: the ticket as it comes (which host
 * its URLs carry: fal's, unchanged, or moved to the base URL's), whether the status stream
 * works, the result's shape and where its images live, and how long each stage took. Once the
 * job exists, any early end cancels it and names it.
 */
export async function runDoctorJob(
  client: KontextClient,
  transport: Transport,
  baseUrl: string,
  signal: AbortSignal,
): Promise<{ checks: Check[]; report?: JobReport }> {
  const info = submitEndpoints[DOCTOR_JOB.endpoint];
  const input = { prompt: DOCTOR_JOB.prompt, image_url: await toImageUrl(DOCTOR_JOB.sample), num_images: DOCTOR_JOB.images };
  const before = await client.usage({ signal }).catch(() => undefined);

  // The submit is sent as it is, not through `client.submit`, which swaps the ticket's host:
  // the point is to see what the relay returns.
  let started = performance.now();
  const submitted = await transport.send(specRequest('post', DOCTOR_JOB.endpoint, {}, { body: input, echoes: [input.image_url], signal }));
  const submitMs = performance.now() - started;
  const ticket = submitted.body;
  if (submitted.status !== 200 || !isTicket(ticket)) {
    return { checks: [{ name: 'job', status: 'fail', summary: `the submit answered ${submitted.status}: ${JSON.stringify(submitted.body).slice(0, 200)}` }] };
  }
  const requestId = ticket.request_id;
  const ref = { requestId, endpoint: DOCTOR_JOB.endpoint };
  try {
    const watched = await watchJob(transport, client, jobParameters({ requestId, app: info.app }), ref, signal);
    started = performance.now();
    const result = await client.result(ref, { signal });
    const resultMs = performance.now() - started;
    const images = result.data.images ?? [];
    let downloadMs: number | undefined;
    if (images[0]) {
      const downloadStarted = performance.now();
      await downloadImage(images[0], { signal });
      downloadMs = performance.now() - downloadStarted;
    }
    const after = await client.usage({ signal }).catch(() => undefined);
    const report: JobReport = {
      requestId,
      endpoint: DOCTOR_JOB.endpoint,
      stages: {
        submitMs: Math.round(submitMs),
        queuedMs: watched.queuedMs === undefined ? undefined : Math.round(watched.queuedMs),
        runningMs: watched.runningMs === undefined ? undefined : Math.round(watched.runningMs),
        resultMs: Math.round(resultMs),
        ...(downloadMs === undefined ? {} : { downloadMs: Math.round(downloadMs) }),
      },
      stream: watched.stream,
      ticketHost: hostOf(ticket.status_url ?? ticket.response_url),
      imageHosts: [...new Set(images.map((image) => (image.url.startsWith('data:') ? 'data URI' : (hostOf(image.url) ?? image.url))))],
      result: {
        keys: Object.keys(result.data).sort(),
        images: images.length,
        ...(images[0]?.content_type ? { contentType: images[0].content_type } : {}),
        ...(typeof images[0]?.width === 'number' ? { width: images[0].width } : {}),
        ...(typeof images[0]?.height === 'number' ? { height: images[0].height } : {}),
        dataUri: images.some((image) => image.url.startsWith('data:')),
      },
      ...(before && after ? { used: after.total_used - before.total_used } : {}),
    };
    return { checks: jobChecks(report, baseUrl), report };
  } catch (error) {
    // The job exists: cancel it (a failed job has ended, and the cancel says so) and name it.
    await client.cancel(ref).catch(() => undefined);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { checks: [{ name: 'job', status: 'fail', summary: `job ${requestId} did not finish: ${reason} (cancel sent)`, details: { requestId } }] };
  }
}

interface Watched {
  stream: JobReport['stream'];
  queuedMs?: number;
  runningMs?: number;
}

/** Follows the job to its end on the status stream, or by polling when the stream is not there. */
async function watchJob(
  transport: Transport,
  client: KontextClient,
  job: ReturnType<typeof jobParameters>,
  ref: { requestId: string; endpoint: typeof DOCTOR_JOB.endpoint },
  signal: AbortSignal,
): Promise<Watched> {
  const started = performance.now();
  const seen = new Map<QueueState, number>();
  const see = (state: QueueState) => {
    if (!seen.has(state)) seen.set(state, performance.now());
  };
  const stream: JobReport['stream'] = { works: false, status: 0, events: 0, states: [], unreadable: 0 };
  if (transport.openEventStream) {
    const openedAt = performance.now();
    const opened = await transport.openEventStream(specRequest('get', JOB_PATHS.statusStream, job, { query: { logs: 1 }, signal }));
    stream.status = opened.status;
    if (opened.headers['content-type']) stream.contentType = opened.headers['content-type'];
    if (opened.status === 200 && opened.headers['content-type']?.startsWith('text/event-stream')) {
      try {
        for await (const data of eventData(opened.chunks)) {
          stream.events += 1;
          stream.firstEventMs ??= Math.round(performance.now() - openedAt);
          const state = statusEvent(data)?.status;
          if (!state) {
            stream.unreadable += 1;
            stream.firstUnreadable ??= data.slice(0, UNREADABLE_SHOWN);
            continue;
          }
          see(state);
          if (!stream.states.includes(state)) stream.states.push(state);
          if (state === 'COMPLETED' || state === 'FAILED') {
            stream.endEventMs = Math.round(performance.now() - openedAt);
            break;
          }
        }
      } finally {
        opened.close();
      }
      stream.works = seen.has('COMPLETED') || seen.has('FAILED');
    } else {
      opened.close();
    }
  }
  const deadline = started + JOB_DEADLINE_MS;
  while (!seen.has('COMPLETED') && !seen.has('FAILED')) {
    if (performance.now() > deadline) throw new Error(`not done after ${JOB_DEADLINE_MS / 60_000} minutes`);
    const status = await client.status(ref, { signal });
    see(status.status);
    if (status.status !== 'COMPLETED' && status.status !== 'FAILED') await nodeSleep(POLL_INTERVAL_MS, signal);
  }
  const end = seen.get('COMPLETED') ?? seen.get('FAILED')!;
  const running = seen.get('IN_PROGRESS');
  return {
    stream,
    ...(running !== undefined ? { queuedMs: running - started, runningMs: end - running } : { queuedMs: end - started }),
  };
}

function jobChecks(report: JobReport, baseUrl: string): Check[] {
  const baseHost = new URL(baseUrl).host;
  const { stages, result } = report;
  const hostNote =
    report.ticketHost === FAL_QUEUE_HOST
      ? `${FAL_QUEUE_HOST}, fal's own (not moved: the client swaps in ${baseHost})`
      : report.ticketHost === baseHost
        ? `${baseHost} (moved to the base URL's host by the relay)`
        : `${report.ticketHost ?? 'none'} (neither fal's nor the base URL's)`;
  const stageText = [
    `submit ${stages.submitMs} ms`,
    ...(stages.queuedMs !== undefined ? [`queued ${stages.queuedMs} ms`] : []),
    ...(stages.runningMs !== undefined ? [`running ${stages.runningMs} ms`] : []),
    `result ${stages.resultMs} ms`,
    ...(stages.downloadMs !== undefined ? [`download ${stages.downloadMs} ms`] : []),
  ].join(', ');
  const shape = `${result.images} image${result.images === 1 ? '' : 's'}${result.contentType ? ` (${result.contentType}${result.width ? ` ${result.width}x${result.height}` : ''})` : ''}, fields: ${result.keys.join(', ')}`;
  return [
    { name: 'job', status: 'ok', summary: `${report.requestId} on ${report.endpoint}: ${stageText}${report.used !== undefined ? `; used ${report.used.toLocaleString('en-US')} of the quota` : ''}`, details: { requestId: report.requestId, stages, used: report.used } },
    streamCheck(report.stream),
    { name: 'queue URLs', status: 'ok', summary: `the ticket's URLs carry ${hostNote}`, details: { host: report.ticketHost } },
    { name: 'result', status: result.images > 0 ? 'ok' : 'fail', summary: `${shape}; images at ${report.imageHosts.join(', ') || 'nowhere'}`, details: { ...result, imageHosts: report.imageHosts } },
  ];
}

function streamCheck(stream: JobReport['stream']): Check {
  // Events that are not a queue status say the relay changes the stream: the client skips them.
  const skipped =
    stream.unreadable > 0
      ? `; ${stream.unreadable} of its ${stream.events} events ${stream.unreadable === 1 ? 'was' : 'were'} not a queue status and skipped, as clients skip them (the first: ${JSON.stringify(stream.firstUnreadable)})`
      : '';
  const line = (status: CheckStatus, summary: string): Check => ({ name: 'status stream', status: skipped ? 'warn' : status, summary: `${summary}${skipped}`, details: stream });
  // A relay that buffers the stream sends every event at the end: the client learns nothing early.
  const heldBack = stream.works && stream.endEventMs !== undefined && stream.endEventMs > 1000 && stream.endEventMs - (stream.firstEventMs ?? 0) < 100;
  if (heldBack) return line('warn', `held back: all ${stream.events} events came at the job's end, ${stream.endEventMs} ms after it opened (clients should poll)`);
  if (stream.works) return line('ok', `works: ${stream.events} events (${stream.states.join(' -> ')}), the first after ${stream.firstEventMs} ms`);
  if (stream.events > 0) return line('warn', `ended before the job did (${stream.events} events${stream.states.length ? `: ${stream.states.join(' -> ')}` : ''}): clients poll the status instead`);
  return line('warn', `not passed through (${stream.status || 'not tried'}${stream.contentType ? `, ${stream.contentType}` : ''}): clients poll the status instead`);
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
