// `pnpm generate` (after the core's): writes nodes/AnyApiKontext/generated/models.ts, the node's
// Model parameter and every model's fields as literal n8n properties, from the core's generated
// endpoint list and input schemas. The node reads that file as it is: no JSON schema is walked
// when n8n loads the node, and n8n's lint and a reviewer see every field.
//
// What it writes, per endpoint of the spec:
//   - a Model option (display name, path, how it takes images);
//   - each field of its input schema as an n8n property shown only for the models whose field
//     reads the same (`displayOptions.show.model`); fal's own extras (`x-fal-extra`) go under
//     Options, where nothing is sent unless the user adds the option and sets a value;
//   - a table from n8n parameter to API field, which the node uses to build the submit body.
// The image fields (`image_url`, `image_urls`) are not written as plain fields: the node has its
// own binary-or-URL inputs for them (descriptions in actions/image/modelInput.ts).
import { build } from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planVersions, readVersionRecords, recordOf, runtimeModelsOf, versionFileName, VERSIONS_DIR_NAME } from './node-versions.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(root, 'nodes', 'AnyApiKontext', 'generated', 'models.ts');

/** Parameter names the node itself uses: a model field with one of these names gets another. */
const NODE_PARAMETERS = new Set([
  'resource',
  'operation',
  'model',
  'options',
  'imageSource',
  'binaryPropertyName',
  'binaryPropertyNames',
  'imageUrl',
  'imageUrls',
  'requestId',
  'includeLogs',
  // version 2's own (actions/image/modelInput.ts, actions/toolDescription.ts)
  'images',
  'combineItems',
  'toolImageUrls',
  'descriptionType',
  'toolDescription',
]);
/** Option names the node itself uses under Options. */
const NODE_OPTIONS = new Set(['timeoutMinutes', 'concurrency', 'downloadImages', 'binaryPropertyOutput', 'webhookUrl']);
/** How each kind of image input reaches the API. */
const IMAGE_FIELDS = { single: 'image_url', multiple: 'image_urls' };
const EXTRA_NOTE = 'A fal option: AnyAPI says it may not take effect through its relay.';
/** n8n's lint wants choices in alphabetical order from this many on (unless they are numbers). */
const MIN_ITEMS_TO_ALPHABETIZE = 5;

/** The core's generated data, read from its TypeScript sources (generate runs before any build). */
export async function loadCoreSpec() {
  const require = createRequire(path.join(root, 'package.json'));
  const coreDir = path.dirname(require.resolve('@anyapi-kontext/core/package.json'));
  const result = await build({
    stdin: {
      contents:
        "export { submitEndpoints, defaultEndpoint } from './src/generated/endpoints.ts';\n" +
        "export { inputSchemas } from './src/generated/input-schemas.ts';\n",
      resolveDir: coreDir,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].text;
  return await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

export function toParameterName(field) {
  return field.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase());
}

/** A field's name in the node: its spec title (or its words), in the title case n8n's lint wants. */
function titleOf(field, schema) {
  return titleCase(schema.title ?? field.split('_').join(' '));
}

function typeOf(schema) {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (t) return t;
  if (schema.enum) return typeof schema.enum[0] === 'number' ? 'number' : 'string';
  // anyOf / oneOf and friends: the user types JSON, the core's validator judges it.
  return 'json';
}

/** How an endpoint takes images, from the spec's metadata or, failing that, its fields. */
function imageInputOf(endpoint, schema) {
  if (endpoint.imageInput) return endpoint.imageInput;
  if (schema.properties?.image_urls) return 'multiple';
  if (schema.properties?.image_url) return 'single';
  return 'none';
}

/**
 * n8n's lint rules for descriptions: one sentence takes no final period, several do; a boolean's
 * starts with "Whether". The spec's English is written as imperative sentences ("Return the
 * images as ..."), which read right after "Whether to".
 */
function lintFriendlyDescription(text, type) {
  let out = String(text ?? '').trim().replace(/\s+/g, ' ');
  if (!out) return '';
  if (type === 'boolean' && !/^whether\b/i.test(out)) out = `Whether to ${out.charAt(0).toLowerCase()}${out.slice(1)}`;
  const sentences = out.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
  if (sentences === 1) out = out.replace(/\.$/, '');
  else if (!/[.!?]$/.test(out)) out = `${out}.`;
  return out;
}

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'via', 'vs']);

