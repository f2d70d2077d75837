// Turns a JPEG stored on its side (EXIF orientation 2-8) upright, at the model's working size,
// inside the node: n8n community nodes bundle everything and may not ship native code, so
// `sharp` (what the core and the CLI use) is out. libjpeg-turbo compiled to WebAssembly
// (@cwasm/jpeg-turbo's build, inlined by scripts/build.mjs) decodes in the DCT domain at 1/2,
// 1/4 or 1/8 scale, which costs a fraction of a whole decode (README, "Large photos": a 12 MP
// photo at 1/2 scale in 0.13 s and +28 MB, against jpeg-js's 1.1-1.3 s and +260 MB whole);
// jpeg-js's encoder writes the small result. Only rotated JPEGs come here.
import jpegTurbo from '@cwasm/jpeg-turbo/jpeg-turbo.wasm';
import encode from 'jpeg-js/lib/encoder.js';

/** The most pixels sent, as the core's fitting (core: node/fit-image.ts, WORKING_PIXELS). */
const WORKING_PIXELS = 1_100_000;
const QUALITY = 90;
const TJPF_RGBA = 7;

interface TurboJpeg {
	memory: WebAssembly.Memory;
	malloc(size: number): number;
	free(pointer: number): void;
	tjInitDecompress(): number;
	tjDecompressHeader3(handle: number, jpeg: number, size: number, width: number, height: number, subsampling: number, colorspace: number): number;
	tjDecompress2(handle: number, jpeg: number, size: number, out: number, width: number, pitch: number, height: number, format: number, flags: number): number;
	tjDestroy(handle: number): number;
}

let turbo: TurboJpeg | undefined;

function loadTurbo(): TurboJpeg {
	if (turbo) return turbo;
	const unsupported = () => {
		throw new Error('not available to the JPEG decoder');
	};
	const instance = new WebAssembly.Instance(new WebAssembly.Module(jpegTurbo), {
		env: { setjmp: () => 0, longjmp: unsupported },
		wasi_snapshot_preview1: { environ_sizes_get: () => 0, environ_get: unsupported, proc_exit: unsupported, fd_close: unsupported, fd_seek: unsupported, fd_write: unsupported },
	});
	turbo = instance.exports as unknown as TurboJpeg;
	return turbo;
}

/**
 * Decodes `jpeg` at the smallest of libjpeg's scales (1/1, 1/2, 1/4, 1/8) that still holds
 * `minPixels`, as RGBA. The wasm memory is freed before returning (only the pixels stay).
 */
function decodeScaled(jpeg: Uint8Array, minPixels: number): { data: Uint8Array; width: number; height: number } {
	const lib = loadTurbo();
	const input = lib.malloc(jpeg.length);
	const meta = lib.malloc(16);
	const handle = lib.tjInitDecompress();
	let out = 0;
	try {
		new Uint8Array(lib.memory.buffer, input, jpeg.length).set(jpeg);
		if (handle === 0 || lib.tjDecompressHeader3(handle, input, jpeg.length, meta, meta + 4, meta + 8, meta + 12) !== 0) throw new Error('its JPEG header cannot be read');
		const [fullWidth, fullHeight] = new Uint32Array(lib.memory.buffer, meta, 2) as unknown as [number, number];
		let scale = 8;
		while (scale > 1 && Math.ceil(fullWidth / scale) * Math.ceil(fullHeight / scale) < minPixels) scale /= 2;
		const width = Math.ceil(fullWidth / scale);
		const height = Math.ceil(fullHeight / scale);
		out = lib.malloc(width * height * 4);
		if (out === 0) throw new Error('it is too large to decode here');
		if (lib.tjDecompress2(handle, input, jpeg.length, out, width, width * 4, height, TJPF_RGBA, 0) !== 0) throw new Error('its JPEG data is damaged');
		return { data: new Uint8Array(lib.memory.buffer, out, width * height * 4).slice(), width, height };
	} finally {
		if (out) lib.free(out);
		if (handle) lib.tjDestroy(handle);
		lib.free(meta);
		lib.free(input);
	}
}

/**
 * Where stored pixel (x, y) of a `width` x `height` image goes in the upright image, per EXIF
 * orientation (the stored image is mirrored and/or turned; 5-8 swap width and height).
 */
function uprightPosition(orientation: number, x: number, y: number, width: number, height: number): [number, number] {
	switch (orientation) {
		case 2: return [width - 1 - x, y];
		case 3: return [width - 1 - x, height - 1 - y];
		case 4: return [x, height - 1 - y];
		case 5: return [y, x];
		case 6: return [height - 1 - y, x];
		case 7: return [height - 1 - y, width - 1 - x];
		case 8: return [y, width - 1 - x];
		default: return [x, y];
	}
}

/**
 * The JPEG turned upright by its EXIF `orientation` and downscaled (box filter, aspect ratio
 * kept, never enlarged) to at most 1.1 MP, re-encoded at quality 90 with no metadata, so
 * nothing turns it again.
 */
export function uprightJpeg(jpeg: Uint8Array, orientation: number): Uint8Array {
	const stored = decodeScaled(jpeg, WORKING_PIXELS);
	const scale = Math.min(1, Math.sqrt(WORKING_PIXELS / (stored.width * stored.height)));
	const width = Math.max(1, Math.floor(stored.width * scale));
	const height = Math.max(1, Math.floor(stored.height * scale));
	const turned = orientation >= 5;
	const outWidth = turned ? height : width;
	const out = new Uint8Array(width * height * 4);
	for (let y = 0; y < height; y += 1) {
		const top = Math.floor(y / scale);
		const bottom = Math.max(top + 1, Math.min(stored.height, Math.floor((y + 1) / scale)));
		for (let x = 0; x < width; x += 1) {
			const left = Math.floor(x / scale);
			const right = Math.max(left + 1, Math.min(stored.width, Math.floor((x + 1) / scale)));
			let r = 0;
			let g = 0;
			let b = 0;
			for (let sy = top; sy < bottom; sy += 1) {
				for (let sx = left; sx < right; sx += 1) {
					const at = (sy * stored.width + sx) * 4;
					r += stored.data[at]!;
					g += stored.data[at + 1]!;
					b += stored.data[at + 2]!;
				}
			}
			const count = (bottom - top) * (right - left);
			const [ux, uy] = uprightPosition(orientation, x, y, width, height);
			const to = (uy * outWidth + ux) * 4;
			out[to] = Math.round(r / count);
			out[to + 1] = Math.round(g / count);
			out[to + 2] = Math.round(b / count);
			out[to + 3] = 255;
		}
	}
	return new Uint8Array(encode({ data: out, width: outWidth, height: turned ? width : height }, QUALITY).data);
}
