// Which fields n8n's editor flags as required ("Parameter "Prompt" is required.", its only sign:
// node parameters get no asterisk). Computed with n8n-workflow's own NodeHelpers, as the editor
// does: a `required` flag counts only while the field is displayed, and only on the field types
// n8n checks (string, options, multiOptions, dateTime, resourceLocator); on a number or a
// boolean it is silently ignored. The real-browser test (e2e/ui) shows the icon itself.
import { describe, expect, it } from 'vitest';
import { NodeHelpers, type INode, type INodeParameters, type INodeProperties } from 'n8n-workflow';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';
import { MODELS, type ModelPath } from '../nodes/AnyApiKontext/generated/models';

const description = new AnyApiKontext().description;
const FLAGGED_TYPES = new Set(['string', 'options', 'multiOptions', 'dateTime', 'resourceLocator']);

function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => [
		p,
		...allProperties(((p.options ?? []) as INodeProperties[]).filter((o) => typeof o === 'object' && 'type' in o)),
	]);
}

/** The parameters n8n flags for a node set to `values` (the rest at their defaults). */
function flagged(values: INodeParameters): Record<string, string[]> {
	const node: INode = {
		id: 'n1',
		name: 'AnyAPI Kontext',
		type: 'n8n-nodes-anyapi-kontext.anyApiKontext',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	node.parameters = NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description) ?? {};
	const issues = NodeHelpers.getNodeParametersIssues(description.properties, node, description);
	return (issues?.parameters ?? {}) as Record<string, string[]>;
}

describe('required fields', () => {
	it('every field marked required is of a type n8n flags when empty', () => {
		const required = allProperties(description.properties).filter((p) => p.required);
		expect(required.length).toBeGreaterThan(0);
		for (const p of required) expect(FLAGGED_TYPES.has(p.type), `${p.displayName} (${p.type})`).toBe(true);
	});

	it('Edit from a binary file: an empty Prompt is flagged; Input Binary Field only once emptied', () => {
		expect(flagged({ resource: 'image', operation: 'edit', imageSource: 'binary' })).toEqual({
			prompt: ['Parameter "Prompt" is required.'],
		});
		expect(Object.keys(flagged({ resource: 'image', operation: 'edit', binaryPropertyName: '', prompt: 'x' }))).toEqual([
			'binaryPropertyName',
		]);
		expect(flagged({ resource: 'image', operation: 'edit', prompt: 'Add a hat' })).toEqual({});
	});

	it('Edit and Submit from a URL: Image URL and Prompt are flagged while empty', () => {
		for (const operation of ['edit', 'submit']) {
			expect(flagged({ resource: 'image', operation, imageSource: 'url' })).toEqual({
				imageUrl: ['Parameter "Image URL" is required.'],
				prompt: ['Parameter "Prompt" is required.'],
			});
		}
	});

	it("every model flags its empty Prompt and its empty image input, and nothing of another model's", () => {
		for (const [model, { imageInput }] of Object.entries(MODELS) as Array<[ModelPath, (typeof MODELS)[ModelPath]]>) {
			const expected: Record<string, string[]> = { prompt: ['Parameter "Prompt" is required.'] };
			if (imageInput === 'single') expected.imageUrl = ['Parameter "Image URL" is required.'];
			if (imageInput === 'multiple') expected.imageUrls = ['Parameter "Image URLs" is required.'];
			expect(flagged({ resource: 'image', operation: 'edit', model, imageSource: 'url' }), model).toEqual(expected);
		}
	});

	it('Get Status, Get Result and Cancel flag an empty Request ID; Get Usage needs nothing', () => {
		for (const operation of ['getStatus', 'getResult', 'cancel']) {
			expect(flagged({ resource: 'image', operation })).toEqual({ requestId: ['Parameter "Request ID" is required.'] });
		}
		expect(flagged({ resource: 'account', operation: 'getUsage' })).toEqual({});
	});
});
