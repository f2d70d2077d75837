import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	MULTIPLE_IMAGE_MODELS,
	SINGLE_IMAGE_MODELS,
	modelFieldProperties,
	modelProperties,
	type Model,
	type ModelField,
	type ModelPath,
} from '../../generated/models';
import { UserInputError } from '../../shared/errors';
import { promptSlug } from '../../shared/fileNames';
import { imageUrlFor, imageUrlsFor, inputImageStem } from '../../shared/imageInput';
import { checkImageCount, imageListFor, toolImageUrlsFor, type InputImage } from '../../shared/imageList';
import { modelOf } from '../../shared/modelFields';
import { fromVersion2, nodeVersionOf, onlyVersion1, runsAsTool } from '../../shared/nodeVersion';

const IMAGE_MODELS = [...SINGLE_IMAGE_MODELS, ...MULTIPLE_IMAGE_MODELS];

const TOOL_IMAGE_URLS_FROM_MODEL = "={{ $fromAI('imageUrls', 'The public http(s) URLs of the images to edit, separated by commas', 'string') }}";

/** Version 2's image inputs: the Images list, the Combine option, and image URLs when run as a tool. */
function version2ImageProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Images',
			name: 'images',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Image',
			displayOptions: { show: { ...fromVersion2, '@tool': [false], model: IMAGE_MODELS } },
			default: { image: [{ source: 'binary', binaryPropertyName: 'data' }] },
			description: 'The images the model edits, in the order the prompt refers to them: a binary field of the incoming item, or a URL',
			options: [
				{
					displayName: 'Image',
					name: 'image',
					values: [
						{
							displayName: 'Source',
							name: 'source',
							type: 'options',
							options: [
								{ name: 'Binary Field', value: 'binary', description: 'A binary field of the incoming item, e.g. from Read Files or HTTP Request' },
								{ name: 'URL', value: 'url', description: 'A public http(s) URL' },
							],
							default: 'binary',
						},
						{
							displayName: 'Input Binary Field',
							name: 'binaryPropertyName',
							type: 'string',
							displayOptions: { show: { source: ['binary'] } },
							default: 'data',
							hint: 'The name of the input binary field containing the image (jpg, png, webp, gif or avif)',
						},
						{
							displayName: 'Image URL',
							name: 'url',
							type: 'string',
							displayOptions: { show: { source: ['url'] } },
							default: '',
							placeholder: 'e.g. https://example.com/photo.png',
							description: 'A public http(s) URL of a jpg, png, webp, gif or avif image',
						},
					],
				},
			],
		},
		{
			displayName: 'Combine All Items Into One Job',
			name: 'combineItems',
			type: 'boolean',
			displayOptions: { show: { ...fromVersion2, '@tool': [false], model: MULTIPLE_IMAGE_MODELS } },
			default: false,
			description:
				'Whether to send the images of all incoming items, in item order, to one job (prompt and fields from the first item); its output is paired with every item. Off: one job per item.',
		},
		{
			displayName: 'Image URLs',
			name: 'toolImageUrls',
			type: 'string',
			displayOptions: { show: { ...fromVersion2, '@tool': [true], model: IMAGE_MODELS } },
			// The model fills it by default: the agent sees an `imageUrls` argument with no setting.
			default: TOOL_IMAGE_URLS_FROM_MODEL,
			description: 'The public http(s) URLs of the images to edit, separated by commas; by default the AI model gives them',
		},
	];
}

/**
 * What Edit and Submit both ask: the model, its image input (none, one, or several images) and
 * its fields. The fields are generated from the spec (generated/models.ts).
 */
