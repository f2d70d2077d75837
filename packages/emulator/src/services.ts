import type { RequestCounters } from './counters.js';
import type { FileStore } from './files/file-store.js';
import type { Uplink } from './http/read-body.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { ResolvedOptions } from './options.js';
import type { RandomSource } from './random.js';
import type { InputValidator } from './spec/input-validator.js';
import type { UsageLedger } from './usage-ledger.js';

/** What the routes share: one instance per running emulator, so several can run side by side. */
export interface EmulatorServices {
  /** Live options: configure() changes them in place. */
  options: ResolvedOptions;
  counters: RequestCounters;
  queue: JobQueue;
  files: FileStore;
  usage: UsageLedger;
  random: RandomSource;
  validator: InputValidator;
  /** The client's upload link every request body is read through (option `uplink`). */
  uplink: Uplink;
}