/** Title case as n8n's lint wants it for option names: "5 (most permissive)" is "5 (Most Permissive)". */
export function titleCase(text) {
  return text
    .split(' ')
    .map((word, i) => {
      const match = /^([^A-Za-z]*)([a-z])(.*)$/.exec(word);
      if (!match || (i > 0 && SMALL_WORDS.has(word.toLowerCase()))) return word;
      return `${match[1]}${match[2].toUpperCase()}${match[3]}`;
    })
    .join(' ');
}

/** What a choice means, in its name: "2" becomes "2 (Default)", "1 (strictest)" "1 (Strictest)", "JPEG" "JPEG (Default)". */
export function choiceName(name, isDefault) {
  const named = !isDefault ? name : /\)$/.test(name) ? name.replace(/\)$/, ', default)') : `${name} (default)`;
  return titleCase(named);
}

function choicesOf(schema, type, withEmpty) {
  const names = schema['x-enum-names'] ?? [];
  const options = schema.enum.map((value, i) => ({
    name: choiceName(names[i] ?? String(value), schema.default !== undefined && value === schema.default),
    value: type === 'number' || type === 'integer' ? Number(value) : typeof value === 'boolean' ? value : String(value),
  }));
  if (withEmpty) options.unshift({ name: 'Default', value: '', description: "Sends nothing: the model's default applies" });
  const numeric = options.every((o) => o.value !== '' && /^\d+$/.test(String(o.value)));
  if (options.length >= MIN_ITEMS_TO_ALPHABETIZE && !numeric) options.sort((a, b) => a.name.localeCompare(b.name));
  return options;
}

/** The n8n property of one field: name, default, range and choices from its schema. */
function propertyOf(field, schema, { parameter, extra, required }) {
  const type = typeOf(schema);
  const descriptionParts = [schema.description ?? ''];
  if (extra) descriptionParts.push(EXTRA_NOTE);
  const description = lintFriendlyDescription(descriptionParts.filter(Boolean).join(' '), type);
  const property = { displayName: titleOf(field, schema), name: parameter };
  const example = (schema.examples ?? []).find((e) => typeof e === 'string' || typeof e === 'number');
  // An optional field with no default starts empty and is then left out of the request.
  const optional = !required && schema.default === undefined;
  if (schema.enum && schema.enum.length > 0) {
    Object.assign(property, {
      type: 'options',
      options: choicesOf(schema, type, optional),
      default: optional ? '' : (schema.default ?? schema.enum[0]),
    });
  } else if (type === 'boolean') {
    Object.assign(property, { type: 'boolean', default: schema.default ?? false });
  } else if (type === 'integer' || type === 'number') {
    const typeOptions = {};
    if (schema.minimum !== undefined) typeOptions.minValue = schema.minimum;
    if (schema.maximum !== undefined) typeOptions.maxValue = schema.maximum;
    typeOptions.numberPrecision = type === 'integer' ? 0 : 2;
    Object.assign(property, { type: 'number', typeOptions, default: schema.default ?? null });
  } else if (type === 'array' && ['string', 'number', 'integer'].includes(typeOf(schema.items ?? {}))) {
    Object.assign(property, { type: 'string', default: Array.isArray(schema.default) ? schema.default.join(', ') : '' });
    property.hint = 'A comma-separated list';
  } else if (type === 'array' || type === 'object' || type === 'json') {
    Object.assign(property, { type: 'json', default: schema.default === undefined ? '' : JSON.stringify(schema.default) });
  } else {
    Object.assign(property, { type: 'string', default: schema.default ?? '' });
    if (parameter === 'prompt') property.typeOptions = { rows: 3 };
  }
  if (required) property.required = true;
  if (example !== undefined && property.type === 'string') property.placeholder = `e.g. ${example}`;
  if (description) property.description = description;
  return property;
}

