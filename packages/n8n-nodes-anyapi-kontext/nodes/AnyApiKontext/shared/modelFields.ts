import type { IExecuteFunctions, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { DEFAULT_MODEL, DEFAULT_MODEL_BY_VERSION, DEFAULT_NODE_VERSION, MODELS, MODELS_BY_VERSION, type Model, type ModelPath } from '../generated/models';

/**
 * The model a Model parameter value names, as node version `version` knows it (its parameters
 * frozen when it was released: versions/*.json); a workflow saved before the Model parameter gets
 * the version's default model.
 */
export function modelOf(value: unknown, version: number): { path: ModelPath; model: Model } | undefined {
	const models = MODELS_BY_VERSION[version] ?? MODELS;
	const fallback = DEFAULT_MODEL_BY_VERSION[version] ?? DEFAULT_MODEL;
	const path = (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback) as ModelPath;
	const model = Object.hasOwn(models, path) ? models[path] : undefined;
	return model ? { path, model } : undefined;
}

/** A resource locator's value as n8n stores it: `{ __rl: true, mode, value }`. */
interface LocatorValue {
	mode?: unknown;
	value?: unknown;
}

const isLocator = (value: unknown): value is LocatorValue => typeof value === 'object' && value !== null && 'value' in value;

/**
 * What the Model parameter of item `itemIndex` holds: version 2's locator value (From List or By
 * Path), its expression resolved, unwrapped but not converted (an expression can give anything);
 * undefined when the node has no Model saved. `literal` is false when the saved value is an
 * expression: n8n decides which fields it shows (and keeps) from the saved text, so the node
 * reads a path given by expression as By Path, whatever it resolves to.
 */
export function modelValueOf(context: IExecuteFunctions, itemIndex: number): { value: unknown; literal: boolean } {
	const resolved = context.getNodeParameter('model', itemIndex, undefined);
	const saved = context.getNode().parameters?.model;
	const savedValue = isLocator(saved) ? saved.value : saved;
	return { value: isLocator(resolved) ? resolved.value : resolved, literal: !(typeof savedValue === 'string' && savedValue.startsWith('=')) };
}

/** Version 2's Model > From List: the node version's generated models, by name, filtered by what the user types. */
export async function searchModels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	// n8n's editor calls list searches without getNode (1.123 and 2.41 alike): then the latest
	// version's models, which a version-2 node also knows unless AnyAPI removed one since.
	const version = typeof this.getNode === 'function' ? Number(this.getNode().typeVersion) : DEFAULT_NODE_VERSION;
	const models = MODELS_BY_VERSION[version] ?? MODELS;
	const results = Object.entries(models)
		.filter(([, model]) => !model?.removed)
		.map(([path, model]) => ({ name: model!.displayName, value: path }))
		.filter((entry) => wanted === '' || entry.name.toLowerCase().includes(wanted) || entry.value.toLowerCase().includes(wanted))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/** The name the user sees for an API field ("guidance_scale" is "Guidance Scale"), in any model. */
export function fieldDisplayName(field: string): string {
	// The core's names for the node's Model By Path (runAny's `path`) and Get Status' Model Path.
	const byPathFields: Record<string, string> = { path: 'Model (By Path)', modelPath: 'Model Path' };
	if (Object.hasOwn(byPathFields, field)) return byPathFields[field]!;
	const models = [MODELS[DEFAULT_MODEL], ...Object.values(MODELS)];
	for (const model of models) {
		const found = model.fields.find((f) => f.field === field);
		if (found) return found.image ? (found.field === 'image_urls' ? 'Images' : 'Image') : found.displayName;
	}
	return field;
}
