// Types one AnyAPI endpoint's submit body. Three layers, each winning over the one before:
//   1. the document: JSON type, `required`, arrays (`items`), nested objects, and any schema
//      keyword it states itself; plus what its Chinese descriptions plainly say
//      (description-hints.mjs), which an explicit keyword of the document overrides;
//   2. kontext.yaml `x-input-fields.<field>`: English and sharper constraints for a field on
//      every endpoint that has it;
//   3. kontext.yaml `x-endpoints.<path>.fields.<field>`: the same for one endpoint.
// A field left without an English title gets one made from its name, and a warning.
import { readDescriptionHints } from './description-hints.mjs';

/** Schema keywords copied from AnyAPI's documents as they are (descriptions are Chinese: not copied). */
const COPIED_KEYWORDS = [
  'type',
  'format',
  'enum',
  'const',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
];

const ACRONYMS = new Map([
  ['url', 'URL'],
  ['urls', 'URLs'],
  ['id', 'ID'],
  ['ids', 'IDs'],
  ['cfg', 'CFG'],
  ['fps', 'FPS'],
]);

/** `image_size` -> `Image Size`, `image_urls` -> `Image URLs`. */
export function titleFromName(name) {
  return name
    .split(/[_\s-]+|(?<=[a-z])(?=[A-Z])/)
    .filter(Boolean)
    .map((word) => ACRONYMS.get(word.toLowerCase()) ?? word[0].toUpperCase() + word.slice(1))
    .join(' ');
}

/** `/fal-ai/x image_size.width`, `/fal-ai/x loras[].scale`: the endpoint, then the field's path in the body. */
const label = (path) =>
  `${path[0]} ${path
    .slice(1)
    .reduce((name, segment) => (segment === '[]' ? `${name}[]` : name ? `${name}.${segment}` : segment), '')}`;

const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Objects merge key by key (so `properties` and `items` merge too); anything else is replaced. */
export function mergeSchemas(base, over) {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const merged = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = key in base ? mergeSchemas(base[key], value) : value;
  return merged;
}

/**
 * The schema with the document's own `#/components/schemas/...` references replaced by what
 * they point at (apifox exports may use them); a reference that loops or points nowhere
 * becomes an empty schema rather than an error.
 */
export function inlineRefs(schema, document, seen = new Set()) {
  if (Array.isArray(schema)) return schema.map((item) => inlineRefs(item, document, seen));
  if (!isPlainObject(schema)) return schema;
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
    const target = name === undefined ? undefined : document?.components?.schemas?.[name];
    if (!isPlainObject(target) || seen.has(name)) return {};
    const { $ref: _ref, ...siblings } = schema;
    return { ...inlineRefs(target, document, new Set([...seen, name])), ...siblings };
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inlineRefs(value, document, seen)]));
}

/** One property of AnyAPI's document, typed from its own keywords and its description. */
function fromDocument(property) {
  if (!isPlainObject(property)) return {};
  let type = property.type;
  if (property.nullable === true && typeof type === 'string') type = [type, 'null'];
  const typeName = Array.isArray(type) ? type.find((t) => t !== 'null') : type;
  const schema = { ...(type === undefined ? {} : { type }), ...readDescriptionHints(property.description, typeName) };
  for (const keyword of COPIED_KEYWORDS) if (keyword in property) schema[keyword] = property[keyword];
  if (type !== undefined) schema.type = type;
  if (isPlainObject(property.items)) schema.items = fromDocument(property.items);
  if (isPlainObject(property.properties)) {
    schema.properties = Object.fromEntries(
      orderedNames(property).map((name) => [name, fromDocument(property.properties[name])]),
    );
    if (Array.isArray(property.required) && property.required.length > 0) schema.required = [...property.required];
    schema.additionalProperties = false;
  }
  return schema;
}

/** The document's field order: apifox keeps it in `x-apifox-orders`. */
function orderedNames(objectSchema) {
  const names = Object.keys(objectSchema.properties ?? {});
  const order = (objectSchema['x-apifox-orders'] ?? []).filter((name) => names.includes(name));
  return [...order, ...names.filter((name) => !order.includes(name))];
}

/** Gives every field (nested ones too) a title, warning for each that had no English. */
function ensureTitles(schema, path, warnings) {
  if (!isPlainObject(schema)) return schema;
  const result = { ...schema };
  if (!result.title && path.at(-1) !== '[]') {
    result.title = titleFromName(path.at(-1));
    warnings.push(`${label(path)} has no English title in kontext.yaml; shown as "${result.title}"`);
  }
  if (isPlainObject(result.properties)) {
    result.properties = Object.fromEntries(
      Object.entries(result.properties).map(([name, child]) => [name, tidy(ensureTitles(child, [...path, name], warnings))]),
    );
  }
  // A list of objects: its entries' fields need English too (the list itself has the title).
  if (isPlainObject(result.items) && isPlainObject(result.items.properties)) {
    result.items = ensureTitles(result.items, [...path, '[]'], warnings);
  }
  return result;
}

/** Title, description and type first, so a person reading the spec sees them first. */
function tidy(schema) {
  const { title, description, type, ...rest } = schema;
  return {
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...(type === undefined ? {} : { type }),
    ...rest,
  };
}

