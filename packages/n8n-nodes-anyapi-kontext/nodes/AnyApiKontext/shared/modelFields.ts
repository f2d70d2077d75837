import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { defaultEndpoint, inputSchemas, submitEndpoints } from '@anyapi-kontext/core/portable';
import type { FieldSchema as CoreFieldSchema } from '@anyapi-kontext/core/portable';

/** The part of a JSON schema (as the core generates it from openapi/) the node's fields use. */
export interface FieldSchema extends CoreFieldSchema {
	title?: string;
	description?: string;
	type?: string | string[];
	'x-fal-extra'?: boolean;
	examples?: readonly unknown[];
}

export interface InputSchema {
	required?: readonly string[];
	properties: Record<string, FieldSchema>;
}

/** One model field as the node shows it: the n8n parameter and the API field it fills. */
export interface ModelField {
	/** The API's field, e.g. `guidance_scale`. */
	field: string;
	/** The n8n parameter's name, e.g. `guidanceScale`. */
	parameter: string;
	displayName: string;
	/** fal's own optional inputs (`x-fal-extra`) go under Options. */
	extra: boolean;
	required: boolean;
	schema: FieldSchema;
}

/** Fields the node fills itself rather than showing as plain model fields. */
const HANDLED_BY_NODE = new Set(['image_url']);

export function toParameterName(field: string): string {
	return field.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function titleOf(field: string, schema: FieldSchema): string {
	if (schema.title) return schema.title;
	return field
		.split('_')
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1))
		.join(' ');
}

export function modelFieldsOf(schema: InputSchema): ModelField[] {
	const required = new Set(schema.required ?? []);
	return Object.entries(schema.properties)
		.filter(([field]) => !HANDLED_BY_NODE.has(field))
		.map(([field, fieldSchema]) => ({
			field,
			parameter: toParameterName(field),
			displayName: titleOf(field, fieldSchema),
			extra: fieldSchema['x-fal-extra'] === true,
			required: required.has(field),
			schema: fieldSchema,
		}));
}

function typeOf(schema: FieldSchema): string {
	const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
	return t ?? 'string';
}

function describe(field: ModelField): string {
	const s = field.schema;
	const parts: string[] = [];
	if (s.description) parts.push(s.description.trim());
	if (field.extra) parts.push("A fal option: AnyAPI says it may not take effect through its relay.");
	return parts.join(' ');
}

function optionsOf(schema: FieldSchema): INodePropertyOptions[] {
	const values = schema.enum ?? [];
	const names = schema['x-enum-names'] ?? [];
	return values.map((value, i) => ({
		name: names[i] ?? String(value),
		value: typeof value === 'number' || typeof value === 'boolean' ? value : String(value),
	}));
}

/** The n8n property for one model field, its name, default, range and choices taken from the schema. */
export function toProperty(field: ModelField): INodeProperties {
	const s = field.schema;
	const base = {
		displayName: field.displayName,
		name: field.parameter,
		description: describe(field),
	};
	if (s.enum && s.enum.length > 0) {
		const options = optionsOf(s);
		const fallback = options[0]?.value ?? '';
		return {
			...base,
			type: 'options',
			options,
			default: (s.default as string | number | undefined) ?? fallback,
		};
	}
	switch (typeOf(s)) {
		case 'boolean':
			return { ...base, type: 'boolean', default: (s.default as boolean | undefined) ?? false };
		case 'integer':
		case 'number': {
			const typeOptions: Record<string, number> = {};
			if (s.minimum !== undefined) typeOptions.minValue = s.minimum;
			if (s.maximum !== undefined) typeOptions.maxValue = s.maximum;
			typeOptions.numberPrecision = typeOf(s) === 'integer' ? 0 : 2;
			const fallback = s.minimum !== undefined && s.minimum > 0 ? s.minimum : 0;
			return {
				...base,
				type: 'number',
				typeOptions,
				default: (s.default as number | undefined) ?? fallback,
			};
		}
		default: {
			const example = s.examples?.find((e): e is string => typeof e === 'string');
			const property: INodeProperties = {
				...base,
				type: 'string',
				default: (s.default as string | undefined) ?? '',
			};
			if (field.required) property.required = true;
			if (example) property.placeholder = `e.g. ${example}`;
			if (field.parameter === 'prompt') property.typeOptions = { rows: 3 };
			return property;
		}
	}
}

/** The schema of the endpoint the node submits to, as generated from openapi/. */
export function kontextInputSchema(): InputSchema {
	const name = submitEndpoints[defaultEndpoint].inputSchema;
	return inputSchemas[name] as unknown as InputSchema;
}

export const MODEL_FIELDS: ModelField[] = modelFieldsOf(kontextInputSchema());

export function fieldDisplayName(field: string): string {
	return MODEL_FIELDS.find((f) => f.field === field)?.displayName ?? (field === 'image_url' ? 'Image' : field);
}
