import type { INodeProperties } from 'n8n-workflow';
import { MODEL_FIELDS, toProperty } from '../shared/modelFields';

const forOperations = (operation: string[]) => ({ show: { resource: ['image'], operation } });
const INPUT_OPERATIONS = ['edit', 'submit'];

/** Where the input image comes from. */
export const imageSourceProperties: INodeProperties[] = [
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		displayOptions: forOperations(INPUT_OPERATIONS),
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'An image in a binary property of the incoming item, e.g. from Read Files or HTTP Request',
			},
			{
				name: 'URL',
				value: 'url',
				description: 'A public http(s) URL of the image',
			},
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		displayOptions: { show: { resource: ['image'], operation: INPUT_OPERATIONS, imageSource: ['binary'] } },
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the image (jpg, png, webp, gif or avif)',
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		displayOptions: { show: { resource: ['image'], operation: INPUT_OPERATIONS, imageSource: ['url'] } },
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/photo.png',
		description: 'A public http(s) URL of a jpg, png, webp, gif or avif image',
	},
];

/** The model's documented fields (prompt, guidance scale, ...), built from the spec. */
export const modelProperties: INodeProperties[] = MODEL_FIELDS.filter((f) => !f.extra).map((field) => ({
	...toProperty(field),
	displayOptions: forOperations(INPUT_OPERATIONS),
}));

/** fal's own optional inputs (seed, aspect ratio, ...), built from the spec, shown under Options. */
const extraOptions: INodeProperties[] = MODEL_FIELDS.filter((f) => f.extra).map(toProperty);

const waitOptions: INodeProperties[] = [
	{
		displayName: 'Time-Out (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 10,
		description: 'How long to wait for each job; a job still running then is cancelled on the server',
	},
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 32, numberPrecision: 0 },
		default: 4,
		description: 'How many items are processed at the same time',
	},
];

const downloadOptions: INodeProperties[] = [
	{
		displayName: 'Download Images',
		name: 'downloadImages',
		type: 'boolean',
		default: true,
		description: 'Whether to download the edited images into binary fields; off returns only their URLs',
	},
	{
		displayName: 'Output Binary Field',
		name: 'binaryPropertyOutput',
		type: 'string',
		default: 'data',
		description:
			'The binary field the first image is put in. Further images go in the same name with _1, _2, ... appended.',
	},
];

const byName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

export const editOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	displayOptions: forOperations(['edit']),
	default: {},
	options: [...extraOptions, ...waitOptions, ...downloadOptions].sort(byName),
};

/** Where fal POSTs the outcome when the job ends: with a Wait node, the execution frees its worker meanwhile. */
export const webhookUrlOption: INodeProperties = {
	displayName: 'Webhook URL',
	name: 'webhookUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $execution.resumeUrl }}',
	description:
		'AnyAPI POSTs the outcome of the job here when it ends (sent as fal_webhook). Use {{ $execution.resumeUrl }} with a Wait node set to resume On Webhook Call (POST), then Get Result.',
};

export const submitOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	displayOptions: forOperations(['submit']),
	default: {},
	options: [...extraOptions, webhookUrlOption].sort(byName),
};

export const requestIdProperty: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	displayOptions: forOperations(['getStatus', 'getResult', 'cancel']),
	default: '',
	required: true,
	placeholder: 'e.g. 764cabcf-b745-4b3e-ae38-1200304cf45b',
	description: 'The request ID a Submit returned',
};

export const getStatusOptions: INodeProperties = {
	displayName: 'Include Logs',
	name: 'includeLogs',
	type: 'boolean',
	displayOptions: forOperations(['getStatus']),
	default: false,
	description: "Whether to include the job's logs",
};

export const getResultOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	displayOptions: forOperations(['getResult']),
	default: {},
	options: [...downloadOptions].sort(byName),
};

export const imageProperties: INodeProperties[] = [
	...imageSourceProperties,
	...modelProperties,
	requestIdProperty,
	getStatusOptions,
	editOptions,
	submitOptions,
	getResultOptions,
];
