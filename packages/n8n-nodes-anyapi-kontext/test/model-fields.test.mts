import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { INodeProperties } from 'n8n-workflow';
import { defaultEndpoint, inputSchemas, submitEndpoints } from '@anyapi-kontext/core/portable';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { shownProperties } from './shown.mjs';
import { choiceName, describeModels, loadCoreSpec, loadRenames, render, versionsDir, type CoreSpec } from '../scripts/generate.mjs';
import { readVersionRecords } from '../scripts/node-versions.mjs';

const properties = new AnyApiKontext().description.properties;
const PRO = '/fal-ai/flux-pro/kontext';
type Schema = { title?: string; default?: unknown; enum?: unknown[]; 'x-fal-extra'?: boolean };
const proSchema = inputSchemas[submitEndpoints[PRO].inputSchema] as unknown as { properties: Record<string, Schema> };

/** The properties n8n shows for `parameters` (resource, operation, model, ...) in a version-1 node. */
function shown(parameters: Record<string, unknown>, list: INodeProperties[] = properties, root = parameters): INodeProperties[] {
	return shownProperties(parameters, { list, root });
}
const names = (list: INodeProperties[]) => list.map((p) => p.name);
const editOptionsFor = (model: string) => {
	const params = { resource: 'image', operation: 'edit', model };
	const collection = shown(params).find((p) => p.name === 'options')!;
	return shown({}, collection.options as INodeProperties[], params);
};

describe('the generated model fields (generated/models.ts)', () => {
	it('is what the generator writes from the core\'s spec today (pnpm generate leaves it unchanged)', async () => {
		const file = path.join(import.meta.dirname, '..', 'nodes', 'AnyApiKontext', 'generated', 'models.ts');
		expect(render(describeModels(await loadCoreSpec()), readVersionRecords(versionsDir), loadRenames())).toBe(fs.readFileSync(file, 'utf8'));
	});

	it('offers every endpoint of the spec as a Model, the default model first chosen', () => {
		const [model] = shown({ resource: 'image', operation: 'edit' }).filter((p) => p.name === 'model');
		expect(model!.default).toBe(defaultEndpoint);
		expect(model!.options!.map((o) => (o as { value: string }).value).sort()).toEqual(Object.keys(submitEndpoints).sort());
		expect(shown({ resource: 'image', operation: 'getStatus' }).some((p) => p.name === 'model')).toBe(false);
	});

	it('shows each model exactly its own documented fields, Prompt first', () => {
		for (const [path, endpoint] of Object.entries(submitEndpoints)) {
			const schema = inputSchemas[endpoint.inputSchema] as unknown as { properties: Record<string, Schema> };
			const documented = Object.entries(schema.properties)
				.filter(([field, s]) => !/^image_urls?$/.test(field) && !s['x-fal-extra'])
				.map(([field]) => field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));
			const own = new Set(['resource', 'operation', 'model', 'imageSource', 'binaryPropertyName', 'binaryPropertyNames', 'options']);
			// A property shared by several models keeps one place, so the order follows the documents only roughly.
			const fields = names(shown({ resource: 'image', operation: 'edit', model: path, imageSource: 'binary' })).filter((name) => !own.has(name));
			expect([...fields].sort(), path).toEqual([...documented].sort());
			expect(fields[0], path).toBe('prompt');
		}
	});

	it("shows Kontext [pro]'s documented fields with the spec's title, default, range and choices", () => {
		const fields = shown({ resource: 'image', operation: 'edit', model: PRO, imageSource: 'binary' });
		for (const [field, schema] of Object.entries(proSchema.properties)) {
			if (field === 'image_url' || schema['x-fal-extra']) continue;
			const property = fields.find((p) => p.name === field.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()));
			expect(property, field).toBeDefined();
			expect(property!.displayName).toBe(schema.title);
			if ('default' in schema) expect(property!.default).toBe(schema.default);
		}
		const byName = (name: string) => fields.find((p) => p.name === name);
		expect(byName('guidanceScale')).toMatchObject({ type: 'number', default: 3.5, typeOptions: { minValue: 1, maxValue: 20 } });
		expect(byName('numImages')).toMatchObject({ type: 'number', default: 1, typeOptions: { minValue: 1, maxValue: 4, numberPrecision: 0 } });
		expect(byName('outputFormat')).toMatchObject({ type: 'options', default: 'jpeg', options: [{ name: 'JPEG (Default)', value: 'jpeg' }, { name: 'PNG', value: 'png' }] });
		expect(byName('safetyTolerance')!.options).toEqual([
			{ name: '1 (Strictest)', value: '1' },
			{ name: '2 (Default)', value: '2' },
			{ name: '3', value: '3' },
			{ name: '4', value: '4' },
			{ name: '5 (Most Permissive)', value: '5' },
		]);
		expect(byName('prompt')).toMatchObject({ type: 'string', required: true, placeholder: 'e.g. Put a donut next to the flour.' });
		expect(names(fields)).toEqual(expect.arrayContaining(['imageSource', 'binaryPropertyName']));
		expect(names(fields)).not.toContain('binaryPropertyNames');
	});

	it("puts fal's extras under Options, starting empty, with the node's own options, sorted by name", () => {
		const options = editOptionsFor(PRO);
		const byName = (name: string) => options.find((o) => o.name === name)!;
		for (const own of ['timeoutMinutes', 'downloadImages', 'binaryPropertyOutput', 'concurrency']) expect(names(options)).toContain(own);
		for (const extra of ['seed', 'aspectRatio', 'enhancePrompt', 'syncMode']) expect(names(options)).toContain(extra);
		const display = options.map((o) => o.displayName);
		expect(display).toEqual([...display].sort((a, b) => a.localeCompare(b)));
		// Adding Aspect Ratio or Seed preselects nothing that would be sent.
		expect(byName('aspectRatio').default).toBe('');
		expect(byName('aspectRatio').options).toContainEqual(expect.objectContaining({ name: 'Default', value: '' }));
		expect((byName('aspectRatio').options as Array<{ value: string }>).map((o) => o.value).filter(Boolean).sort()).toEqual(
			[...(proSchema.properties.aspect_ratio!.enum as string[])].sort(),
		);
		expect(byName('seed').default).toBeNull();
		expect(byName('timeoutMinutes').default).toBe(10);
		expect(byName('concurrency').default).toBe(4);
		expect(shown({ resource: 'image', operation: 'edit', model: PRO }).some((p) => p.name === 'seed')).toBe(false);
	});
});

