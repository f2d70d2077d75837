import type { AddressInfo } from 'node:net';
import { RequestCounters, type Counters } from './counters.js';
import { FaultInjector } from './faults/fault-injector.js';
import { FileStore } from './files/file-store.js';
import { Uplink } from './http/read-body.js';
import type { JobTimes } from './jobs/job.js';
import { JobQueue } from './jobs/job-queue.js';
import type { KontextJobInput } from './jobs/job-types.js';
import { runJob } from './jobs/job-runner.js';
import { deliverWebhook, webhookPayload } from './jobs/webhook.js';
import { applyConfiguration, resolveOptions, type ConfigurableOptions, type EmulatorOptions } from './options.js';
import { createRandomSource } from './random.js';
import type { Route } from './router.js';
import { cancelRoute, resultRoute, statusRoute, streamRoute } from './routes/job-routes.js';
import { filesRoute, usageRoute } from './routes/service-routes.js';
import { submitRoute } from './routes/submit.js';
import { createEmulatorServer } from './server.js';
import type { EmulatorServices } from './services.js';
import { InputValidator } from './spec/input-validator.js';
import { extraSubmitEndpoints, listedSubmitEndpoints } from './spec/submit-endpoints.js';
import { UsageLedger } from './usage-ledger.js';

export interface RunningEmulator {
  /** Base URL to give a client, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  url: string;
  /** The key it accepts (the current one, if configure() changed it). */
  readonly apiKey: string;
  /** A snapshot of the request counters; read it again for fresh numbers. */
  readonly counters: Counters;
  resetCounters(): void;
  /** Changes options on the fly; `faults` replaces the whole fault table. */
  configure(changes: ConfigurableOptions): void;
  /**
   * Lets every job running now finish at once (logs written, images rendered) instead of at
   * the end of its `jobDuration`; returns how many. With a long `jobDuration` this lets a test
   * hold jobs in the queue for as long as it needs, then end them without waiting.
   */
  finishRunningJobs(): number;
  /**
   * When the job was submitted, started, ended and its result first asked for, in ms since
   * the epoch with sub-millisecond precision (`performance.timeOrigin + performance.now()`);
   * undefined for an unknown id. A benchmark takes a client's detection latency from it:
   * `resultRequestedAt - endedAt`, both on this clock.
   */
  jobTimes(requestId: string): JobTimes | undefined;
  /** Closes the server, its open connections and every pending job and webhook. */
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const random = createRandomSource(resolved.seed);
  const counters = new RequestCounters();
  const files = new FileStore();
  const usage = new UsageLedger(resolved.quota);
  const faults = new FaultInjector(resolved.faults, random);
  const listed = listedSubmitEndpoints(resolved.spec);
  const submitEndpoints = [...listed, ...extraSubmitEndpoints(resolved.extraModels, listed)];
  let url = '';
  const jobDurationOf = (input: KontextJobInput): number => {
    const chosen = resolved.jobDurationFor?.(input);
    return chosen !== undefined && Number.isFinite(chosen) && chosen >= 0 ? chosen : resolved.jobDuration;
  };

  const queue = new JobQueue(
    (job, signal, hurry) =>
      runJob(job, signal, hurry, {
        jobDuration: (job) => jobDurationOf(job.input),
        jobLogs: () => resolved.jobLogs,
        outputTarget: () => ({ files, filesBaseUrl: (resolved.filesBaseUrl ?? url).replace(/\/+$/, '') }),
        onImagesDelivered: (count) => usage.recordImages(count),
      }),
    () => resolved.concurrency,
  );
  const webhooks = new AbortController();
  queue.onJobEnded((job) => {
    if (!job.webhookUrl) return;
    // The payload is built once, when the job ends: every retry carries the same body.
    void deliverWebhook(job.webhookUrl, webhookPayload(job), resolved.webhookRetry, webhooks.signal, {
      onAttempt: () => counters.increment('webhooks'),
      onEnd: (delivered) => counters.increment(delivered ? 'webhooksDelivered' : 'webhooksFailed'),
    });
  });

  const services: EmulatorServices = {
    options: resolved,
    counters,
    queue,
    files,
    usage,
    random,
    validator: new InputValidator(resolved.spec, submitEndpoints),
    uplink: new Uplink(() => resolved.uplink),
  };
  const routes: Route[] = [
    submitRoute(submitEndpoints),
    statusRoute,
    streamRoute,
    resultRoute,
    cancelRoute,
    usageRoute,
    filesRoute,
  ];
  const server = createEmulatorServer(routes, services, faults);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    get apiKey() {
      return resolved.apiKey;
    },
    get counters() {
      return counters.snapshot();
    },
    resetCounters: () => counters.reset(),
    configure(changes) {
      applyConfiguration(resolved, changes);
      if ('faults' in changes) faults.replace(changes.faults ?? {});
      // More workers may let waiting jobs start now.
      queue.pump();
    },
    finishRunningJobs: () => queue.hurryRunning(),
    jobTimes: (requestId) => queue.get(requestId)?.times,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        queue.stop();
        webhooks.abort();
        server.close(() => resolve());
        // Event streams and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