export const modelInputProperties: INodeProperties[] = [
	...modelProperties,
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		displayOptions: { show: { ...onlyVersion1, model: IMAGE_MODELS } },
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'Images in binary fields of the incoming item, e.g. from Read Files or HTTP Request',
			},
			{
				name: 'URL',
				value: 'url',
				description: 'Public http(s) URLs of the images',
			},
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		displayOptions: { show: { ...onlyVersion1, model: SINGLE_IMAGE_MODELS, imageSource: ['binary'] } },
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the image (jpg, png, webp, gif or avif)',
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		displayOptions: { show: { ...onlyVersion1, model: SINGLE_IMAGE_MODELS, imageSource: ['url'] } },
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/photo.png',
		description: 'A public http(s) URL of a jpg, png, webp, gif or avif image',
	},
	{
		displayName: 'Input Binary Fields',
		name: 'binaryPropertyNames',
		type: 'string',
		displayOptions: { show: { ...onlyVersion1, model: MULTIPLE_IMAGE_MODELS, imageSource: ['binary'] } },
		default: 'data',
		required: true,
		placeholder: 'e.g. data, data_1',
		hint: 'The names of the input binary fields holding the images, separated by commas, in the order the prompt refers to them',
	},
	{
		displayName: 'Image URLs',
		name: 'imageUrls',
		type: 'string',
		typeOptions: { rows: 3 },
		displayOptions: { show: { ...onlyVersion1, model: MULTIPLE_IMAGE_MODELS, imageSource: ['url'] } },
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/a.png, https://example.com/b.png',
		description: 'Public http(s) URLs of the images, one per line or separated by commas; an expression may give an array',
	},
	...version2ImageProperties(),
	...modelFieldProperties,
];

/** The model a node's Model parameter picked, for item `itemIndex`. */
export function chosenModel(context: IExecuteFunctions, itemIndex: number): { path: ModelPath; model: Model } {
	const value = context.getNodeParameter('model', itemIndex, '');
	const version = context.getNode().typeVersion;
	const chosen = modelOf(value, version);
	if (!chosen) throw new UserInputError(`Item ${itemIndex + 1}: the model "${String(value)}" is not one this node knows`, 'Pick a model from the list.');
	if (chosen.model.removed) {
		throw new UserInputError(
			`Item ${itemIndex + 1}: AnyAPI no longer offers the model "${chosen.model.displayName}" (${chosen.path}) this workflow was saved with (node version ${version})`,
			'Pick another model, or open the node and upgrade it to the latest version.',
		);
	}
	return chosen;
}

/**
 * The submit body from the node's parameters: each field of the model, read under its n8n name
 * (fal's extras from Options), plus the images. A field left empty is not sent; a boolean only
 * when it differs from the model's default. Ranges are the core's `validateInput` business,
 * which names the field and what it allows.
 */
export function buildModelBody(
	model: Model,
	read: (field: ModelField) => unknown,
	options: IDataObject,
	images: { image_url?: string; image_urls?: string[] },
): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	for (const field of model.fields) {
		if (field.image) continue;
		const value = field.extra ? options[field.parameter] : read(field);
		if (value === undefined || value === null || value === '') continue;
		if (field.removed) {
			// A workflow saved with an older node version: AnyAPI dropped this field since. Left as
			// it was, it is not sent; set by the user, the item fails rather than lose the value.
			if (!field.extra && value === field.unset) continue;
			throw new UserInputError(
				`${field.displayName} (${field.field}) is set to ${JSON.stringify(value)}, but AnyAPI no longer has this field`,
				'Clear the parameter, or open the node and upgrade it to the latest version.',
			);
		}
		const normalised = normalise(field, value);
		if (field.type === 'boolean' && normalised === (field.default ?? false)) continue;
		body[field.field] = normalised;
	}
	return { ...body, ...images };
}

/**
 * n8n gives numbers for choices typed through expressions, text for numbers mapped from JSON,
 * and text for lists and JSON: each is turned into the spec's type (a value that cannot be is
 * passed on for the core to name).
 */
function normalise(field: ModelField, value: unknown): unknown {
	switch (field.type) {
		case 'string':
			if (typeof value === 'number') return String(value);
			return typeof value === 'string' && field.parameter === 'prompt' ? value.trim() : value;
		case 'number':
		case 'integer':
			return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
		case 'array':
			if (typeof value !== 'string') return value;
			return value
				.split(',')
				.map((entry) => entry.trim())
				.filter((entry) => entry !== '')
				.map((entry) => (field.items === 'number' || field.items === 'integer') && !Number.isNaN(Number(entry)) ? Number(entry) : entry);
		case 'object':
		case 'json':
			return typeof value === 'string' ? parseJson(field, value) : value;
		default:
			return value;
	}
}

