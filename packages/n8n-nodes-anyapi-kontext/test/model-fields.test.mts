import { describe, expect, it } from 'vitest';
import type { INodeProperties } from 'n8n-workflow';
import { defaultEndpoint, inputSchemas, submitEndpoints } from '@anyapi-kontext/core/portable';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { modelFieldsOf, toProperty, type InputSchema } from '../nodes/AnyApiKontext/shared/modelFields';

const properties = new AnyApiKontext().description.properties;
const byName = (name: string) => properties.filter((p) => p.name === name);
const editOptions = properties.find(
	(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('edit'),
) as unknown as Omit<INodeProperties, 'options'> & { options: INodeProperties[] };

describe('model fields come from the spec (core inputSchemas)', () => {
	const schema = inputSchemas[submitEndpoints[defaultEndpoint].inputSchema] as unknown as InputSchema;

	it('shows every documented field with the spec title, default, range and choices', () => {
		for (const [field, fieldSchema] of Object.entries(schema.properties)) {
			if (field === 'image_url' || fieldSchema['x-fal-extra']) continue;
			const [property] = byName(field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));
			expect(property, field).toBeDefined();
			expect(property!.displayName).toBe(fieldSchema.title);
			if ('default' in fieldSchema) expect(property!.default).toBe(fieldSchema.default);
		}
		const [guidance] = byName('guidanceScale');
		expect(guidance).toMatchObject({
			displayName: 'Guidance Scale',
			type: 'number',
			default: 3.5,
			typeOptions: { minValue: 1, maxValue: 20 },
		});
		const [numImages] = byName('numImages');
		expect(numImages).toMatchObject({ type: 'number', default: 1, typeOptions: { minValue: 1, maxValue: 4, numberPrecision: 0 } });
		const [format] = byName('outputFormat');
		expect(format).toMatchObject({
			type: 'options',
			default: 'jpeg',
			options: [
				{ name: 'JPEG', value: 'jpeg' },
				{ name: 'PNG', value: 'png' },
			],
		});
		const [safety] = byName('safetyTolerance');
		expect(safety!.options?.[0]).toEqual({ name: '1 (strictest)', value: '1' });
		expect(safety!.default).toBe('2');
		const [prompt] = byName('prompt');
		expect(prompt).toMatchObject({ type: 'string', required: true, placeholder: 'e.g. Put a donut next to the flour.' });
	});

	it("puts fal's extras under Options, with the node's own options, sorted by name", () => {
		const names = editOptions.options.map((o) => o.name);
		for (const extra of ['seed', 'aspectRatio', 'enhancePrompt', 'syncMode']) expect(names).toContain(extra);
		for (const own of ['timeoutMinutes', 'downloadImages', 'binaryPropertyOutput', 'concurrency']) expect(names).toContain(own);
		const display = editOptions.options.map((o) => o.displayName);
		expect(display).toEqual([...display].sort((a, b) => a.localeCompare(b)));
		const aspect = editOptions.options.find((o) => o.name === 'aspectRatio')!;
		expect(aspect.options?.map((o) => (o as { value: string }).value)).toEqual(schema.properties.aspect_ratio!.enum);
		expect(editOptions.options.find((o) => o.name === 'timeoutMinutes')!.default).toBe(10);
		expect(editOptions.options.find((o) => o.name === 'concurrency')!.default).toBe(4);
		expect(byName('seed')).toHaveLength(0);
	});

	it('follows a changed spec with no hand edit: new field, new choices, new range', () => {
		const changed: InputSchema = {
			required: ['prompt', 'image_url'],
			properties: {
				...schema.properties,
				guidance_scale: { ...schema.properties.guidance_scale!, maximum: 30, default: 5 },
				output_format: { ...schema.properties.output_format!, enum: ['jpeg', 'png', 'webp'], 'x-enum-names': ['JPEG', 'PNG', 'WebP'] },
				style_strength: { title: 'Style Strength', type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'How strong.' },
			},
		};
		const fields = modelFieldsOf(changed);
		const props = Object.fromEntries(fields.map((f) => [f.parameter, toProperty(f)]));
		expect(props.guidanceScale).toMatchObject({ default: 5, typeOptions: { maxValue: 30 } });
		expect(props.outputFormat!.options).toContainEqual({ name: 'WebP', value: 'webp' });
		expect(props.styleStrength).toMatchObject({ displayName: 'Style Strength', type: 'number', default: 0.5 });
		expect(fields.find((f) => f.field === 'image_url')).toBeUndefined();
	});
});

describe('node description', () => {
	it('is usable as a tool, has a subtitle, light and dark icons and the credential', () => {
		const d = new AnyApiKontext().description;
		expect(d.usableAsTool).toBe(true);
		expect(d.subtitle).toContain('$parameter');
		expect(d.icon).toEqual({ light: 'file:anyapi.svg', dark: 'file:anyapi.dark.svg' });
		expect(d.credentials).toEqual([{ name: 'anyApiApi', required: true }]);
	});
});
