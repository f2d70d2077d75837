import { DEFAULT_MODEL, DEFAULT_MODEL_BY_VERSION, DEFAULT_NODE_VERSION, MODELS, MODELS_BY_VERSION, type Model, type ModelPath } from '../generated/models';

/**
 * The model a Model parameter value names, as node version `version` knows it (its parameters
 * frozen when it was released: versions/*.json); a workflow saved before the Model parameter gets
 * the version's default model.
 */
export function modelOf(value: unknown, version: number = DEFAULT_NODE_VERSION): { path: ModelPath; model: Model } | undefined {
	const models = MODELS_BY_VERSION[version] ?? MODELS;
	const fallback = DEFAULT_MODEL_BY_VERSION[version] ?? DEFAULT_MODEL;
	const path = (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback) as ModelPath;
	const model = Object.hasOwn(models, path) ? models[path] : undefined;
	return model ? { path, model } : undefined;
}

/** The name the user sees for an API field ("guidance_scale" is "Guidance Scale"), in any model. */
export function fieldDisplayName(field: string): string {
	const models = [MODELS[DEFAULT_MODEL], ...Object.values(MODELS)];
	for (const model of models) {
		const found = model.fields.find((f) => f.field === field);
		if (found) return found.image ? (found.field === 'image_urls' ? 'Images' : 'Image') : found.displayName;
	}
	return field;
}
