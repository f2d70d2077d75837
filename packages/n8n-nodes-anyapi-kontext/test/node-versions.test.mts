import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { INodeProperties } from 'n8n-workflow';
import { shownProperties } from './shown.mjs';
import { defaultEndpoint, inputSchemas, submitEndpoints } from '@anyapi-kontext/core/portable';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { buildModelBody } from '../nodes/AnyApiKontext/actions/image/modelInput';
import type { Model, ModelField } from '../nodes/AnyApiKontext/generated/models';
import { describeModels, gatedProperties, versionsDir, type CoreSpec } from '../scripts/generate.mjs';
import { compareRecords, nextVersion, planVersions, readVersionRecords, runtimeModelsOf, summariseRecord } from '../scripts/node-versions.mjs';

const PRO = '/fal-ai/flux-pro/kontext';
const records = readVersionRecords(versionsDir);
const description = new AnyApiKontext().description;
const released = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'openapi', 'released.json'), 'utf8')) as {
	surface: { node: { versions: Record<string, ReturnType<typeof summariseRecord>> } };
};

/** The properties n8n shows a node of `version` with `parameters` (n8n's own displayParameter, `@version` included). */
function shown(version: number, parameters: Record<string, unknown>, list: INodeProperties[] = description.properties, root = parameters): INodeProperties[] {
	return shownProperties(parameters, { version, list, root });
}

/** What a saved workflow depends on, as the node shows it: per parameter its type, default and choices. */
function shownParameters(version: number, model: string) {
	const parameters = { resource: 'image', operation: 'edit', model, imageSource: 'binary' };
	const own = new Set(['resource', 'operation', 'model', 'imageSource', 'binaryPropertyName', 'binaryPropertyNames', 'options', 'images', 'combineItems']);
	const out: Record<string, unknown> = {};
	const describe = (p: INodeProperties) => ({
		type: p.type,
		default: p.default ?? null,
		...(p.options ? { choices: (p.options as Array<{ value: unknown }>).map((o) => o.value).filter((v) => v !== '') } : {}),
		...(p.required ? { required: true } : {}),
	});
	for (const p of shown(version, parameters)) if (!own.has(p.name)) out[p.name] = describe(p);
	const options = shown(version, parameters).find((p) => p.name === 'options')!;
	for (const p of shown(version, {}, options.options as INodeProperties[], parameters)) {
		if (['timeoutMinutes', 'concurrency', 'downloadImages', 'binaryPropertyOutput', 'webhookUrl'].includes(p.name)) continue;
		out[`options.${p.name}`] = describe(p);
	}
	return out;
}

describe('node versions (versions/*.json): a saved workflow means what it meant', () => {
	it('offers every recorded version, new workflows getting the latest', () => {
		expect(records.map((r) => r.version)).toEqual(description.version);
		expect(description.defaultVersion).toBe(records.at(-1)!.version);
		expect(records[0]!.version).toBe(1);
	});

	it('pins version 1, the parameters 0.1.0 released: names, types, defaults and choices of [pro]', () => {
		const pinned = summariseRecord(records.find((r) => r.version === 1)!).models[PRO]!;
		expect(Object.keys(pinned)).toEqual(
			expect.arrayContaining(['prompt', 'guidanceScale', 'numImages', 'outputFormat', 'safetyTolerance', 'options.seed', 'options.aspectRatio', 'options.enhancePrompt', 'options.syncMode']),
		);
		expect(pinned).toMatchObject({
			prompt: { field: 'prompt', type: 'string', default: '', required: true },
			guidanceScale: { field: 'guidance_scale', type: 'number', default: 3.5 },
			numImages: { field: 'num_images', type: 'number', default: 1 },
			outputFormat: { field: 'output_format', type: 'options', default: 'jpeg', choices: ['jpeg', 'png'] },
			safetyTolerance: { field: 'safety_tolerance', type: 'options', default: '2', choices: ['1', '2', '3', '4', '5'] },
			'options.seed': { field: 'seed', type: 'number', default: null },
			'options.enhancePrompt': { field: 'enhance_prompt', type: 'boolean', default: false },
		});
	});

	it('keeps every released version as the release recorded it (openapi/released.json); later changes only add', () => {
		for (const [version, pinned] of Object.entries(released.surface.node.versions)) {
			const record = records.find((r) => String(r.version) === version);
			expect(record, `version ${version} was released and must stay`).toBeDefined();
			const now = summariseRecord(record!);
			expect(now.defaultModel, version).toBe(pinned.defaultModel);
			for (const [model, parameters] of Object.entries(pinned.models)) {
				for (const [name, was] of Object.entries(parameters)) {
					const is = now.models[model]?.[name];
					expect(is, `${version} ${model} ${name}`).toBeDefined();
					const { choices: wasChoices, ...wasRest } = was;
					const { choices: isChoices, ...isRest } = is!;
					expect(isRest, `${version} ${model} ${name}`).toEqual(wasRest);
					expect(isChoices ?? [], `${version} ${model} ${name} choices`).toEqual(expect.arrayContaining(wasChoices ?? []));
				}
				for (const [name, is] of Object.entries(now.models[model] ?? {})) {
					if (!parameters[name]) expect(is.required, `${version} ${model} ${name} was added as required`).not.toBe(true);
				}
			}
		}
	});

	it('shows each version exactly its record\'s parameters, for every model', () => {
		for (const record of records) {
			for (const [model, parameters] of Object.entries(summariseRecord(record).models)) {
				const expected = Object.fromEntries(Object.entries(parameters).map(([name, { field: _field, ...rest }]) => [name, rest]));
				expect(shownParameters(record.version, model), `${record.version} ${model}`).toEqual(expected);
			}
		}
	});
});

