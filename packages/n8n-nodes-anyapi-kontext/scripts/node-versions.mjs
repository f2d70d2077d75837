// The node's versions: what a workflow saved with each version means, kept so that a spec change
// never changes it. n8n keeps a node's parameters per `typeVersion` (a saved workflow records the
// version it was made with); we use its light versioning on the one node class (`version: [1, 1.1]`,
// properties gated by `displayOptions.show['@version']`), see the node README for why.
//
// Each version's parameters are a committed record, nodes/AnyApiKontext/versions/<version>.json:
// the Model parameter, every model's fields as n8n properties, and the table from parameter to API
// field. `pnpm generate` compares what the spec gives now with the latest record:
//   - nothing changed: nothing written;
//   - only compatible changes (a new optional field, a new model, a new choice, a wider range,
//     new words): the latest record takes them, saved workflows send what they sent;
//   - a change that alters what a saved workflow sends or whether it runs (a parameter gone or
//     renamed, a default changed, a choice removed, a type changed, a new required parameter, a
//     model gone): a new record, the latest version plus 0.1 (1 -> 1.1 -> 1.2; 2 -> 2.1), which new
//     workflows get. Released records are never rewritten; a version added since the last release
//     (not in openapi/released.json) is rewritten by the next incompatible change, and removed
//     when the spec comes back to the version before it, so a release adds at most one version.
// Behaviour versions (1, 2, ...: how the node acts, whatever the spec says) are integers, added by
// hand as a record `<n>.json` (a copy of the latest record); the execute path reads
// `Math.floor(this.getNode().typeVersion)` for behaviour and the version's record for parameters.
// This classification is ours: no OpenAPI diff tool knows what n8n does with a saved parameter.
import fs from 'node:fs';
import path from 'node:path';

export const VERSIONS_DIR_NAME = 'versions';

/** The records in a versions folder, oldest first. */
export function readVersionRecords(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d+(\.\d+)?\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))
    .sort((a, b) => a.version - b.version);
}

export function versionFileName(version) {
  return `${version}.json`;
}

/** The record of the parameters the spec gives now, as version `version`. */
export function recordOf(described, version) {
  return {
    version,
    defaultModel: described.defaultModel,
    models: described.models,
    modelProperty: described.modelProperty,
    fieldProperties: described.fieldProperties,
    extraOptions: described.extraOptions,
  };
}

/** 1 -> 1.1, 1.1 -> 1.2, 2 -> 2.1: the generator's versions are minor steps on the latest. */
export function nextVersion(version) {
  const major = Math.floor(version);
  const minor = Math.round((version - major) * 10);
  if (minor >= 9) {
    throw new Error(`node version ${version} is the last minor step n8n's numbers allow before ${major + 1}; add behaviour version ${major + 1} by hand (versions/${major + 1}.json)`);
  }
  return Math.round((major + (minor + 1) / 10) * 10) / 10;
}

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The n8n property a record shows for `parameter` of model `modelPath` (under Options for extras). */
function propertyFor(record, modelPath, parameter, extra) {
  const list = extra ? record.extraOptions : record.fieldProperties;
  const key = extra ? '/model' : 'model';
  return list.find((p) => p.name === parameter && (p.displayOptions?.show?.[key] ?? []).includes(modelPath));
}

/** Every (model, parameter) of a record with its API field and n8n property. */
function parametersOf(record) {
  const out = new Map();
  for (const [modelPath, model] of Object.entries(record.models)) {
    for (const field of model.fields) {
      if (field.image) continue;
      const property = propertyFor(record, modelPath, field.parameter, field.extra === true);
      out.set(`${modelPath}\u0000${field.extra ? 'options.' : ''}${field.parameter}`, { modelPath, field, property });
    }
  }
  return out;
}

/** The API field `field` of `endpoint` is now called: from `x-renamed-fields` in kontext.yaml. */
export function renamedTo(renames, endpoint, field) {
  return renames.find((r) => r.from === field && (!r.endpoint || r.endpoint === endpoint))?.to;
}

