/**
 * What is wrong with an API key, in words that never quote it (not even the type of a
 * character's neighbour): undefined when it can be sent. A key is sent trimmed; inside, it must
 * be printable ASCII with no spaces, because an HTTP header cannot carry anything else and a
 * runtime refusing the header would quote the key in its error.
 */
export function apiKeyProblem(apiKey: unknown): string | undefined {
  if (apiKey === undefined || apiKey === null) return 'it is missing';
  if (typeof apiKey !== 'string') return `it is ${apiKey instanceof Object ? 'an object' : `a ${typeof apiKey}`}, not a text`;
  const key = apiKey.trim();
  if (key === '') return 'it is empty';
  if (/[\r\n]/.test(key)) return 'it contains a line break';
  if (/\s/.test(key)) return 'it contains a space or a tab';
  if (/\p{Cc}/u.test(key)) return 'it contains a control character';
  if (/[^\x21-\x7e]/.test(key)) return 'it contains a character that is not printable ASCII';
  return undefined;
}

/** The message for a bad key under `field` (`apiKey`, `ANYAPI_API_KEY`, `API Key`). */
export function apiKeyMessage(field: string, problem: string): string {
  return `${field} must be your AnyAPI key: one line of printable ASCII with no spaces inside (${problem})`;
}