/** What the node needs at run time to put a parameter's value into the body. */
function fieldEntry(field, schema, { parameter, extra, type }) {
  const entry = { field, parameter, displayName: titleOf(field, schema), type };
  if (extra) entry.extra = true;
  if (type === 'array') entry.items = typeOf(schema.items ?? {});
  if (schema.default !== undefined && type === 'boolean') entry.default = schema.default;
  return entry;
}

export function describeModels({ submitEndpoints, defaultEndpoint, inputSchemas }) {
  const models = {};
  // Properties keyed by their text without displayOptions: the same field of two models, read
  // the same, is one property shown for both.
  const fieldProperties = new Map();
  const extraProperties = new Map();
  for (const [path, endpoint] of Object.entries(submitEndpoints)) {
    const schema = inputSchemas[endpoint.inputSchema];
    const imageInput = imageInputOf(endpoint, schema);
    const required = new Set(schema.required ?? []);
    const imageField = IMAGE_FIELDS[imageInput];
    const fields = [];
    for (const [position, [field, fieldSchema]] of Object.entries(schema.properties ?? {}).entries()) {
      const extra = fieldSchema['x-fal-extra'] === true;
      const type = typeOf(fieldSchema);
      if (field === imageField) {
        fields.push({ field, parameter: '', displayName: titleOf(field, fieldSchema), type, image: true });
        continue;
      }
      let parameter = toParameterName(field);
      if (NODE_PARAMETERS.has(parameter) || (extra && NODE_OPTIONS.has(parameter))) parameter = `field${parameter.charAt(0).toUpperCase()}${parameter.slice(1)}`;
      fields.push(fieldEntry(field, fieldSchema, { parameter, extra, type }));
      const property = propertyOf(field, fieldSchema, { parameter, extra, required: !extra && required.has(field) });
      const target = extra ? extraProperties : fieldProperties;
      const key = JSON.stringify(property);
      const known = target.get(key);
      if (known) {
        known.models.push(path);
        known.position = Math.min(known.position, position);
      } else target.set(key, { property, models: [path], position });
    }
    models[path] = {
      displayName: endpoint.displayName ?? path,
      imageInput,
      fields,
    };
  }
  const withModels = ({ property, models: shownFor }, key) => {
    const { displayName, name, ...rest } = property;
    return { displayName, name, ...rest, displayOptions: { show: { [key]: shownFor } } };
  };
  const modelNames = Object.entries(models).map(([path, m]) => ({ path, ...m }));
  const imageWords = { none: 'Makes an image from the prompt alone', single: 'Edits one image', multiple: 'Combines several images' };
  const modelProperty = {
    displayName: 'Model',
    name: 'model',
    type: 'options',
    options: modelNames
      // Title case for n8n's lint: "FLUX.1 Kontext [max]" is shown as "FLUX.1 Kontext [Max]".
      .map((m) => ({ name: titleCase(m.displayName), value: m.path, description: `${imageWords[m.imageInput]} (${m.path})` }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    default: defaultEndpoint,
    description: 'The FLUX model AnyAPI runs; the fields below follow the model',
  };
  return {
    defaultModel: defaultEndpoint,
    models,
    modelProperty,
    // In the documents' field order (Prompt first), so each model's fields read as its document lists them.
    fieldProperties: [...fieldProperties.values()].sort((a, b) => a.position - b.position).map((p) => withModels(p, 'model')),
    extraOptions: [...extraProperties.values()]
      .map((p) => withModels(p, '/model'))
      .sort((a, b) => a.displayName.localeCompare(b.displayName)),
    byImageInput: Object.fromEntries(
      ['none', 'single', 'multiple'].map((kind) => [kind, modelNames.filter((m) => m.imageInput === kind).map((m) => m.path)]),
    ),
  };
}

/** JSON, with the unquoted keys and single quotes of the node's own TypeScript. */
function literal(value, indent = '') {
  const next = `${indent}\t`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const inline = `[${value.map((v) => literal(v)).join(', ')}]`;
      if (inline.length <= 80) return inline;
    }
    return `[\n${value.map((v) => `${next}${literal(v, next)},`).join('\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));
    return `{\n${entries.map(([k, v]) => `${next}${key(k)}: ${literal(v, next)},`).join('\n')}\n${indent}}`;
  }
  if (typeof value === 'string') return quote(value);
  return String(value);
}

function quote(text) {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** The properties of every version, each once: a property several versions share is gated to all of them. */
export function gatedProperties(records, pick) {
  const merged = new Map();
  for (const record of records) {
    for (const property of [pick(record)].flat()) {
      const key = JSON.stringify(property);
      const known = merged.get(key);
      if (known) known.versions.push(record.version);
      else merged.set(key, { property, versions: [record.version] });
    }
  }
  const all = records.length;
  return [...merged.values()].map(({ property, versions }) => {
    if (versions.length === all) return property;
    const { displayOptions, ...rest } = property;
    return { ...rest, displayOptions: { show: { ...(displayOptions?.show ?? {}), '@version': versions } } };
  });
}

/**
 * The TypeScript of generated/models.ts: the current spec's models, and every node version's
 * parameters (`records`, oldest first; the last is the current one), gated by `@version`.
 */
export function render(described, records = [recordOf(described, 1)], renames = []) {
  const latest = records[records.length - 1];
  // Each distinct model once, shared by the versions in which it reads the same.
  const modelTexts = [];
  const versionTables = records.map((record) => [
    record.version,
    Object.entries(runtimeModelsOf(record, latest, renames)).map(([modelPath, model]) => {
      const text = literal(model);
      let index = modelTexts.indexOf(text);
      if (index === -1) index = modelTexts.push(text) - 1;
      return [modelPath, index];
    }),
  ]);
  const table = (entries, indent) => `{\n${entries.map(([modelPath, index]) => `${indent}\t${quote(modelPath)}: MODEL_${index},`).join('\n')}\n${indent}}`;
  const modelPaths = [...new Set(records.flatMap((r) => Object.keys(r.models)))];
  const modelOrder = records.length === 1 ? Object.keys(described.models) : modelPaths;
  return `// Generated by scripts/generate.mjs from the core's generated endpoints and input schemas
// (openapi/ -> pnpm generate) and the node's version records (versions/*.json). Do not edit:
// change openapi/ and run \`pnpm generate\`.
import type { INodeProperties } from 'n8n-workflow';

export type ModelPath = ${modelOrder.map(quote).join(' | ')};

/** One field of a model: the n8n parameter that holds it and the API field it fills. */
export interface ModelField {
\t/** The API's field, e.g. \`guidance_scale\`. */
\tfield: string;
\t/** The n8n parameter (under Options for fal's extras); empty for the image field. */
\tparameter: string;
\tdisplayName: string;
\ttype: string;
\t/** For arrays: the type of their items. */
\titems?: string;
\t/** fal's own optional inputs, read from Options. */
\textra?: boolean;
\t/** The image field, filled from the node's image inputs. */
\timage?: boolean;
\t/** A boolean's default: the value that need not be sent. */
\tdefault?: boolean;
\t/** In an older node version: the API field's name when that version was made (AnyAPI renamed it since). */
\trenamedFrom?: string;
\t/** In an older node version: AnyAPI no longer has this field; a workflow that set it fails. */
\tremoved?: boolean;
\t/** For a removed field: the parameter's value when the workflow did not set it. */
\tunset?: string | number | boolean;
}

export interface Model {
\tdisplayName: string;
\t/** none: text to image; single: \`image_url\`; multiple: \`image_urls\`. */
\timageInput: 'none' | 'single' | 'multiple';
\tfields: ModelField[];
\t/** In an older node version: AnyAPI no longer offers this model. */
\tremoved?: boolean;
}

/** The node's versions (versions/*.json), oldest first; new workflows get the last. */
export const NODE_VERSIONS: number[] = ${literal(records.map((r) => r.version))};
export const DEFAULT_NODE_VERSION = ${latest.version};

export const DEFAULT_MODEL: ModelPath = ${quote(described.defaultModel)};

/** Each node version's default model: what a workflow saved without a Model parameter runs. */
export const DEFAULT_MODEL_BY_VERSION: Record<number, ModelPath> = ${literal(Object.fromEntries(records.map((r) => [r.version, r.defaultModel])))};

${modelTexts.map((text, i) => `const MODEL_${i}: Model = ${text};`).join('\n\n')}

/** Per node version, its models: the parameters a workflow saved with that version has. */
export const MODELS_BY_VERSION: Record<number, Partial<Record<ModelPath, Model>>> = {
${versionTables.map(([version, entries]) => `\t${quote(String(version))}: ${table(entries, '\t')},`).join('\n')}
};

/** The current version's models. */
export const MODELS: Record<ModelPath, Model> = ${table(versionTables[versionTables.length - 1][1], '')};

/** The models by how they take images, for the image inputs' displayOptions. */
export const SINGLE_IMAGE_MODELS: ModelPath[] = ${literal(described.byImageInput.single)};
export const MULTIPLE_IMAGE_MODELS: ModelPath[] = ${literal(described.byImageInput.multiple)};
export const TEXT_ONLY_MODELS: ModelPath[] = ${literal(described.byImageInput.none)};

/** The Model parameter, per node version where versions differ. */
export const modelProperties: INodeProperties[] = ${literal(gatedProperties(records, (r) => r.modelProperty))};

/** Each model's fields, each shown for the models and node versions it belongs to. */
export const modelFieldProperties: INodeProperties[] = ${literal(gatedProperties(records, (r) => r.fieldProperties))};

/** fal's own optional inputs, for the Options collection, each shown for its models and node versions. */
export const modelExtraOptions: INodeProperties[] = ${literal(gatedProperties(records, (r) => r.extraOptions))};
`;
}

/** `x-renamed-fields` of the complete spec (kontext.yaml): fields AnyAPI renamed, which a document cannot say. */
export function loadRenames() {
  const file = path.join(root, '..', '..', 'openapi', 'generated', 'anyapi-kontext.openapi.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'))['x-renamed-fields'] ?? [];
}

export const versionsDir = path.join(root, 'nodes', 'AnyApiKontext', VERSIONS_DIR_NAME);

/** The node versions the last release published (openapi/released.json), or undefined before the first. */
export function loadReleasedVersions() {
  const file = path.join(root, '..', '..', 'openapi', 'released.json');
  if (!fs.existsSync(file)) return undefined;
  return Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).surface?.node?.versions ?? {}).map(Number);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const described = describeModels(await loadCoreSpec());
  const renames = loadRenames();
  const plan = planVersions(readVersionRecords(versionsDir), described, renames, loadReleasedVersions());
  fs.mkdirSync(versionsDir, { recursive: true });
  for (const record of plan.remove) {
    fs.rmSync(path.join(versionsDir, versionFileName(record.version)));
    console.log(`node version ${record.version} (not released) removed: the spec no longer differs from ${plan.records.at(-1).version}`);
  }
  for (const record of plan.write) {
    fs.writeFileSync(path.join(versionsDir, versionFileName(record.version)), `${JSON.stringify(record, null, '\t')}\n`);
  }
  if (plan.added !== undefined && plan.records.length === 1) {
    console.log(`node version ${plan.added} recorded (versions/${versionFileName(plan.added)})`);
  } else if (plan.added !== undefined) {
    console.log(`node version ${plan.added} added (workflows saved with older versions keep their parameters):`);
    for (const change of plan.changes.filter((c) => c.newVersion)) console.log(`  ${change.endpoint} ${change.parameter ?? ''} ${change.kind}: ${change.detail}`);
  } else if (plan.write.length > 0) {
    console.log(`node version ${plan.records.at(-1).version} takes compatible changes: ${plan.changes.map((c) => `${c.parameter ?? c.endpoint} ${c.kind}`).join(', ')}`);
  }
  const text = render(described, plan.records, renames);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const before = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
  if (before !== text) fs.writeFileSync(outFile, text);
  console.log(`${before === text ? 'unchanged' : 'wrote'} ${path.relative(root, outFile)}`);
}
