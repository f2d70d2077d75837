import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
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

/** One input image: what the model gets, and what the output's JSON says it came from. */
export interface InputImage {
	/** A data URL (from a binary field) or the http(s) URL. */
	url: string;
	/** `{ item, binaryField, fileName }` or `{ item, url }`: never the image's bytes. */
	source: IDataObject;
	/** The name to call the output files after (the file's or the URL's name). */
	stem?: string;
}

const stemOf = (stem: string | undefined) => (stem ? { stem } : {});

/**
 * The image in binary field `field` of item `itemIndex`, as a data URL named after its file, or
 * an error naming the fields the item has and the setting (`setting`) that picks one.
 */
export async function binaryImage(context: IExecuteFunctions, itemIndex: number, field: string, setting: string): Promise<InputImage> {
	const item = context.getInputData()[itemIndex];
	const binary = item?.binary?.[field];
	if (!binary) {
		const available = Object.keys(item?.binary ?? {});
		throw new UserInputError(
			`Item ${itemIndex + 1} has no binary field "${field}"`,
			available.length > 0
				? `Its binary fields are: ${available.join(', ')}. Set ${setting} to ${setting.endsWith('Fields') ? 'some' : 'one'} of them.`
				: 'The item has no binary data: read the image first (Read Files from Disk, HTTP Request), or switch Image Source to URL.',
		);
	}
	const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, field);
	const label = `Item ${itemIndex + 1}: the file in binary field "${field}"${binary.fileName ? ` (${binary.fileName})` : ''}`;
	const url = imageBytesToDataUrl(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), label, binary.mimeType);
	return { url, source: { item: itemIndex, binaryField: field, fileName: binary.fileName ?? null }, ...stemOf(fileStem(binary.fileName)) };
}

/** The image at `url` (checked: an http(s) or image data URL), named after the URL's file; a data URL is not repeated in `source`. */
export function urlImage(url: string, itemIndex: number): InputImage {
	const checked = checkImageUrl(url, itemIndex);
	return { url: checked, source: { item: itemIndex, url: checked.startsWith('data:') ? 'data URL' : checked }, ...stemOf(urlFileStem(checked)) };
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

/**
 * Version 1's images of item `itemIndex`, read from its parameters as 0.1.0 released them: Image
 * Source, then Input Binary Field or Image URL for a model that takes one image, Input Binary
 * Fields or Image URLs (lists) for one that takes several.
 */
export async function version1ImagesFor(context: IExecuteFunctions, itemIndex: number, imageInput: 'single' | 'multiple'): Promise<InputImage[]> {
	const single = imageInput === 'single';
	const source = context.getNodeParameter('imageSource', itemIndex, 'binary') as string;
	if (source === 'url') {
		if (single) return [urlImage(context.getNodeParameter('imageUrl', itemIndex, '') as string, itemIndex)];
		const urls = splitUrls(context.getNodeParameter('imageUrls', itemIndex, ''));
		if (urls.length === 0) {
			throw new UserInputError(`Item ${itemIndex + 1}: Image URLs is empty`, 'Give the http(s) URLs of the images, one per line or separated by commas.');
		}
		return urls.map((url) => urlImage(url, itemIndex));
	}
	if (single) {
		const field = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
		return [await binaryImage(context, itemIndex, field, 'Input Binary Field')];
	}
	const fields = splitNames(context.getNodeParameter('binaryPropertyNames', itemIndex, 'data'));
	if (fields.length === 0) {
		throw new UserInputError(
			`Item ${itemIndex + 1}: Input Binary Fields is empty`,
			'Give the names of the binary fields holding the images, separated by commas, e.g. data, data_1.',
		);
	}
	const images: InputImage[] = [];
	for (const field of fields) images.push(await binaryImage(context, itemIndex, field, 'Input Binary Fields'));
	return images;
}
