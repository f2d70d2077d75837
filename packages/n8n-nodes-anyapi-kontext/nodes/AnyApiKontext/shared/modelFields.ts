import { DEFAULT_MODEL, MODELS, type Model, type ModelPath } from '../generated/models';

/** The model a Model parameter value names; a workflow saved before the Model parameter gets the default. */
export function modelOf(value: unknown): { path: ModelPath; model: Model } | undefined {
	const path = (typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_MODEL) as ModelPath;
	const model = Object.hasOwn(MODELS, path) ? MODELS[path] : undefined;
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
