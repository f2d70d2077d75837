import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import * as cancel from './cancel.operation';
import * as edit from './edit.operation';
import * as getResult from './getResult.operation';
import * as getStatus from './getStatus.operation';
import { modelInputProperties } from './modelInput';
import * as submit from './submit.operation';

export const operations = { cancel, edit, getResult, getStatus, submit };

export const description: INodeProperties[] = [
	{
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
				description: 'Run a model (edit images, or make one from a prompt), wait for the job and return the images',
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
				description: 'Queue a job and return its request ID at once, for long jobs',
				action: 'Submit an edit job',
			},
		],
		default: 'edit',
	},
	// Edit and Submit ask the same: the model, its images and its fields.
	...updateDisplayOptions({ show: { resource: ['image'], operation: ['edit', 'submit'] } }, modelInputProperties),
	...edit.description,
	...submit.description,
	...getStatus.description,
	...getResult.description,
	...cancel.description,
];
