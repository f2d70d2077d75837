import type { INodeProperties } from 'n8n-workflow';
import { fromVersion2, onlyVersion1 } from '../shared/nodeVersion';

/** What an AI Agent is told the tool does (version 2): URLs in, URLs out, no files. */
export const TOOL_DESCRIPTION =
	'Edits images with a FLUX.1 Kontext model: give the public http(s) URLs of the images and a prompt saying what to change. ' +
	'Waits for the job and answers with JSON: requestId, prompt and imageUrls, the URLs of the edited images (no files). ' +
	'Results expire after a while: download or pass them on soon.';

/**
 * The Tool Description of the node as an AI Agent's tool. n8n adds its own pair (Tool Description
 * Set Automatically / Manually, whose automatic text is only "Edit an image in AnyAPI Kontext")
 * to a tool node that has no `toolDescription` property. Version 2 has one, defaulting to a text
 * that says what goes in and what comes out; version 1 keeps n8n's pair as n8n 1.123 and 2.41
 * add it (same names, options and defaults), so its saved tool nodes keep their description.
 */
export const toolDescriptionProperties: INodeProperties[] = [
	{
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { ...onlyVersion1, '@tool': [true] } },
		options: [
			{ name: 'Set Automatically', value: 'auto', description: 'Automatically set based on resource and operation' },
			{ name: 'Set Manually', value: 'manual', description: 'Manually set the description' },
		],
		default: 'auto',
	},
	{
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		displayOptions: { show: { ...onlyVersion1, '@tool': [true], descriptionType: ['manual'] } },
		default: 'Edit and make images with the FLUX.1 Kontext models through AnyAPI',
		required: true,
		typeOptions: { rows: 2 },
		description: 'Explain to the LLM what this tool does, a good, specific description would allow LLMs to produce expected results much more often',
	},
	{
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		displayOptions: { show: { ...fromVersion2, '@tool': [true] } },
		default: TOOL_DESCRIPTION,
		required: true,
		typeOptions: { rows: 3 },
		description: 'What the AI Agent is told this tool does; say that it takes image URLs and answers with image URLs',
	},
];
