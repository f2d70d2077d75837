import type { IExecuteFunctions } from 'n8n-workflow';
import { bytesToDataUrl, inspectImage } from '@anyapi-kontext/core/portable';
import { UserInputError } from './errors';
import { fileStem, urlFileStem } from './fileNames';
import { uprightJpeg } from './uprightJpeg';

/**
 * Turns an image's bytes into the data URL AnyAPI takes, or says why it cannot: the core's
 * header reader names the format (HEIC, TIFF, BMP, SVG, PDF...) and how to convert it, and
 * refuses an image above 20 MB or 20 MP. The node sends images as they are (README, "Large
 * photos"), so those limits apply here; the one exception is a JPEG rotated by its EXIF tag,
 * which is turned upright (and fitted to about 1 MP) with a bundled WebAssembly decoder
 * (uprightJpeg.ts), since a model reads the stored pixels.
 */
export function imageBytesToDataUrl(bytes: Uint8Array, what: string, declaredMime?: string): string {
	const { problem, header } = inspectImage(bytes);
	if (problem) {
		const declared = problem.what.startsWith('is not an image') && declaredMime ? `; its type is ${declaredMime}` : '';
		const fix =
			problem.kind === 'bytes' || problem.kind === 'pixels'
				? 'Downscale it before this node, e.g. with an Edit Image node (Resize, to about 1200 x 900): the model works at about 1 MP, so nothing is lost.'
				: `${problem.fix[0]!.toUpperCase()}${problem.fix.slice(1)}.`;
		throw new UserInputError(`${what} ${problem.what}${declared}`, fix);
	}
	if (header?.type.extension === 'jpg' && header.orientation !== 1) {
		// Stored on its side: a model reads the stored pixels, so turn it upright (and to ~1 MP).
		const upright = tryUpright(bytes, header.orientation);
		if (typeof upright === 'string') {
			throw new UserInputError(
				`${what} is a JPEG rotated by its EXIF tag that cannot be turned upright (${upright})`,
				'Turn it upright before this node, e.g. with an Edit Image node (Rotate).',
			);
		}
		return bytesToDataUrl(upright, what);
	}
	return bytesToDataUrl(bytes, what);
}

/** The upright JPEG, or why the decoder could not make it. */
function tryUpright(bytes: Uint8Array, orientation: number): Uint8Array | string {
	try {
		return uprightJpeg(bytes, orientation);
	} catch (error) {
		return (error as Error).message;
	}
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

/** One binary field of item `itemIndex` as a data URL, or an error naming the fields it has. */
export async function binaryImageUrl(context: IExecuteFunctions, itemIndex: number, property: string, setting: string): Promise<string> {
	const item = context.getInputData()[itemIndex];
	const binary = item?.binary?.[property];
	if (!binary) {
		const available = Object.keys(item?.binary ?? {});
		throw new UserInputError(
			`Item ${itemIndex + 1} has no binary field "${property}"`,
			available.length > 0
				? `Its binary fields are: ${available.join(', ')}. Set ${setting} to ${setting.endsWith('Fields') ? 'some' : 'one'} of them.`
				: 'The item has no binary data: read the image first (Read Files from Disk, HTTP Request), or switch Image Source to URL.',
		);
	}
	const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, property);
	const label = `Item ${itemIndex + 1}: the file in binary field "${property}"${binary.fileName ? ` (${binary.fileName})` : ''}`;
	return imageBytesToDataUrl(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), label, binary.mimeType);
}

/** The `image_url` for item `itemIndex`: its binary image as a data URL, or its URL. */
export async function imageUrlFor(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	const source = context.getNodeParameter('imageSource', itemIndex, 'binary') as string;
	if (source === 'url') {
		return checkImageUrl(context.getNodeParameter('imageUrl', itemIndex, '') as string, itemIndex);
	}
	const property = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	return await binaryImageUrl(context, itemIndex, property, 'Input Binary Field');
}

/** An array from an expression, or text split at `separator`, without empty entries. */
function listOf(value: unknown, separator: RegExp): string[] {
	const entries = Array.isArray(value) ? value.map(String) : String(value ?? '').split(separator);
	return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** Binary field names: separated by commas or lines. */
export const splitNames = (value: unknown) => listOf(value, /[,\n]/);

/** URLs: one per line, or separated by commas before the next http(s) or data URL (a data URL has a comma of its own). */
export const splitUrls = (value: unknown) => listOf(value, /\n|,(?=\s*(?:https?:|data:))/i);

/** The `image_urls` for item `itemIndex`: several binary fields as data URLs, or several URLs. */
export async function imageUrlsFor(context: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	const source = context.getNodeParameter('imageSource', itemIndex, 'binary') as string;
	if (source === 'url') {
		const urls = splitUrls(context.getNodeParameter('imageUrls', itemIndex, ''));
		if (urls.length === 0) {
			throw new UserInputError(`Item ${itemIndex + 1}: Image URLs is empty`, 'Give the http(s) URLs of the images, one per line or separated by commas.');
		}
		return urls.map((url) => checkImageUrl(url, itemIndex));
	}
	const properties = splitNames(context.getNodeParameter('binaryPropertyNames', itemIndex, 'data'));
	if (properties.length === 0) {
		throw new UserInputError(
			`Item ${itemIndex + 1}: Input Binary Fields is empty`,
			'Give the names of the binary fields holding the images, separated by commas, e.g. data, data_1.',
		);
	}
	const urls: string[] = [];
	for (const property of properties) urls.push(await binaryImageUrl(context, itemIndex, property, 'Input Binary Fields'));
	return urls;
}

/**
 * The name of item `itemIndex`'s (first) input image without its extension, to name the output
 * files after: the URL's file name or the binary's `fileName`; undefined when neither names it.
 */
export function inputImageStem(context: IExecuteFunctions, itemIndex: number, imageInput: 'single' | 'multiple'): string | undefined {
	const source = context.getNodeParameter('imageSource', itemIndex, 'binary') as string;
	const single = imageInput === 'single';
	if (source === 'url') {
		const urls = single ? [String(context.getNodeParameter('imageUrl', itemIndex, '') ?? '')] : splitUrls(context.getNodeParameter('imageUrls', itemIndex, ''));
		return urls[0] === undefined ? undefined : urlFileStem(urls[0]);
	}
	const properties = single
		? [String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim()]
		: splitNames(context.getNodeParameter('binaryPropertyNames', itemIndex, 'data'));
	const first = properties[0];
	return first === undefined ? undefined : fileStem(context.getInputData()[itemIndex]?.binary?.[first]?.fileName);
}
