import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { describeGot, type AnyModelPath } from '@anyapi-kontext/core/portable';
import {
	DEFAULT_MODEL,
	MODELS,
	MULTIPLE_IMAGE_MODELS,
	SINGLE_IMAGE_MODELS,
	TEXT_ONLY_MODELS,
	modelFieldProperties,
	modelProperties,
	type Model,
	type ModelField,
	type ModelPath,
} from '../../generated/models';
import { UserInputError } from '../../shared/errors';
import { promptSlug } from '../../shared/fileNames';
import { version1ImagesFor, type InputImage } from '../../shared/imageInput';
import { checkImageCount, imageListFor, toolImageUrlsFor } from '../../shared/imageList';
import { modelOf, modelValueOf } from '../../shared/modelFields';
import { fromVersion2, nodeVersionOf, onlyVersion1, runsAsTool } from '../../shared/nodeVersion';
import { optionsOf } from './common';

const IMAGE_MODELS = [...SINGLE_IMAGE_MODELS, ...MULTIPLE_IMAGE_MODELS];
const LISTED_MODELS = Object.keys(MODELS) as ModelPath[];

/**
 * Version 2's Model: one of the generated models (From List), or any fal-queue path AnyAPI
 * relays (By Path). n8n reads a locator's `.value` in displayOptions (1.123 and 2.41 alike),
 * so each generated field still shows for its listed models by path; a path the node does not
 * list shows the By Path fields below instead (`hide: { model: LISTED_MODELS }`).
 */
const modelLocatorProperty: INodeProperties = {
	displayName: 'Model',
	name: 'model',
	type: 'resourceLocator',
	default: { mode: 'list', value: DEFAULT_MODEL },
	required: true,
	displayOptions: { show: fromVersion2 },
	description: 'The model AnyAPI runs: one from the list (the fields below follow it), or any fal-queue model path AnyAPI relays',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchModels', searchable: true },
		},
		{
			displayName: 'By Path',
			name: 'path',
			type: 'string',
			placeholder: 'e.g. /fal-ai/flux-kontext/dev',
			hint: "The model's path on AnyAPI, /owner/app or /owner/app/sub...",
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^(/[A-Za-z0-9][A-Za-z0-9._-]*){2,}$',
						errorMessage: 'A model path: /owner/app or /owner/app/sub..., e.g. /fal-ai/flux-kontext/dev',
					},
				},
			],
		},
	],
};

/** Shown for a Model By Path that the node does not list. */
const unlistedModel = { show: fromVersion2, hide: { model: LISTED_MODELS } };

/** Version 2's fields for a model given By Path: its input as JSON, with Prompt and Images filled in from the node's own. */
const byPathProperties: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 3 },
		displayOptions: unlistedModel,
		default: '',
		placeholder: 'e.g. Put a donut next to the flour.',
		description: "Sent as the model's prompt field; leave empty for a model that takes none (or set prompt in Input (JSON))",
	},
	{
		displayName: 'Send Images As',
		name: 'imageField',
		type: 'options',
		displayOptions: unlistedModel,
		options: [
			{ name: 'One Image (Image URL)', value: 'image_url', description: 'The one entry of Images, sent as image_url' },
			{ name: 'A List (Image URLs)', value: 'image_urls', description: 'Every entry of Images, in order, sent as image_urls' },
		],
		default: 'image_url',
		description: "The model's image field, as its page on AnyAPI names it. With no entry under Images, no image is sent.",
	},
	{
		displayName: 'Input (JSON)',
		name: 'pathInput',
		type: 'json',
		displayOptions: unlistedModel,
		default: '{}',
		description:
			"The model's other input fields as a JSON object, as its page on AnyAPI lists them, e.g. {\"num_images\": 2}. Sent as given: the service checks them and its answer names a wrong one.",
	},
];

/** The image formats AnyAPI's models read, as the image fields name them. */
const IMAGE_FORMATS = 'jpg, png, webp, gif or avif';

/**
 * One image from a binary field of the incoming item: version 1's Input Binary Field (required,
 * for a single-image model) and each binary entry of version 2's Images list. One definition, so
 * a wording fix reaches both; a saved workflow depends only on the name, type and default.
 */
function inputBinaryFieldProperty(displayOptions: IDisplayOptions, required?: true): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		displayOptions,
		default: 'data',
		...(required ? { required } : {}),
		hint: `The name of the input binary field containing the image (${IMAGE_FORMATS})`,
	};
}

