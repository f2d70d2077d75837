import { ApiError, AuthenticationError, ConnectionError, InputError, KontextError, NotFoundError } from '@anyapi-kontext/core';

/**
 * An error of a job or call on a model path given with `--model-path` that the spec does not
 * list: its line names the path, and a submit the service answers 404 says it has no such model.
 */
export class ModelPathError extends Error {
  override name = 'ModelPathError';

  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Runs a call about a job on `path` (when given) so that its error names the path. An
 * InputError is left as it is: it is about what was typed (exit 2), not about the model.
 */
export async function namingModelPath<T>(path: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (path === undefined || error instanceof InputError) throw error;
    throw new ModelPathError(path, error);
  }
}

/** One line for any error, for a progress line or the final message. */
export function describeError(error: unknown): string {
  if (error instanceof ModelPathError) {
    const { path, cause } = error;
    // A 404 with no job yet is the submit's: the service has no model at that path.
    if (cause instanceof NotFoundError && !cause.requestId) return `AnyAPI has no model at ${path} (404 Not Found)`;
    return `${describeError(cause)} (model ${path})`;
  }
  if (error instanceof AuthenticationError) {
    return 'AnyAPI refused the key (401): check ANYAPI_API_KEY';
  }
  if (error instanceof ApiError) {
    // The message already says "failed with <status>": add the error type only, once.
    const type = error.errorType && !error.message.includes(error.errorType) ? ` (${error.errorType})` : '';
    return firstLine(`${error.message}${type}`);
  }
  if (error instanceof ConnectionError) {
    return firstLine(`cannot reach the API: ${error.message}`);
  }
  if (error instanceof KontextError || error instanceof Error) return firstLine(error.message);
  return firstLine(String(error));
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