describe('the generator follows a changed spec with no hand edit', () => {
	const base = { prompt: { title: 'Prompt', type: 'string' }, guidance_scale: { title: 'Guidance Scale', type: 'number', minimum: 1, maximum: 20, default: 3.5, description: 'How closely.' } };
	const spec: CoreSpec = {
		defaultEndpoint: '/a/edit',
		submitEndpoints: {
			'/a/edit': { inputSchema: 'Edit', displayName: 'A Edit', imageInput: 'single' },
			'/a/multi': { inputSchema: 'Multi', displayName: 'A Multi', imageInput: 'multiple' },
			'/a/draw': { inputSchema: 'Draw', displayName: 'A Draw', imageInput: 'none' },
		},
		inputSchemas: {
			Edit: { required: ['prompt', 'image_url'], properties: { ...base, image_url: { type: 'string' } } },
			Multi: { required: ['prompt', 'image_urls'], properties: { ...base, image_urls: { type: 'array', items: { type: 'string' } } } },
			Draw: {
				required: ['prompt'],
				properties: {
					...base,
					guidance_scale: { ...base.guidance_scale, maximum: 30, default: 5 },
					style: { title: 'Style', type: 'string', enum: ['a', 'b', 'c'], 'x-enum-names': ['Anime', 'Bold (loud)', 'Calm'], default: 'b' },
					tags: { type: 'array', items: { type: 'string' }, description: 'Tags.' },
					image_size: { type: 'object', properties: { width: { type: 'integer' } } },
					transparent: { type: 'boolean', description: 'Keep the background transparent.' },
					model: { type: 'string', description: 'A field named like a node parameter.' },
				},
			},
		},
	};
	const described = describeModels(spec);
	const forModel = (model: string) => shown({ model }, described.fieldProperties);

	it('gives each model its own fields; a field that reads the same in two models is one property', () => {
		const guidance = described.fieldProperties.filter((p) => p.name === 'guidanceScale');
		expect(guidance.map((p) => p.displayOptions!.show!.model)).toEqual([['/a/edit', '/a/multi'], ['/a/draw']]);
		expect(forModel('/a/draw').find((p) => p.name === 'guidanceScale')).toMatchObject({ default: 5, typeOptions: { maxValue: 30 } });
		expect(names(forModel('/a/edit'))).toEqual(['prompt', 'guidanceScale']);
		expect(names(forModel('/a/draw'))).toEqual(['prompt', 'guidanceScale', 'style', 'tags', 'imageSize', 'transparent', 'fieldModel']);
	});

	it('says what each choice means, the default marked', () => {
		expect(forModel('/a/draw').find((p) => p.name === 'style')!.options).toEqual([
			{ name: 'Anime', value: 'a' },
			{ name: 'Bold (Loud, Default)', value: 'b' },
			{ name: 'Calm', value: 'c' },
		]);
		expect(choiceName('2', true)).toBe('2 (Default)');
		expect(choiceName('1 (strictest)', false)).toBe('1 (Strictest)');
		expect(choiceName('5 (most permissive)', false)).toBe('5 (Most Permissive)');
	});

	it('types arrays, objects and booleans as n8n users fill them, booleans worded as lint wants', () => {
		const draw = forModel('/a/draw');
		expect(draw.find((p) => p.name === 'tags')).toMatchObject({ type: 'string', default: '', hint: 'A comma-separated list', description: 'Tags' });
		expect(draw.find((p) => p.name === 'imageSize')).toMatchObject({ displayName: 'Image Size', type: 'json', default: '' });
		expect(draw.find((p) => p.name === 'transparent')).toMatchObject({ type: 'boolean', default: false, description: 'Whether to keep the background transparent' });
	});

	it('knows how each model takes images; the image fields are the node\'s own inputs', () => {
		expect(described.byImageInput).toEqual({ none: ['/a/draw'], single: ['/a/edit'], multiple: ['/a/multi'] });
		expect(described.models['/a/multi']!.fields.find((f) => f.field === 'image_urls')).toMatchObject({ image: true });
		expect(described.fieldProperties.some((p) => /image_?urls?/i.test(p.name))).toBe(false);
		expect(described.modelProperty.options).toEqual([
			{ name: 'A Draw', value: '/a/draw', description: 'Makes an image from the prompt alone (/a/draw)' },
			{ name: 'A Edit', value: '/a/edit', description: 'Edits one image (/a/edit)' },
			{ name: 'A Multi', value: '/a/multi', description: 'Combines several images (/a/multi)' },
		]);
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
