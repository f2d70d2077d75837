// What checks the input, sends and waits: the spec's schemas and their checker, the queue
// calls, retries, polling and the status stream. The lifecycle loads this on its first call
// (see queue-lifecycle.ts), so importing the core stays small.
export { cancelJob, getResult, getStatus, getUsage, submitJob } from './queue-calls.js';
export { checkAnyCall, checkRunOptions, checkSubmitOptions, runJob } from './run-job.js';
export { validateAnyInput, validateInput } from '../validation/validate-input.js';