/** What a document may state that the completion may restate but never silently change. */
const DOCUMENT_WINS = ['type', 'default', 'enum', 'minimum', 'maximum'];

/**
 * AnyAPI's document is the truth about its API: where it states a default, choices or a range
 * and kontext.yaml says otherwise, the document's value is used and a warning names both (a
 * completion written for yesterday's document must not hide today's). The completion keeps its
 * value only where it says why, in `x-overrides-document: [<keyword>, ...]` (with a comment).
 */
function documentWins(field, documentSays, completionLayers, path, warnings) {
  const overrides = new Set(completionLayers.flatMap((layer) => layer['x-overrides-document'] ?? []));
  const { 'x-overrides-document': _marker, ...result } = field;
  for (const keyword of DOCUMENT_WINS) {
    if (!(keyword in documentSays) || overrides.has(keyword)) continue;
    if (JSON.stringify(result[keyword]) === JSON.stringify(documentSays[keyword])) continue;
    warnings.push(
      `${label(path)}: kontext.yaml says ${keyword} ${JSON.stringify(result[keyword])}, AnyAPI's document says ${JSON.stringify(documentSays[keyword])}; ` +
        `the document wins (update kontext.yaml, or list ${keyword} in its x-overrides-document with the reason)`,
    );
    if (keyword === 'enum' && Array.isArray(result['x-enum-names'])) {
      // The completion's display names follow their values into the document's choices.
      const names = new Map(result.enum.map((value, i) => [value, result['x-enum-names'][i]]));
      result['x-enum-names'] = documentSays.enum.map((value) => names.get(value) ?? String(value));
    }
    result[keyword] = documentSays[keyword];
  }
  return result;
}

/** A default that the final schema itself refuses is dropped, with a warning, rather than shipped. */
function checkDefault(schema, path, warnings) {
  if (!('default' in schema)) return schema;
  const value = schema.default;
  const reasons = [];
  if (schema.enum && !schema.enum.some((choice) => choice === value)) reasons.push(`not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) reasons.push(`below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) reasons.push(`above ${schema.maximum}`);
  }
  const types = [schema.type].flat().filter(Boolean);
  const jsonType = Number.isInteger(value) ? ['integer', 'number'] : [typeof value];
  if (types.length > 0 && !types.some((type) => jsonType.includes(type))) reasons.push(`not of type ${types.join(' or ')}`);
  if (reasons.length === 0) return schema;
  warnings.push(`${label(path)}: default ${JSON.stringify(value)} dropped (${reasons.join(', ')})`);
  const { default: _dropped, ...rest } = schema;
  return rest;
}

/**
 * The input schema of one endpoint: the document's fields (in its order), then the fal
 * extras the completion lists for it. Returns the schema and the warnings to print.
 */
export function buildInputSchema({ path, documentSchema, fieldCatalogue, endpointCompletion, title }) {
  const warnings = [];
  const documented = isPlainObject(documentSchema?.properties) ? orderedNames(documentSchema) : [];
  const extras = (endpointCompletion.fal_extras ?? []).filter((name) => !documented.includes(name));
  const endpointFields = endpointCompletion.fields ?? {};
  const properties = {};
  for (const name of [...documented, ...extras]) {
    const isExtra = !documented.includes(name);
    if (isExtra && !fieldCatalogue[name]?.type && !endpointFields[name]?.type) {
      throw new Error(`kontext.yaml lists ${name} as a fal extra of ${path} but does not type it in x-input-fields`);
    }
    const documentSays = isExtra ? {} : fromDocument(documentSchema.properties[name]);
    const completionLayers = [fieldCatalogue[name] ?? {}, endpointFields[name] ?? {}];
    let field = completionLayers.reduce(mergeSchemas, documentSays);
    field = documentWins(field, documentSays, completionLayers, [path, name], warnings);
    if (isExtra) field['x-fal-extra'] = true;
    field = ensureTitles(field, [path, name], warnings);
    properties[name] = tidy(checkDefault(field, [path, name], warnings));
  }
  for (const name of Object.keys(endpointFields)) {
    if (!(name in properties)) throw new Error(`kontext.yaml x-endpoints.${path}.fields.${name}: ${path} has no field ${name}`);
  }
  const required = endpointCompletion.required ?? (Array.isArray(documentSchema?.required) ? documentSchema.required : []);
  const unknownRequired = required.filter((name) => !(name in properties));
  if (unknownRequired.length > 0) throw new Error(`${path} requires ${unknownRequired.join(', ')}, which it does not declare`);
  // Required fields first (forms and error messages show them first), each group in the document's order.
  const names = Object.keys(properties);
  const ordered = [...names.filter((name) => required.includes(name)), ...names.filter((name) => !required.includes(name))];
  return {
    warnings,
    schema: {
      title,
      ...(endpointCompletion.description ? { description: endpointCompletion.description } : {}),
      type: 'object',
      additionalProperties: false,
      required: [...required],
      properties: Object.fromEntries(ordered.map((name) => [name, properties[name]])),
    },
  };
}

/** How the model takes images: `image_url` (one), `image_urls` (several) or neither. */
export function imageInputOf(schema) {
  const properties = schema.properties ?? {};
  const types = (field) => [properties[field]?.type].flat();
  if (types('image_urls').includes('array')) return 'multiple';
  if (types('image_url').includes('string')) return 'single';
  return 'none';
}