/** One image by URL: version 1's Image URL (`imageUrl`, required) and each URL entry of version 2's Images list (`url`). */
function imageUrlProperty(name: 'imageUrl' | 'url', displayOptions: IDisplayOptions, required?: true): INodeProperties {
	return {
		displayName: 'Image URL',
		name,
		type: 'string',
		displayOptions,
		default: '',
		...(required ? { required } : {}),
		placeholder: 'e.g. https://example.com/photo.png',
		description: `A public http(s) URL of a ${IMAGE_FORMATS} image`,
	};
}

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
			// Image models, and models By Path (hide: the text-only ones).
			displayOptions: { show: { ...fromVersion2, '@tool': [false] }, hide: { model: TEXT_ONLY_MODELS } },
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
						inputBinaryFieldProperty({ show: { source: ['binary'] } }),
						imageUrlProperty('url', { show: { source: ['url'] } }),
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
			displayOptions: { show: { ...fromVersion2, '@tool': [true] }, hide: { model: TEXT_ONLY_MODELS } },
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
	// Version 1's Model stays the generated options (versions/*.json), so saved version-1 workflows
	// read as before; version 2 picks its model with a locator.
	...beforeVersion2(modelProperties),
	modelLocatorProperty,
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
	inputBinaryFieldProperty({ show: { ...onlyVersion1, model: SINGLE_IMAGE_MODELS, imageSource: ['binary'] } }, true),
	imageUrlProperty('imageUrl', { show: { ...onlyVersion1, model: SINGLE_IMAGE_MODELS, imageSource: ['url'] } }, true),
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
	...byPathProperties,
];

/** The model a node's Model parameter picked for item `itemIndex`: a listed one, or (version 2) any path By Path. */
export type ChosenModel = { path: ModelPath; model: Model } | { path: AnyModelPath; model?: undefined };

export function chosenModel(context: IExecuteFunctions, itemIndex: number): ChosenModel {
	const version = Number(context.getNode().typeVersion);
	if (nodeVersionOf(context) < 2) {
		const value = context.getNodeParameter('model', itemIndex, '');
		return offered(modelOf(value, version), value, itemIndex, version);
	}
	const { value, literal } = modelValueOf(context, itemIndex);
	// No Model saved: the default, as in version 1.
	if (value === undefined) return offered(modelOf(undefined, version), value, itemIndex, version);
	if (typeof value !== 'string') {
		throw new UserInputError(`Item ${itemIndex + 1}: Model must be a model from the list or a model path (got ${describeGot(value)})`, 'Pick a model from the list, or give its path By Path, e.g. /fal-ai/flux-kontext/dev.');
	}
	const path = value.trim();
	const listed = literal && path !== '' ? modelOf(path, version) : undefined;
	if (listed) return offered(listed, value, itemIndex, version);
	// The core checks the path's form before any request (InputError naming `path`) and sends it as given.
	return { path: path as AnyModelPath };
}

/** A listed model the node's version knows and AnyAPI still offers; else an error that names it. */
function offered(chosen: { path: ModelPath; model: Model } | undefined, value: unknown, itemIndex: number, version: number): { path: ModelPath; model: Model } {
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
 * The generated Model properties (one per set of versions whose model list reads the same), kept
 * for the versions before 2 only.
 */
function beforeVersion2(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const show = property.displayOptions?.show ?? {};
		const gate = show['@version'];
		if (!gate) return [{ ...property, displayOptions: { ...property.displayOptions, show: { ...show, ...onlyVersion1 } } }];
		const kept = gate.filter((version) => typeof version === 'number' && version < 2);
		return kept.length > 0 ? [{ ...property, displayOptions: { ...property.displayOptions, show: { ...show, '@version': kept } } }] : [];
	});
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
	// Not chosenModel: this runs before the items, where a bad Model must not throw (each item says so).
	const chosen = modelOf(modelValueOf(context, 0).value, Number(context.getNode().typeVersion));
	if (chosen?.model.imageInput !== 'multiple' || context.getNodeParameter('combineItems', 0, false) !== true) return undefined;
	return Array.from({ length: itemCount }, (_, index) => index);
}

/** What a job is sent: the model's path and body, and what names and describes its output. */
export interface ModelInput {
	endpoint: ModelPath | AnyModelPath;
	/** Version 2's Model By Path, a path the node does not list: errors name it. */
	byPath: boolean;
	input: Record<string, unknown>;
	/** The stem to name the output files after: the (first) input image's name, else the prompt's words. */
	fileStem?: string;
	/** The input images, for version 2's output JSON (never their bytes). */
	inputImages: InputImage[];
}

/**
 * The model and submit body of item `itemIndex` (version 2 with Combine: of the items in
 * `combinedItems`, whose images go to one job in item order; the prompt and fields are the first
 * item's), its images read from binary fields or URLs.
 */