const choiceValues = (property) => (property?.options ?? []).filter((o) => o.value !== '').map((o) => o.value);

/**
 * What changes for a workflow saved with `old` if it got `current`'s parameters: one entry per
 * model and parameter, `newVersion: true` where the saved workflow would send something else or
 * stop running, which is what makes the generator add a node version.
 */
export function compareRecords(old, current, renames = []) {
  const changes = [];
  const add = (modelPath, parameter, kind, newVersion, detail) =>
    changes.push({ endpoint: modelPath, parameter, kind, newVersion, detail });
  for (const modelPath of Object.keys(old.models)) {
    if (!current.models[modelPath]) add(modelPath, null, 'model-removed', true, `model ${modelPath} is gone`);
  }
  for (const modelPath of Object.keys(current.models)) {
    if (!old.models[modelPath]) add(modelPath, null, 'model-added', false, `model ${modelPath} is new`);
  }
  if (old.defaultModel !== current.defaultModel) {
    add(current.defaultModel, 'model', 'default-changed', true, `default model ${old.defaultModel} -> ${current.defaultModel}`);
  }
  const before = parametersOf(old);
  const after = parametersOf(current);
  for (const [key, { modelPath, field, property }] of before) {
    if (!current.models[modelPath]) continue;
    const now = after.get(key);
    if (!now) {
      // The same API field under Options in one version and a main parameter in the other (a fal
      // option AnyAPI's document now lists, or one it stopped listing): the saved value's place moved.
      const moved = [...after.values()].find((p) => p.modelPath === modelPath && p.field.field === field.field);
      if (moved) {
        add(modelPath, field.parameter, 'parameter-moved', true, `${field.field} moved ${field.extra ? 'out of Options' : 'under Options'}`);
        continue;
      }
      const to = renamedTo(renames, modelPath, field.field);
      if (to) add(modelPath, field.parameter, 'field-renamed', true, `${field.field} is now ${to}`);
      else add(modelPath, field.parameter, 'field-removed', true, `${field.field} is gone`);
      continue;
    }
    const p = property ?? {};
    const q = now.property ?? {};
    if (p.type !== q.type || field.type !== now.field.type) {
      add(modelPath, field.parameter, 'type-changed', true, `${p.type}/${field.type} -> ${q.type}/${now.field.type}`);
      continue;
    }
    if (!sameJson(p.default, q.default)) {
      add(modelPath, field.parameter, 'default-changed', true, `${JSON.stringify(p.default)} -> ${JSON.stringify(q.default)}`);
    }
    const oldChoices = choiceValues(p);
    const newChoices = choiceValues(q);
    const removed = oldChoices.filter((v) => !newChoices.includes(v));
    const added = newChoices.filter((v) => !oldChoices.includes(v));
    if (removed.length) add(modelPath, field.parameter, 'choice-removed', true, `no longer offered: ${removed.join(', ')}`);
    if (added.length) add(modelPath, field.parameter, 'choice-added', false, `new: ${added.join(', ')}`);
    if (!p.required && q.required) add(modelPath, field.parameter, 'required-added', true, 'now required');
    if (p.required && !q.required) add(modelPath, field.parameter, 'required-dropped', false, 'no longer required');
    const [oldMin, oldMax] = [p.typeOptions?.minValue, p.typeOptions?.maxValue];
    const [newMin, newMax] = [q.typeOptions?.minValue, q.typeOptions?.maxValue];
    if (oldMin !== newMin || oldMax !== newMax) {
      const narrowed = (newMin !== undefined && (oldMin === undefined || newMin > oldMin)) || (newMax !== undefined && (oldMax === undefined || newMax < oldMax));
      // A narrower range is refused by the API whatever the node sends: a new version cannot
      // keep such a workflow running, so it is reported, not versioned.
      add(modelPath, field.parameter, narrowed ? 'range-narrowed' : 'range-widened', false, `${oldMin ?? '-inf'}..${oldMax ?? 'inf'} -> ${newMin ?? '-inf'}..${newMax ?? 'inf'}`);
    }
  }
  for (const [key, { modelPath, field, property }] of after) {
    if (before.has(key) || !old.models[modelPath]) continue;
    if ([...before.values()].some((p) => p.modelPath === modelPath && p.field.field === field.field)) continue;
    const required = property?.required === true;
    add(modelPath, field.parameter, required ? 'field-added-required' : 'field-added', required, required ? `${field.field} is new and required` : `${field.field} is new`);
  }
  return changes;
}

