import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { describeGot, type AnyModelPath, type RequestRef } from '@anyapi-kontext/core/portable';
import { UserInputError } from '../../shared/errors';
import { promptSlug } from '../../shared/fileNames';
import type { InputImage } from '../../shared/imageInput';
import { publicUrl, resultBinaries, resultImageBinary, resultJson } from '../../shared/imageOutput';
import { fromVersion2, nodeVersionOf, onlyVersion1, runsAsTool } from '../../shared/nodeVersion';
import type { ItemContext } from '../router';

/** The options of Edit and Get Result that say what becomes of the images (version 1: all images in one item). */
const downloadOptionsVersion1: INodeProperties[] = [
	{
		displayName: 'Download Images',
		name: 'downloadImages',
		type: 'boolean',
		default: true,
		description: 'Whether to download the images into binary fields; off returns only their URLs',
	},
	{
		displayName: 'Output Binary Field',
		name: 'binaryPropertyOutput',
		type: 'string',
		default: 'data',
		description:
			'The binary field the first image is put in. Further images go in the same name with _1, _2, ... appended. The files are named after the input image and their number, e.g. photo-kontext-1.jpg.',
	},
];

/** Version 2: one output item per image. */
const downloadOptionsVersion2: INodeProperties[] = [
	{ ...downloadOptionsVersion1[0]!, description: 'Whether to download each image into a binary field; off returns only its URL' },
	{
		...downloadOptionsVersion1[1]!,
		description: 'The binary field each output item holds its image in. The files are named after the input image and their number, e.g. photo-kontext-1.jpg.',
	},
];

/** An operation's Options collection (`options`, read with optionsOf), shown where `show` says (every version without it). */
export function optionsCollection(options: INodeProperties[], show?: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		...(show ? { displayOptions: { show } } : {}),
		options,
	};
}

/** An operation's Options collection, as version 1 had it and as version 2 has it (the download options differ). */
export function versionedOptions(version1: INodeProperties[], version2: INodeProperties[]): INodeProperties[] {
	return [optionsCollection(version1, onlyVersion1), optionsCollection(version2, fromVersion2)];
}

export const downloadOptions = { version1: downloadOptionsVersion1, version2: downloadOptionsVersion2 };

/** The Request ID of Get Status, Get Result and Cancel. */
export const requestIdProperty: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 764cabcf-b745-4b3e-ae38-1200304cf45b',
	description: 'The request ID a Submit returned (its requestId output field)',
};

/** Version 2's Model Path of Get Status, Get Result and Cancel: where a job By Path is. */
export const jobModelPathProperty: INodeProperties = {
	displayName: 'Model Path',
	name: 'modelPath',
	type: 'string',
	default: '',
	displayOptions: { show: fromVersion2 },
	placeholder: 'e.g. /fal-ai/flux-kontext/dev',
	description:
		"For a job submitted with Model By Path to a model the list does not have: that path, since the job is on its app. Leave empty for the listed models' jobs.",
};

/**
 * The job Get Status, Get Result and Cancel are about: its request ID, and (version 2) the Model
 * Path of a job By Path, which the core checks and follows on that path's app.
 */
export function jobRefOf(context: IExecuteFunctions, itemIndex: number): { requestId: string; ref: RequestRef; modelPath?: string } {
	const requestId = requestIdOf(context, itemIndex);
	const given = context.getNodeParameter('modelPath', itemIndex, '') ?? '';
	if (typeof given !== 'string') throw new UserInputError(`Item ${itemIndex + 1}: Model Path must be a text (got ${describeGot(given)})`);
	const modelPath = given.trim();
	if (!modelPath) return { requestId, ref: requestId };
	return { requestId, ref: { requestId, modelPath: modelPath as AnyModelPath }, modelPath };
}

export function optionsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

/** The binary field (Output Binary Field, `data` by default) the images are downloaded into; undefined when Download Images is off. */
function downloadFieldOf(options: IDataObject): string | undefined {
	if (options.downloadImages === false) return undefined;
	return String(options.binaryPropertyOutput ?? 'data').trim() || 'data';
}

export function requestIdOf(context: IExecuteFunctions, itemIndex: number): string {
	const id = String(context.getNodeParameter('requestId', itemIndex, '') ?? '').trim();
	if (!id) throw new UserInputError(`Item ${itemIndex + 1}: Request ID is empty`, 'Map the requestId a Submit returned.');
	return id;
}

/**
 * The output item of a finished job: its JSON, and its images as binary unless Download Images is
 * off, their files named after `fileStem` (the input image), else the job's prompt:
 * `photo-kontext-1.jpg`, `add-a-red-hat-kontext-1.jpg`.
 */
