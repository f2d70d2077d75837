import { UsageError } from './command.js';

// The command's own number flags. The model's options are not checked here: their limits
// live in the spec, and the core's validateInput reports them.

export function positiveInteger(value: string | boolean | undefined, flag: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < 1) {
    throw new UsageError(`${flag} must be a whole number of at least 1 (got ${JSON.stringify(value)})`);
  }
  return number;
}

export function positiveSeconds(value: string | boolean | undefined, flag: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag} must be a number of seconds above 0 (got ${JSON.stringify(value)})`);
  }
  return number;
}
