import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { UserInputError } from '../../shared/errors';
import { promptSlug } from '../../shared/fileNames';
import { resultBinaries, resultJson } from '../../shared/imageOutput';
import type { ItemContext } from '../router';

/** The options of Edit and Get Result that say what becomes of the images. */
export const downloadOptions: INodeProperties[] = [
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

export function optionsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
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
	const download = options.downloadImages !== false;
	const base = String(options.binaryPropertyOutput ?? 'data').trim() || 'data';
	const json = resultJson(result, download ? base : undefined);
	if (!download) return { json, pairedItem: { item: item.itemIndex } };
	const stem = fileStem ?? promptSlug(result.data.prompt ?? undefined);
	await item.afterStarts();
	const binary = await resultBinaries(item.context, result, base, item.signal, stem);
	return { json, binary, pairedItem: { item: item.itemIndex } };
}