export async function withImages(
	item: ItemContext,
	result: Parameters<typeof resultJson>[0],
	options: IDataObject,
	fileStem?: string,
): Promise<INodeExecutionData> {
	const base = downloadFieldOf(options);
	const json = resultJson(result, base);
	if (base === undefined) return { json, pairedItem: { item: item.itemIndex } };
	const stem = fileStem ?? promptSlug(result.data.prompt ?? undefined);
	await item.afterStarts();
	const binary = await resultBinaries(item.context, result, base, item.signal, stem);
	return { json, binary, pairedItem: { item: item.itemIndex } };
}

/** What a version-2 output item says about the job that made its image. */
export interface JobFacts {
	/** The model's path (e.g. `/fal-ai/flux-pro/kontext`); unknown for Get Result. */
	model?: string;
	inputImages?: InputImage[];
	/** The input items the job came from (several when Combine sent them to one job). */
	items: number[];
	fileStem?: string;
}

/** The pairing of an output item with the input item(s) its job came from. */
export function pairedTo(items: number[]): IPairedItemData | IPairedItemData[] {
	return items.length === 1 ? { item: items[0]! } : items.map((item) => ({ item }));
}

/**
 * A finished job's output as the node's version and mode want it: version 1's one item per job
 * (named after `fileStem`), an AI Agent's short answer, or version 2's one item per image.
 */
export async function outputItems(
	item: ItemContext,
	result: Parameters<typeof resultJson>[0],
	options: IDataObject,
	facts: JobFacts,
	fileStem?: string,
): Promise<INodeExecutionData | INodeExecutionData[]> {
	if (nodeVersionOf(item.context) < 2) return await withImages(item, result, options, fileStem);
	if (runsAsTool(item.context)) return toolAnswer(result, facts);
	return await imageItems(item, result, options, facts);
}

/**
 * Version 2: one output item per image, its binary in one field (`data` unless Output Binary
 * Field says otherwise), its JSON the job's facts and the image's, paired with the input item(s).
 * A job that returned no image gives one item with `imageCount: 0`, so the item is not lost.
 */
export async function imageItems(item: ItemContext, result: Parameters<typeof resultJson>[0], options: IDataObject, facts: JobFacts): Promise<INodeExecutionData[]> {
	const field = downloadFieldOf(options);
	const data = result.data;
	const images = data.images ?? [];
	const nsfw = data.has_nsfw_concepts ?? [];
	const job: IDataObject = {
		requestId: result.requestId,
		model: facts.model ?? null,
		prompt: data.prompt ?? null,
		seed: data.seed ?? null,
		imageCount: images.length,
	};
	const inputs = facts.inputImages?.map((image) => image.source) ?? [];
	if (facts.inputImages) job.inputImages = inputs;
	const pairedItem = pairedTo(facts.items);
	if (images.length === 0) return [{ json: { ...job, image: null }, pairedItem }];
	if (field !== undefined) await item.afterStarts();
	const stem = facts.fileStem ?? promptSlug(data.prompt ?? undefined);
	const out: INodeExecutionData[] = [];
	for (const [index, image] of images.entries()) {
		const json: IDataObject = {
			...job,
			imageNumber: index + 1,
			url: publicUrl(image),
			width: image.width ?? null,
			height: image.height ?? null,
			contentType: image.content_type ?? null,
			hasNsfwConcept: nsfw[index] ?? null,
		};
		if (field === undefined) {
			out.push({ json, pairedItem });
			continue;
		}
		const binary = await resultImageBinary(item.context, result, index, item.signal, stem);
		out.push({ json: { ...json, binaryField: field, fileName: binary.fileName ?? null }, binary: { [field]: binary }, pairedItem });
	}
	return out;
}

/**
 * Version 2 run by an AI Agent: a short JSON answer the model can read and pass on, the result
 * images as URLs (binary data does not cross the agent-tool boundary, and a data URL would fill
 * the model's context, so it is left out).
 */
export function toolAnswer(result: Parameters<typeof resultJson>[0], facts: JobFacts): INodeExecutionData {
	const images = (result.data.images ?? []).map((image) => ({
		url: publicUrl(image),
		width: image.width ?? null,
		height: image.height ?? null,
	}));
	return {
		json: {
			status: 'COMPLETED',
			requestId: result.requestId,
			model: facts.model ?? null,
			prompt: result.data.prompt ?? null,
			imageUrls: images.map((image) => image.url).filter((url): url is string => url !== null),
			images,
		},
		pairedItem: pairedTo(facts.items),
	};
}
