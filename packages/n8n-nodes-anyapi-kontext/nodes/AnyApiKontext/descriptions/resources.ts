import type { INodeProperties } from 'n8n-workflow';

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Account', value: 'account' },
		{ name: 'Image', value: 'image' },
	],
	default: 'image',
};

export const imageOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['image'] } },
	options: [
		{
			name: 'Cancel',
			value: 'cancel',
			description: 'Cancel a job that is still queued or running',
			action: 'Cancel a job',
		},
		{
			name: 'Edit',
			value: 'edit',
			description: 'Edit an image with a prompt, wait for the job and return the edited images',
			action: 'Edit an image',
		},
		{
			name: 'Get Result',
			value: 'getResult',
			description: 'Get the result of a finished job, optionally downloading its images',
			action: 'Get the result of a job',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			description: 'Get the status of a submitted job',
			action: 'Get the status of a job',
		},
		{
			name: 'Submit',
			value: 'submit',
			description: 'Queue an edit and return its request ID at once, for long jobs',
			action: 'Submit an edit job',
		},
	],
	default: 'edit',
};

export const accountOperationProperty: INodeProperties = {
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
};
