import type { INodeProperties } from 'n8n-workflow';
import * as getUsage from './getUsage.operation';

export const operations = { getUsage };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Usage',
				value: 'getUsage',
				description: "Get the API key's quota and usage (costs nothing)",
				action: 'Get the usage of the API key',
			},
		],
		default: 'getUsage',
	},
];
