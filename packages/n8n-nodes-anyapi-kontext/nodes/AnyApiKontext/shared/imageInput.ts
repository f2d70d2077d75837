import type { IExecuteFunctions } from 'n8n-workflow';
import { ACCEPTED_IMAGE_TYPES, bytesToDataUrl, detectImageType } from '@anyapi-kontext/core/portable';
import { UserInputError } from './errors';
import { fileStem, urlFileStem } from './fileNames';

/** Turns an image's bytes into the data URL AnyAPI takes, or says why it cannot. */
export function imageBytesToDataUrl(bytes: Uint8Array, what: string, declaredMime?: string): string {
	// Checked here first so a no-code user gets the declared type and a way out, not the core's words.
	if (!detectImageType(bytes)) {
		const declared = declaredMime ? ` (its type is ${declaredMime})` : '';
		throw new UserInputError(
			`${what} is not a supported image${declared}`,
			`AnyAPI takes ${ACCEPTED_IMAGE_TYPES} images. Convert the file first, e.g. with the Edit Image node.`,
		);
	}
	return bytesToDataUrl(bytes, what);
}

export function checkImageUrl(url: string, itemIndex: number): string {
	const trimmed = url.trim();
	if (trimmed === '') {
		throw new UserInputError(`Item ${itemIndex + 1}: Image URL is empty`, 'Give an http(s) URL of the image.');
	}
	if (/^data:image\//i.test(trimmed)) return trimmed;
	if (!/^https?:\/\/\S+$/i.test(trimmed)) {
		throw new UserInputError(
			`Item ${itemIndex + 1}: Image URL must be an http(s) URL (got "${trimmed.slice(0, 80)}")`,
			'Give a public http(s) URL, or switch Image Source to Binary File.',
		);
	}
	return trimmed;
}

/** The `image_url` for item `itemIndex`: its binary image as a data URL, or its URL. */
export async function imageUrlFor(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	const source = context.getNodeParameter('imageSource', itemIndex, 'binary') as string;
	if (source === 'url') {
		return checkImageUrl(context.getNodeParameter('imageUrl', itemIndex, '') as string, itemIndex);
	}
	const property = (context.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string).trim();
	const item = context.getInputData()[itemIndex];
	const binary = item?.binary?.[property];
	if (!binary) {
		const available = Object.keys(item?.binary ?? {});
		throw new UserInputError(
			`Item ${itemIndex + 1} has no binary field "${property}"`,
			available.length > 0
				? `Its binary fields are: ${available.join(', ')}. Set Input Binary Field to one of them.`
				: 'The item has no binary data: read the image first (Read Files from Disk, HTTP Request), or switch Image Source to URL.',
		);
	}
	const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, property);
	const label = `Item ${itemIndex + 1}: the file in binary field "${property}"${binary.fileName ? ` (${binary.fileName})` : ''}`;
	return imageBytesToDataUrl(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), label, binary.mimeType);
}

/**
 * The name of item `itemIndex`'s input image, without extension, for naming the output files:
 * the URL's file name or the binary's `fileName`; undefined when neither names it.
 */
export function inputImageStem(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const source = context.getNodeParameter('imageSource', itemIndex, 'binary') as string;
	if (source === 'url') return urlFileStem(String(context.getNodeParameter('imageUrl', itemIndex, '') ?? ''));
	const property = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	return fileStem(context.getInputData()[itemIndex]?.binary?.[property]?.fileName);
}
