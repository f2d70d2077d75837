// Types for what the build inlines (scripts/build.mjs: a .wasm file becomes its bytes) and for
// jpeg-js's encoder, imported alone so that its decoder stays out of the bundle.
declare module '*.wasm' {
	const bytes: Uint8Array;
	export default bytes;
}

declare module 'jpeg-js/lib/encoder.js' {
	function encode(image: { data: Uint8Array; width: number; height: number }, quality?: number): { data: Uint8Array; width: number; height: number };
	export default encode;
}

// The part of WebAssembly that uprightJpeg.ts uses (the node's TypeScript has no DOM library).
declare namespace WebAssembly {
	class Module {
		constructor(bytes: Uint8Array);
	}
	class Instance {
		constructor(module: Module, imports: Record<string, Record<string, unknown>>);
		readonly exports: Record<string, unknown>;
	}
	class Memory {
		readonly buffer: ArrayBuffer;
	}
}