export async function buildModelInput(context: IExecuteFunctions, itemIndex: number, combinedItems?: number[]): Promise<ModelInput> {
	const chosen = chosenModel(context, itemIndex);
	if (!chosen.model) return await buildPathInput(context, itemIndex, chosen.path);
	const { path, model } = chosen;
	const options = optionsOf(context, itemIndex);
	const read = (field: ModelField) => context.getNodeParameter(field.parameter, itemIndex, undefined);
	const images = model.imageInput === 'none' ? [] : await modelImagesFor(context, itemIndex, model, model.imageInput, combinedItems);
	const urls = images.map((image) => image.url);
	const imageFields = model.imageInput === 'single' ? { image_url: urls[0] } : model.imageInput === 'multiple' ? { image_urls: urls } : {};
	const input = buildModelBody(model, read, options, imageFields);
	const fileStem = images[0]?.stem ?? promptSlug(typeof input.prompt === 'string' ? input.prompt : undefined);
	return { endpoint: path, byPath: false, input, ...(fileStem ? { fileStem } : {}), inputImages: images };
}

/**
 * The images of a listed model that takes some: version 1's image parameters (unchanged), or
 * version 2's Images list (of every combined item, in item order) or, as a tool, its Image URLs.
 */
async function modelImagesFor(
	context: IExecuteFunctions,
	itemIndex: number,
	model: Model,
	imageInput: 'single' | 'multiple',
	combinedItems?: number[],
): Promise<InputImage[]> {
	if (nodeVersionOf(context) < 2) return await version1ImagesFor(context, itemIndex, imageInput);
	const images: InputImage[] = [];
	if (runsAsTool(context)) images.push(...toolImageUrlsFor(context, itemIndex, imageInput));
	else for (const index of combinedItems ?? [itemIndex]) images.push(...(await imageListFor(context, index)));
	const where = combinedItems && combinedItems.length > 1 ? `Items 1 to ${combinedItems.length} combined` : `Item ${itemIndex + 1}`;
	checkImageCount(images, imageInput, model.displayName, where);
	return images;
}

/**
 * Version 2's Model By Path, a path the node does not list: Input (JSON) as the body, the Prompt
 * and the Images (or, as a tool, the Image URLs) filled in from the node's own fields. A field
 * set in both places is an error rather than a silent choice.
 */
async function buildPathInput(context: IExecuteFunctions, itemIndex: number, path: AnyModelPath): Promise<ModelInput> {
	const where = `Item ${itemIndex + 1} (model ${path})`;
	const body = pathInputOf(context, itemIndex, where);
	const promptValue = context.getNodeParameter('prompt', itemIndex, '') ?? '';
	if (typeof promptValue !== 'string') throw new UserInputError(`${where}: Prompt must be a text (got ${describeGot(promptValue)})`);
	const prompt = promptValue.trim();
	if (prompt !== '') {
		if (Object.hasOwn(body, 'prompt')) throw new UserInputError(`${where}: prompt is set in both Prompt and Input (JSON)`, 'Keep one of them.');
		body.prompt = prompt;
	}
	const images = runsAsTool(context)
		? splitToolUrls(context, itemIndex)
		: await imageListFor(context, itemIndex);
	if (images.length > 0) {
		const field = context.getNodeParameter('imageField', itemIndex, 'image_url') === 'image_urls' ? 'image_urls' : 'image_url';
		if (Object.hasOwn(body, field)) throw new UserInputError(`${where}: ${field} is set in both Images and Input (JSON)`, 'Keep one of them.');
		if (field === 'image_url' && images.length > 1) {
			throw new UserInputError(`${where}: Send Images As is image_url, which takes one image (got ${images.length})`, 'Keep one entry under Images, or send them as image_urls.');
		}
		body[field] = field === 'image_url' ? images[0]!.url : images.map((image) => image.url);
	}
	const fileStem = images[0]?.stem ?? promptSlug(prompt || undefined);
	return { endpoint: path, byPath: true, input: body, ...(fileStem ? { fileStem } : {}), inputImages: images };
}

/** Input (JSON): a JSON object (n8n gives a text, or an object when mapped by expression). */
function pathInputOf(context: IExecuteFunctions, itemIndex: number, where: string): Record<string, unknown> {
	const raw = context.getNodeParameter('pathInput', itemIndex, '{}');
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = raw.trim() === '' ? {} : (JSON.parse(raw) as unknown);
		} catch {
			value = undefined;
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		const got = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 80)) : describeGot(raw);
		throw new UserInputError(`${where}: Input (JSON) must be a JSON object of the model's fields (got ${got})`, 'e.g. {"num_images": 2}');
	}
	return { ...(value as Record<string, unknown>) };
}

/** As a tool, a model By Path gets the Image URLs the AI model gave, if any (a model may take none). */
function splitToolUrls(context: IExecuteFunctions, itemIndex: number): InputImage[] {
	const given = context.getNodeParameter('toolImageUrls', itemIndex, '');
	return given === '' || given === undefined || given === null ? [] : toolImageUrlsFor(context, itemIndex, 'multiple');
}
