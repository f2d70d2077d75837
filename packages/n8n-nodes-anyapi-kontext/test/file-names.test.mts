// Output file names: named after the input image and the image's number, never a request id.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStem, outputFileName, promptSlug, urlFileStem } from '../nodes/AnyApiKontext/shared/fileNames';
import { version1ImagesFor } from '../nodes/AnyApiKontext/shared/imageInput';
import { binaryItem, fakeContext } from './fake-context.mjs';

const PNG = fs.readFileSync(path.join(import.meta.dirname, '..', 'e2e', 'fixtures', 'input.png'));
const contextWith = (parameters: Record<string, unknown>, fileNames: string[] = []) =>
	fakeContext({
		items: [
			{
				json: {},
				binary: Object.fromEntries(
					fileNames.map((name, i) => [i === 0 ? 'data' : `data_${i}`, binaryItem(PNG, 'image/png', name).binary!.data!]),
				),
			},
		],
		parameters,
		credentials: { apiKey: 'k', baseUrl: 'http://127.0.0.1:1' },
	});

describe('output file names', () => {
	it('are <stem>-kontext-<n>.<extension>, counting from 1', () => {
		expect(outputFileName('photo', 0, 'jpg')).toBe('photo-kontext-1.jpg');
		expect(outputFileName('photo', 3, 'png')).toBe('photo-kontext-4.png');
	});

	it('are kontext-<n>.<extension> when nothing names the input', () => {
		expect(outputFileName(undefined, 0, 'webp')).toBe('kontext-1.webp');
	});

	it("take a binary's file name without folders or extension, in characters any file system takes", () => {
		expect(fileStem('photo.jpg')).toBe('photo');
		expect(fileStem('holiday.photo.PNG')).toBe('holiday-photo');
		expect(fileStem('C:\\Users\\me\\my photo (1).png')).toBe('my-photo-1');
		expect(fileStem('/tmp/x/Été à Paris.webp')).toBe('Été-à-Paris');
		expect(fileStem('.hidden')).toBe('hidden');
		expect(fileStem('...')).toBeUndefined();
		expect(fileStem('')).toBeUndefined();
		expect(fileStem(undefined)).toBeUndefined();
		expect(fileStem(`${'a'.repeat(100)}.png`)).toBe('a'.repeat(60));
	});

	it("take a URL's file name, ignoring its query and decoding escapes", () => {
		expect(urlFileStem('https://v3.fal.media/files/rabbit/rmgBxhwGYb2d3pl3x9sKf_output.png')).toBe('rmgBxhwGYb2d3pl3x9sKf_output');
		expect(urlFileStem('https://example.com/a/b/photo.jpg?size=large#top')).toBe('photo');
		expect(urlFileStem('https://example.com/images/my%20cat.png')).toBe('my-cat');
		expect(urlFileStem('https://example.com/bad%E0%A4%A.png')).toBe('bad-E0-A4-A');
		expect(urlFileStem('https://example.com/')).toBeUndefined();
		expect(urlFileStem('data:image/png;base64,iVBORw0KGgo=')).toBeUndefined();
		expect(urlFileStem('not a url')).toBeUndefined();
	});

	it('fall back to the first words of the prompt, lower case', () => {
		expect(promptSlug('Add a red hat.')).toBe('add-a-red-hat');
		expect(promptSlug('Put a donut next to the flour, then make it night time')).toBe('put-a-donut-next-to-the');
		expect(promptSlug('  !!! ')).toBeUndefined();
		expect(promptSlug(undefined)).toBeUndefined();
	});

	it("of a model taking one image or several: the (first) input image's name (version 1's parameters)", async () => {
		const stem = async (parameters: Record<string, unknown>, fileNames: string[], imageInput: 'single' | 'multiple') =>
			(await version1ImagesFor(contextWith(parameters, fileNames), 0, imageInput))[0]?.stem;
		expect(await stem({ imageSource: 'url', imageUrl: 'https://x.test/p/cat.webp' }, [], 'single')).toBe('cat');
		expect(await stem({ imageSource: 'binary', binaryPropertyName: 'data' }, ['dog.png'], 'single')).toBe('dog');
		expect(await stem({ imageSource: 'binary', binaryPropertyName: 'data' }, [''], 'single')).toBeUndefined();
		expect(await stem({ imageSource: 'url', imageUrls: 'https://x.test/a.png, https://x.test/b.png' }, [], 'multiple')).toBe('a');
		expect(await stem({ imageSource: 'binary', binaryPropertyNames: 'data_1, data' }, ['first.png', 'second.png'], 'multiple')).toBe('second');
	});
});