describe('a spec change that alters what saved workflows send adds a node version', () => {
	const spec = { submitEndpoints, defaultEndpoint, inputSchemas } as unknown as CoreSpec;
	const latest = records.at(-1)!;
	// AnyAPI renames guidance_scale to guidance, drops num_images, narrows safety_tolerance to 1-3
	// and adds a required seed to [pro]; kontext.yaml declares the rename.
	const schemaName = submitEndpoints[PRO].inputSchema;
	const pro = structuredClone(inputSchemas[schemaName]) as unknown as { properties: Record<string, Record<string, unknown>>; required: string[] };
	const { guidance_scale: guidance, num_images: _gone, seed, ...rest } = pro.properties;
	pro.properties = {
		...rest,
		guidance: guidance!,
		seed: { ...seed, 'x-fal-extra': undefined },
		safety_tolerance: { ...rest.safety_tolerance, enum: ['1', '2', '3'], 'x-enum-names': undefined },
	};
	pro.required = [...pro.required, 'seed'];
	const changed = describeModels({ ...spec, inputSchemas: { ...inputSchemas, [schemaName]: pro } } as CoreSpec);
	const renames = [{ endpoint: PRO, from: 'guidance_scale', to: 'guidance' }];
	const plan = planVersions(records, changed, renames);

	it('adds the next minor version and names why', () => {
		expect(plan.added).toBe(nextVersion(latest.version));
		expect(nextVersion(1)).toBe(1.1);
		expect(nextVersion(1.1)).toBe(1.2);
		expect(nextVersion(2)).toBe(2.1);
		const kinds = plan.changes.filter((c) => c.endpoint === PRO && c.newVersion).map((c) => `${c.parameter} ${c.kind}`);
		expect(kinds).toEqual(
			expect.arrayContaining(['guidanceScale field-renamed', 'numImages field-removed', 'safetyTolerance choice-removed', 'seed parameter-moved']),
		);
		expect(plan.write.map((r) => r.version)).toEqual([plan.added]);
	});

	it('adds one version per release: an unreleased one is rewritten, or dropped when the change is undone', () => {
		const draft = plan.records.at(-1)!;
		const released = records.map((r) => r.version);
		// Another incompatible change before the release: the same version, rewritten.
		const moreRenames = structuredClone(pro);
		delete moreRenames.properties.output_format;
		const again = planVersions(plan.records, describeModels({ ...spec, inputSchemas: { ...inputSchemas, [schemaName]: moreRenames } } as CoreSpec), renames, released);
		expect(again.write.map((r) => r.version)).toEqual([draft.version]);
		expect(again.records.map((r) => r.version)).toEqual([...released, draft.version]);
		// The same spec again: nothing to write.
		expect(planVersions(plan.records, changed, renames, released)).toMatchObject({ write: [], remove: [], added: undefined });
		// AnyAPI undoes the change before the release: the unreleased version goes.
		const undone = planVersions(plan.records, describeModels(spec), renames, released);
		expect(undone.remove.map((r) => r.version)).toEqual([draft.version]);
		expect(undone.records.map((r) => r.version)).toEqual(released);
		// Once released, it is frozen: the next incompatible change adds the next version.
		const after = planVersions(plan.records, describeModels({ ...spec, inputSchemas: { ...inputSchemas, [schemaName]: moreRenames } } as CoreSpec), renames, [...released, draft.version]);
		expect(after.added).toBe(nextVersion(draft.version));
	});

	it('takes a compatible change into the current version', () => {
		const withNewOptional = structuredClone(inputSchemas[schemaName]) as unknown as { properties: Record<string, unknown> };
		withNewOptional.properties.style = { title: 'Style', type: 'string', enum: ['photo', 'anime'] };
		const compatible = planVersions(records, describeModels({ ...spec, inputSchemas: { ...inputSchemas, [schemaName]: withNewOptional } } as CoreSpec));
		expect(compatible.added).toBeUndefined();
		expect(compatible.write.map((r) => r.version)).toEqual([latest.version]);
		expect(compareRecords(latest, compatible.write[0]!).map((c) => c.kind)).toEqual(['field-added']);
	});

	it('shows a workflow saved with the old version its old parameters, and new workflows the new ones', () => {
		const fields = gatedProperties(plan.records, (r) => r.fieldProperties);
		const old = shown(latest.version, { model: PRO }, fields).map((p) => p.name);
		const now = shown(plan.added!, { model: PRO }, fields).map((p) => p.name);
		expect(old).toEqual(expect.arrayContaining(['guidanceScale', 'numImages']));
		expect(old).not.toContain('guidance');
		expect(now).toEqual(expect.arrayContaining(['guidance', 'seed']));
		expect(now).not.toContain('numImages');
		expect(now).not.toContain('guidanceScale');
	});

	it('runs the old version: a renamed field sent under its new name, a removed one failing only when the workflow set it', () => {
		const oldModels = runtimeModelsOf(latest, plan.records.at(-1)!, renames) as unknown as Record<string, Model>;
		const model = oldModels[PRO]!;
		const saved: Record<string, unknown> = { prompt: 'Add a hat', guidanceScale: 7, numImages: 1, outputFormat: 'jpeg', safetyTolerance: '2' };
		const read = (values: Record<string, unknown>) => (f: ModelField) => values[f.parameter];
		const body = buildModelBody(model, read(saved), {}, { image_url: 'https://example.com/a.png' });
		expect(body).toMatchObject({ guidance: 7, prompt: 'Add a hat' });
		expect(body).not.toHaveProperty('guidance_scale');
		expect(body).not.toHaveProperty('num_images');
		expect(() => buildModelBody(model, read({ ...saved, numImages: 2 }), {}, {})).toThrow(
			'Number of Images (num_images) is set to 2, but AnyAPI no longer has this field',
		);
	});
});
