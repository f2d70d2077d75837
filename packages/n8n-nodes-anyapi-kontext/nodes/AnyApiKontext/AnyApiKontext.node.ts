import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as account from './actions/account/Account.resource';
import * as image from './actions/image/Image.resource';
import { router } from './actions/router';
import { toolDescriptionProperties } from './actions/toolDescription';
import { DEFAULT_NODE_VERSION, NODE_VERSIONS } from './generated/models';
import { searchModels } from './shared/modelFields';

export class AnyApiKontext implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AnyAPI Kontext',
		name: 'anyApiKontext',
		icon: { light: 'file:anyapi.svg', dark: 'file:anyapi.dark.svg' },
		group: ['transform'],
		// Light versioning: one class, parameters gated by `@version` (generated/models.ts, versions/;
		// behaviour versions in shared/nodeVersion.ts).
		version: NODE_VERSIONS,
		defaultVersion: DEFAULT_NODE_VERSION,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Edit and make images with the FLUX.1 Kontext models through AnyAPI',
		defaults: {
			name: 'AnyAPI Kontext',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'anyApiApi',
				required: true,
			},
		],
		properties: [
			...toolDescriptionProperties,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Image', value: 'image' },
				],
				default: 'image',
			},
			...image.description,
			...account.description,
		],
	};

	methods = {
		// Version 2's Model > From List.
		listSearch: { searchModels },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
