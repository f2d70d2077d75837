import { ApiError, AuthenticationError, ConnectionError, KontextError } from '@anyapi-kontext/core';

/** One line for any error, for a progress line or the final message. */
export function describeError(error: unknown): string {
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
