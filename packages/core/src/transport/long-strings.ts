/** Strings this long are worth not copying: data URLs of input images. */
export const LONG_STRING = 64 * 1024;

/** Printable ASCII without `"` and `\`: JSON writes such a string as it is, between quotes. */
export const NEEDS_NO_ESCAPING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const isLong = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= LONG_STRING && NEEDS_NO_ESCAPING.test(value);

/** The long strings of a submit body (its data URLs), which AnyAPI's result echoes back. */
export function longStrings(body: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (isLong(value)) found.push(value);
    else if (depth < 4 && value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  visit(body, 0);
  return found;
}
