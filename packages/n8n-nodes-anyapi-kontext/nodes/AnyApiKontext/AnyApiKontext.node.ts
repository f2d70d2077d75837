import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { executeKontext } from './actions/execute';
import { imageProperties } from './descriptions/imageFields';
import { accountOperationProperty, imageOperationProperty, resourceProperty } from './descriptions/resources';

export class AnyApiKontext implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AnyAPI Kontext',
		name: 'anyApiKontext',
		icon: { light: 'file:anyapi.svg', dark: 'file:anyapi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Edit images with FLUX.1 Kontext [pro] through AnyAPI',
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
		properties: [resourceProperty, imageOperationProperty, accountOperationProperty, ...imageProperties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeKontext.call(this);
	}
}
