// Version 2's image inputs: the Images list ("Add Image": each entry a binary field or a URL)
// and, when the node runs as an AI Agent's tool, image URLs only (binary data does not cross the
// agent-tool boundary).
import type { IExecuteFunctions } from 'n8n-workflow';
import { UserInputError } from './errors';
import { binaryImage, splitUrls, urlImage, type InputImage } from './imageInput';

interface ImageEntry {
	source?: unknown;
	binaryPropertyName?: unknown;
	url?: unknown;
}

/** The entries of item `itemIndex`'s Images list, in the list's order. */
function imageEntries(context: IExecuteFunctions, itemIndex: number): ImageEntry[] {
	const list = context.getNodeParameter('images', itemIndex, {}) as { image?: unknown } | undefined;
	const entries = list && typeof list === 'object' ? list.image : undefined;
	return Array.isArray(entries) ? entries.filter((entry): entry is ImageEntry => entry !== null && typeof entry === 'object') : [];
}

/** The images of item `itemIndex`'s Images list, read from its binary fields or checked as URLs. */
export async function imageListFor(context: IExecuteFunctions, itemIndex: number): Promise<InputImage[]> {
	const entries = imageEntries(context, itemIndex);
	const images: InputImage[] = [];
	for (const [position, entry] of entries.entries()) {
		if (entry.source === 'url') {
			images.push(urlImage(String(entry.url ?? ''), itemIndex));
			continue;
		}
		const field = String(entry.binaryPropertyName ?? 'data').trim() || 'data';
		images.push(await binaryImage(context, itemIndex, field, `the Input Binary Field of image ${position + 1} in Images`));
	}
	return images;
}

/** The Image URLs a tool call gave (one per line or separated by commas; an array too). */
export function toolImageUrlsFor(context: IExecuteFunctions, itemIndex: number, imageInput: 'single' | 'multiple'): InputImage[] {
	const urls = splitUrls(context.getNodeParameter('toolImageUrls', itemIndex, ''));
	if (urls.length === 0) {
		throw new UserInputError(
			`Image URLs is empty: this model edits ${imageInput === 'single' ? 'one image' : 'several images'}`,
			'Give the public http(s) URL of each image to edit, separated by commas.',
		);
	}
	return urls.map((url) => urlImage(url, itemIndex));
}

/** The images a model gets, as many as it takes: one for a single-image model, at least one for a multi-image model. */
export function checkImageCount(images: InputImage[], imageInput: 'single' | 'multiple', modelName: string, where: string): void {
	if (images.length === 0) {
		throw new UserInputError(`${where}: no image given`, `${modelName} edits ${imageInput === 'single' ? 'one image' : 'several images'}: add ${imageInput === 'single' ? 'it' : 'them'} under Images.`);
	}
	if (imageInput === 'single' && images.length > 1) {
		throw new UserInputError(
			`${where}: ${modelName} takes one image (got ${images.length})`,
			'Keep one entry under Images, or pick a model that combines several images ([Max] Multi).',
		);
	}
}
