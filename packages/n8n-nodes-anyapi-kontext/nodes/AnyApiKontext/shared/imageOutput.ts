import type { IBinaryData, IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { decodeDataUrl, describeReceivedImage } from '@anyapi-kontext/core/portable';
import type { KontextResult, ReceivedImage } from '@anyapi-kontext/core/portable';
import { lowerCaseHeaders } from './transport';
import { UserInputError } from './errors';
import { outputFileName } from './fileNames';

/**
 * Downloads one result image. The images live on fal's file host, not on AnyAPI: they are
 * fetched without the AnyAPI credential, so the key is never sent to another host.
 */
export async function downloadImage(
	context: IExecuteFunctions,
	url: string,
	signal?: AbortSignal,
): Promise<ReceivedImage> {
	if (url.startsWith('data:')) {
		const decoded = decodeDataUrl(url);
		if (!decoded) throw new UserInputError('The result holds an image data URI that cannot be read');
		return decoded;
	}
	const response = (await context.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(signal ? { abortSignal: signal } : {}),
	})) as { body: unknown; headers?: Record<string, unknown>; statusCode?: number };
	const status = Number(response.statusCode ?? 0);
	if (status < 200 || status >= 300) {
		throw new UserInputError(
			`Downloading the edited image failed (HTTP ${status})`,
			`The image at ${url} could not be fetched; results expire, so download them soon after the job ends.`,
		);
	}
	const raw = response.body;
	const bytes =
		raw instanceof ArrayBuffer
			? new Uint8Array(raw)
			: ArrayBuffer.isView(raw)
				? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
				: new TextEncoder().encode(String(raw));
	const headers = lowerCaseHeaders(response.headers);
	return describeReceivedImage(bytes, headers['content-type']);
}

export function binaryFieldName(base: string, index: number): string {
	return index === 0 ? base : `${base}_${index}`;
}

/** An image's URL for the output's JSON: a data URL (the image itself, inline) is left out. */
export function publicUrl(image: { url: string }): string | null {
	return image.url.startsWith('data:') ? null : image.url;
}

/** The JSON of an output item: what a workflow needs to know about the job and its images. */
export function resultJson(result: KontextResult, binaryBase?: string): IDataObject {
	const data = result.data;
	const images = (data.images ?? []).map((image, index) => {
		const entry: IDataObject = {
			width: image.width ?? null,
			height: image.height ?? null,
			contentType: image.content_type ?? null,
			url: publicUrl(image),
		};
		if (binaryBase) entry.binaryField = binaryFieldName(binaryBase, index);
		return entry;
	});
	return {
		requestId: result.requestId,
		seed: data.seed ?? null,
		prompt: data.prompt ?? null,
		hasNsfwConcepts: data.has_nsfw_concepts ?? [],
		imageCount: images.length,
		images,
	};
}

/** Downloads image `index` of a result as n8n binary data, its file named after `fileStem` and its number. */
export async function resultImageBinary(
	context: IExecuteFunctions,
	result: KontextResult,
	index: number,
	signal?: AbortSignal,
	fileStem?: string,
): Promise<IBinaryData> {
	const image = await downloadImage(context, (result.data.images ?? [])[index]!.url, signal);
	const fileName = outputFileName(fileStem, index, image.extension);
	return await context.helpers.prepareBinaryData(
		Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength),
		fileName,
		image.contentType,
	);
}

/**
 * Downloads every image of a result into binary fields named after `binaryBase`, its files
 * named after `fileStem` (the input's name) and the image's number: `photo-kontext-1.jpg`.
 */
export async function resultBinaries(
	context: IExecuteFunctions,
	result: KontextResult,
	binaryBase: string,
	signal?: AbortSignal,
	fileStem?: string,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	const count = (result.data.images ?? []).length;
	for (let index = 0; index < count; index++) {
		binary[binaryFieldName(binaryBase, index)] = await resultImageBinary(context, result, index, signal, fileStem);
	}
	return binary;
}
