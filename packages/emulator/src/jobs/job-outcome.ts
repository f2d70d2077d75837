import { promptOf, type JobOutcome, type KontextJobInput } from './job-types.js';

/** Prompt markers let any client, even a subprocess, make a job fail on purpose. */
export const FAIL_MARKER = '[fail]';
export const FAIL_AT_RESULT_MARKER = '[fail-at-result]';

export function decideOutcome(
  input: KontextJobInput,
  custom: ((input: KontextJobInput) => JobOutcome | undefined) | undefined,
): JobOutcome {
  const chosen = custom?.(input);
  if (chosen) return chosen;
  const prompt = promptOf(input);
  if (prompt.includes(FAIL_AT_RESULT_MARKER)) return 'fail-at-result';
  if (prompt.includes(FAIL_MARKER)) return 'failed';
  return 'ok';
}
