import type { JobEnding, JobOutcome, JobState, KontextJobInput, LogEntry } from './job-types.js';
import type { DecodedImage } from '../images/decoded-image.js';
import type { SubmitEndpoint } from '../spec/submit-endpoints.js';

export interface JobInit {
  id: string;
  /** The endpoint it was submitted to: its app id, image input and name. */
  endpoint: SubmitEndpoint;
  input: KontextJobInput;
  /** The body exactly as submitted, for AnyAPI's `request` echo. */
  submittedBody: Record<string, unknown>;
  /** The input images, in order: none for text to image, one, or several for a multi model. */
  sourceImages: DecodedImage[];
  seed: number;
  outcome: JobOutcome;
  webhookUrl: string | undefined;
  /** When the submit request reached the emulator (see `JobTimes.receivedAt`); default: now. */
  receivedAt?: number;
}

type ChangeListener = () => void;

/** Milliseconds since the epoch with sub-millisecond precision: job times are compared across processes. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** When a job went through each stage, on the emulator's clock (see `preciseNow`). */
export interface JobTimes {
  /**
   * When the submit request reached the emulator. The job exists from `submittedAt`, once its
   * body was checked and its input images fetched and decoded: the gap is the server's part.
   */
  receivedAt: number;
  submittedAt: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  /** The first result request for the job: when a client acted on its end. */
  resultRequestedAt: number | undefined;
}

/**
 * One queued request and everything its status, stream, result and webhook report.
 * It only records state; the queue and the runner decide when it changes.
 */
export class Job {
  readonly id: string;
  readonly endpoint: SubmitEndpoint;
  /** fal's app id without the model's sub-path, e.g. `fal-ai/flux-pro`. */
  readonly appId: string;
  readonly input: KontextJobInput;
  readonly submittedBody: Record<string, unknown>;
  readonly seed: number;
  readonly outcome: JobOutcome;
  readonly webhookUrl: string | undefined;

  /** Released once the job ends: decoded pixels are the biggest thing a job holds. */
  sourceImages: DecodedImage[] | undefined;
  state: JobState = 'IN_QUEUE';
  readonly submittedAt = preciseNow();
  readonly receivedAt: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  resultRequestedAt: number | undefined;
  ending: JobEnding | undefined;
  readonly logs: LogEntry[] = [];

  private readonly listeners = new Set<ChangeListener>();

  constructor(init: JobInit) {
    this.id = init.id;
    this.endpoint = init.endpoint;
    this.appId = init.endpoint.appId;
    this.input = init.input;
    this.submittedBody = init.submittedBody;
    this.sourceImages = init.sourceImages;
    this.seed = init.seed;
    this.outcome = init.outcome;
    this.webhookUrl = init.webhookUrl;
    this.receivedAt = init.receivedAt ?? this.submittedAt;
  }

  get times(): JobTimes {
    const { receivedAt, submittedAt, startedAt, endedAt, resultRequestedAt } = this;
    return { receivedAt, submittedAt, startedAt, endedAt, resultRequestedAt };
  }

  get hasEnded(): boolean {
    return this.ending !== undefined;
  }

  /** Seconds between start and end, fal's `metrics.inference_time`. */
  get inferenceTime(): number | null {
    if (this.startedAt === undefined || this.endedAt === undefined) return null;
    return (this.endedAt - this.startedAt) / 1000;
  }

  markStarted(): void {
    this.state = 'IN_PROGRESS';
    this.startedAt = preciseNow();
    this.notifyChange();
  }

  addLog(message: string, level: LogEntry['level'] = 'INFO'): void {
    this.logs.push({ message, level, source: 'USER', timestamp: new Date().toISOString() });
    this.notifyChange();
  }

  /** Ends the job. Only AnyAPI's gateway failure shows as FAILED; everything else is COMPLETED. */
  end(ending: JobEnding): void {
    if (this.ending) return;
    this.ending = ending;
    this.endedAt = preciseNow();
    this.state = ending.kind === 'error' && ending.reason === 'failed' ? 'FAILED' : 'COMPLETED';
    this.sourceImages = undefined;
    this.notifyChange();
  }

  /** Subscribes to any change (state, logs, queue position); returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notifyChange(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