function parseJson(field: ModelField, text: string): unknown {
	let parsed: unknown;
	let valid = true;
	try {
		parsed = JSON.parse(text) as unknown;
	} catch {
		valid = false;
	}
	if (!valid) throw new UserInputError(`${field.displayName} must be JSON (got ${JSON.stringify(text.slice(0, 80))})`);
	return parsed;
}

/**
 * Version 2's Combine All Items Into One Job, for a model that takes several images: the indexes
 * of all items (read from the first item), else undefined (one job per item). Not as a tool.
 */
export function combinedItemsOf(context: IExecuteFunctions, itemCount: number): number[] | undefined {
	if (nodeVersionOf(context) < 2 || runsAsTool(context)) return undefined;
	if (context.getNodeParameter('resource', 0, '') !== 'image') return undefined;
	const chosen = modelOf(context.getNodeParameter('model', 0, ''));
	if (chosen?.model.imageInput !== 'multiple' || context.getNodeParameter('combineItems', 0, false) !== true) return undefined;
	return Array.from({ length: itemCount }, (_, index) => index);
}

/** What a job is sent: the model's path and body, and what names and describes its output. */
export interface ModelInput {
	endpoint: ModelPath;
	input: Record<string, unknown>;
	/** The stem to name the output files after: the (first) input image's name, else the prompt's words. */
	fileStem?: string;
	/** Version 2: the input images, for the output's JSON (never their bytes). */
	inputImages: InputImage[];
}

/**
 * The model and submit body of item `itemIndex` (version 2 with Combine: of the items in
 * `combinedItems`, whose images go to one job in item order; the prompt and fields are the first
 * item's), its images read from binary fields or URLs.
 */
export async function buildModelInput(context: IExecuteFunctions, itemIndex: number, combinedItems?: number[]): Promise<ModelInput> {
	const { path, model } = chosenModel(context, itemIndex);
	const options = (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
	const read = (field: ModelField) => context.getNodeParameter(field.parameter, itemIndex, undefined);
	if (nodeVersionOf(context) < 2) return await buildVersion1Input(context, itemIndex, path, model, read, options);

	const images: InputImage[] = [];
	if (model.imageInput !== 'none') {
		if (runsAsTool(context)) images.push(...toolImageUrlsFor(context, itemIndex, model.imageInput));
		else for (const index of combinedItems ?? [itemIndex]) images.push(...(await imageListFor(context, index)));
		const where = combinedItems && combinedItems.length > 1 ? `Items 1 to ${combinedItems.length} combined` : `Item ${itemIndex + 1}`;
		checkImageCount(images, model.imageInput, model.displayName, where);
	}
	const urls = images.map((image) => image.url);
	const imageFields = model.imageInput === 'single' ? { image_url: urls[0] } : model.imageInput === 'multiple' ? { image_urls: urls } : {};
	const input = buildModelBody(model, read, options, imageFields);
	const fileStem = images[0]?.stem ?? promptSlug(typeof input.prompt === 'string' ? input.prompt : undefined);
	return { endpoint: path, input, ...(fileStem ? { fileStem } : {}), inputImages: images };
}

/** Version 1: one image field or a comma-separated list of fields or URLs (its parameters, unchanged). */
async function buildVersion1Input(
	context: IExecuteFunctions,
	itemIndex: number,
	path: ModelPath,
	model: Model,
	read: (field: ModelField) => unknown,
	options: IDataObject,
): Promise<ModelInput> {
	const images =
		model.imageInput === 'single'
			? { image_url: await imageUrlFor(context, itemIndex) }
			: model.imageInput === 'multiple'
				? { image_urls: await imageUrlsFor(context, itemIndex) }
				: {};
	const input = buildModelBody(model, read, options, images);
	const named = model.imageInput === 'none' ? undefined : inputImageStem(context, itemIndex, model.imageInput);
	const fileStem = named ?? promptSlug(typeof input.prompt === 'string' ? input.prompt : undefined);
	return { endpoint: path, input, ...(fileStem ? { fileStem } : {}), inputImages: [] };
}
