export { startEmulator, type RunningEmulator } from './emulator.js';
export {
  DEFAULT_API_KEY,
  DEFAULT_CLI_PORT,
  type ConfigurableOptions,
  type EmulatorOptions,
} from './options.js';
export { ROUTE_NAMES, type Counters, type RouteName } from './counters.js';
export type { DropMode, FaultTable, RouteFault } from './faults/fault-types.js';
export type { JobOutcome, KontextJobInput, KontextOutput, LogEntry } from './jobs/job-types.js';
export type { JobTimes } from './jobs/job.js';
export { FAIL_AT_RESULT_MARKER, FAIL_MARKER } from './jobs/job-outcome.js';
export { FAL_QUEUE_HOST } from './queue-urls.js';
export { createRandomSource, type RandomSource } from './random.js';
export type { OpenApiDocument } from './spec/openapi-document.js';
export { startCountingProxy, type CountingProxy, type CountingProxyOptions } from './proxy/counting-proxy.js';
export { startRecorder, type RecorderOptions, type RunningRecorder } from './cassettes/recorder.js';
export { startReplay, type ReplayOptions, type RunningReplay } from './cassettes/replayer.js';
export { readCassette, restoreDataUrls, BlobStore, type Cassette, type Exchange, type RecordedBody } from './cassettes/cassette.js';
