// Names of the output files. A workflow that writes the edited images to disk or mails them
// should get names a person recognises (`photo-kontext-1.jpg`), not a request id: the request
// id stays in the item's JSON.

const MAX_STEM_LENGTH = 60;
const MAX_PROMPT_WORDS = 6;
const OUTPUT_MARK = 'kontext';

function tidy(text: string, maxLength: number): string {
	const cut = text.slice(0, maxLength);
	return cut.replace(/-+$/, '');
}

/** A file name's stem, safe in any file system: no folders, no extension, no odd characters. */
export function fileStem(name: string | undefined): string | undefined {
	if (!name) return undefined;
	const base = name.split(/[\\/]/).pop() ?? '';
	const withoutExtension = base.includes('.', 1) ? base.slice(0, base.lastIndexOf('.')) : base;
	const safe = withoutExtension
		.normalize('NFC')
		.replace(/[^\p{L}\p{N}_-]+/gu, '-')
		.replace(/-{2,}/g, '-')
		.replace(/^-+|-+$/g, '');
	const stem = tidy(safe, MAX_STEM_LENGTH);
	return stem === '' ? undefined : stem;
}

/** The stem of the file an http(s) URL points at (`https://x/a/photo.png?s=1` -> `photo`). */
export function urlFileStem(url: string): string | undefined {
	if (!/^https?:\/\//i.test(url.trim())) return undefined;
	let path: string;
	try {
		path = new URL(url.trim()).pathname;
	} catch {
		return undefined;
	}
	const last = path.split('/').filter(Boolean).pop();
	if (!last) return undefined;
	let decoded = last;
	try {
		decoded = decodeURIComponent(last);
	} catch {
		// A malformed escape: keep the raw segment.
	}
	return fileStem(decoded);
}

/** A short lower-case slug of a prompt: its first words (`Add a red hat.` -> `add-a-red-hat`). */
export function promptSlug(prompt: string | undefined): string | undefined {
	if (!prompt) return undefined;
	const words = prompt.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
	const slug = tidy(words.slice(0, MAX_PROMPT_WORDS).join('-'), MAX_STEM_LENGTH);
	return slug === '' ? undefined : slug;
}

/** `<stem>-kontext-<n>.<extension>`, or `kontext-<n>.<extension>` when nothing names the input. */
export function outputFileName(stem: string | undefined, index: number, extension: string): string {
	const prefix = stem ? `${stem}-` : '';
	return `${prefix}${OUTPUT_MARK}-${index + 1}.${extension}`;
}
