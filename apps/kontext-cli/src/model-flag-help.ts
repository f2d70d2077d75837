import type { FieldSchema } from '@anyapi-kontext/core';

/** A range this wide is not worth showing in a flag's value name (a seed's is 0 to 2^32-1). */
const WIDEST_SHOWN_RANGE = 100;

/**
 * The `<...>` after a model flag in `--help`, read from the spec so a new range or choice shows
 * up after `pnpm generate` with no edit here: `<1-20>`, `<jpeg|png>`, `<int>`.
 */
export function flagValueName(schema: FieldSchema): string {
  if (schema.enum) {
    const values = schema.enum.map(String);
    const numbers = values.map(Number);
    const consecutive = numbers.every((n, i) => Number.isInteger(n) && (i === 0 || n === numbers[i - 1]! + 1));
    return consecutive && values.length > 2 ? `<${values[0]}-${values.at(-1)}>` : `<${values.join('|')}>`;
  }
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined && maximum - minimum <= WIDEST_SHOWN_RANGE) return `<${minimum}-${maximum}>`;
  if (schema.type === 'integer') return '<int>';
  if (schema.type === 'number') return '<number>';
  if (schema.type === 'array') return '<a,b,...>';
  if (schema.type === 'object') return '<json>';
  return '<text>';
}

/** A flag's help line: its words, then what the spec says of the choices and the default. */
export function flagDescription(words: string, schema: FieldSchema): string {
  // Only the choices whose names say more than their value: "1 (strictest)" becomes "1 strictest".
  const named = (schema['x-enum-names'] ?? [])
    .filter((name, i) => name.toLowerCase() !== String(schema.enum?.[i]).toLowerCase())
    .map((name) => name.replace(/\s*\((.*)\)$/, ' $1'));
  const notes = named.length > 0 ? [named.join(', ')] : [];
  // A boolean flag is off unless given: its default says nothing.
  if (schema.default !== undefined && schema.type !== 'boolean') notes.push(`default ${String(schema.default)}`);
  return notes.length > 0 ? `${words} (${notes.join('; ')})` : words;
}