/**
 * The records after this generation: the latest takes compatible changes, an incompatible change
 * adds a version. A version not released yet (not in `released`, the release record's node
 * versions) is not frozen: it is rewritten, or dropped when what it changed is gone again, so one
 * release adds at most one version. Returns the records, those to write and to remove, and the
 * changes that decided it.
 */
export function planVersions(records, described, renames = [], released) {
  if (records.length === 0) return { records: [recordOf(described, 1)], write: [recordOf(described, 1)], remove: [], changes: [], added: 1 };
  const isReleased = (record) => !released || released.includes(record.version);
  const last = records[records.length - 1];
  // An unreleased minor version is measured against the version it was added on.
  const draft = !isReleased(last) && !Number.isInteger(last.version) && records.length > 1 ? last : undefined;
  const frozen = draft ? records.slice(0, -1) : records;
  const latest = frozen[frozen.length - 1];
  const current = recordOf(described, latest.version);
  const changes = sameJson(latest, current) ? [] : compareRecords(latest, current, renames);
  const remove = draft ? [draft] : [];
  if (changes.some((c) => c.newVersion)) {
    const next = recordOf(described, draft ? draft.version : nextVersion(latest.version));
    const unchanged = draft && sameJson(draft, next);
    return { records: [...frozen, next], write: unchanged ? [] : [next], remove: [], changes, added: unchanged ? undefined : next.version };
  }
  if (changes.length === 0) return { records: frozen, write: [], remove, changes, added: undefined };
  return { records: [...frozen.slice(0, -1), current], write: [current], remove, changes, added: undefined };
}

/**
 * What the node runs for a workflow saved with an older record: its parameters as they were, each
 * mapped to the API field it fills today (a renamed field to its new name), a field AnyAPI removed
 * marked so that the node fails the item when the workflow set it, a model AnyAPI removed marked.
 */
export function runtimeModelsOf(record, latest, renames = []) {
  if (record === latest) return record.models;
  const models = {};
  for (const [modelPath, model] of Object.entries(record.models)) {
    const now = latest.models[modelPath];
    if (!now) {
      models[modelPath] = { ...model, removed: true };
      continue;
    }
    const fieldsNow = new Set(now.fields.map((f) => f.field));
    models[modelPath] = {
      ...model,
      fields: model.fields.map((field) => {
        if (field.image || fieldsNow.has(field.field)) return field;
        const to = renamedTo(renames, modelPath, field.field);
        if (to && fieldsNow.has(to)) return { ...field, field: to, renamedFrom: field.field };
        const property = propertyFor(record, modelPath, field.parameter, field.extra === true);
        const unset = property?.default === undefined || property.default === null ? '' : property.default;
        return { ...field, removed: true, unset };
      }),
    };
  }
  return models;
}

/**
 * What a saved workflow depends on in a record, per model and parameter (`options.<name>` for
 * fal's extras): the API field, the n8n type, the default, the choices, whether it is required.
 * The release record keeps this per released version; the pin test holds the records to it.
 */
export function summariseRecord(record) {
  const models = {};
  for (const [modelPath, model] of Object.entries(record.models)) {
    const parameters = {};
    for (const field of model.fields) {
      if (field.image) continue;
      const property = propertyFor(record, modelPath, field.parameter, field.extra === true) ?? {};
      parameters[`${field.extra ? 'options.' : ''}${field.parameter}`] = {
        field: field.field,
        type: property.type ?? field.type,
        default: property.default ?? null,
        ...(property.options ? { choices: choiceValues(property) } : {}),
        ...(property.required ? { required: true } : {}),
      };
    }
    models[modelPath] = parameters;
  }
  return { defaultModel: record.defaultModel, models };
}
