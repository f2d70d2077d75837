import type { IDataObject } from 'n8n-workflow';
import { MODEL_FIELDS, type ModelField } from './modelFields';

/**
 * Builds the submit body from the node's parameters: every model field from the spec, read
 * under its n8n name, plus the image. fal's extras come from Options and are sent only when
 * set. Validation is left to the core (`validateInput`), which names the field and its range.
 */
export function buildKontextInput(
	read: (field: ModelField) => unknown,
	options: IDataObject,
	imageUrl: string,
	fields: readonly ModelField[] = MODEL_FIELDS,
): Record<string, unknown> {
	const input: Record<string, unknown> = { image_url: imageUrl };
	for (const field of fields) {
		const value = field.extra ? options[field.parameter] : read(field);
		if (value === undefined || value === null || value === '') continue;
		input[field.field] = normalise(field, value);
	}
	return input;
}

/** n8n gives numbers for options-typed enums of strings when typed through expressions; the spec wants strings. */
function normalise(field: ModelField, value: unknown): unknown {
	const type = Array.isArray(field.schema.type) ? field.schema.type[0] : field.schema.type;
	if (type === 'string' && typeof value === 'number') return String(value);
	if ((type === 'number' || type === 'integer') && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
		return Number(value);
	}
	if (type === 'string' && typeof value === 'string' && field.parameter === 'prompt') return value.trim();
	return value;
}
