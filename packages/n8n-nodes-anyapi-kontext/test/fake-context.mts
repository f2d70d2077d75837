// A hand-built IExecuteFunctions: parameters from a plain object, HTTP as n8n does it (full
// response, status errors ignored, the credential's `authenticate` header applied), real
// network calls (to the emulator). No module mocks: the node's own code runs as in n8n.
import type { IAdditionalCredentialOptions, IBinaryData, IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AnyApiApi } from '../credentials/AnyApiApi.credentials';

export interface FakeOptions {
	items: INodeExecutionData[];
	/** Node parameters; a function gets the item index (for per-item expressions). */
	parameters: Record<string, unknown | ((itemIndex: number) => unknown)>;
	credentials: { apiKey: string; baseUrl: string };
	continueOnFail?: boolean;
	cancelSignal?: AbortSignal;
	/**
	 * The shape of n8n's network errors: 2 (default) as n8n 2.x throws them, 1 as n8n 1.x does
	 * (no `cause`; see networkError below).
	 */
	n8nVersion?: 1 | 2;
	/** Every request the node sent, with the headers n8n would send. */
	requests?: Array<{ method: string; url: string; headers: Record<string, string> }>;
	/** Called each time the credential is read (n8n reads it from its database each time). */
	onCredentialRead?: () => void;
	/** Awaited before each unauthenticated request (the image downloads) is sent: holds them. */
	beforeDownload?: () => Promise<void>;
	/** The node's saved version (default 1, the version the older tests were written for). */
	typeVersion?: number;
	/** The node type n8n runs: `CUSTOM.anyApiKontextTool` when an AI Agent runs it as a tool. */
	nodeType?: string;
	/** The node's parameters as saved (`getNode().parameters`: expressions unresolved). */
	savedParameters?: Record<string, unknown>;
}

/** The headers the credential's `authenticate` adds, as n8n applies it. */
async function authorizationHeader(credentials: { apiKey: string }): Promise<Record<string, string>> {
	const authenticated = await new AnyApiApi().authenticate(credentials, { url: '' });
	return authenticated.headers as Record<string, string>;
}

class AxiosError extends Error {
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
		this.name = 'AxiosError';
	}
}

const NODE = { id: 'n1', name: 'AnyAPI Kontext', type: 'CUSTOM.anyApiKontext', typeVersion: 1, position: [0, 0] as [number, number], parameters: {}, credentials: { anyApiApi: { id: 'c1', name: 'AnyAPI account' } } };

/**
 * What n8n's httpRequestWithAuthentication throws when the connection fails: axios' error (with
 * its `code`) wrapped in a NodeApiError, built with the real class of n8n-workflow 2.x. n8n 1.x
 * runs the same constructor, but its ExecutionBaseError declares `cause` as a class field, which
 * resets the cause Error set: the code then survives only in `httpCode`. Checked against both
 * installed versions (1.123.81 and 2.41.1): message, httpCode, messages and context are equal;
 * 1.x has `cause` undefined.
 */
function networkError(code: string, host: string, n8nVersion: 1 | 2): Error {
	const error = new NodeApiError(NODE, new AxiosError(`connect ${code} ${host}`, code) as unknown as JsonObject);
	if (n8nVersion === 1) Object.defineProperty(error, 'cause', { value: undefined, writable: true, enumerable: true, configurable: true });
	return error;
}

async function send(
	options: IHttpRequestOptions,
	extraHeaders: Record<string, string>,
	log?: FakeOptions['requests'],
	n8nVersion: 1 | 2 = 2,
) {
	const url = new URL(options.url);
	for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
	const headers: Record<string, string> = { 'user-agent': 'n8n', ...(options.headers as Record<string, string>), ...extraHeaders };
	log?.push({ method: options.method ?? 'GET', url: url.toString(), headers });
	let response: Response;
	try {
		response = await fetch(url, {
			method: options.method ?? 'GET',
			headers,
			body: options.body as string | undefined,
			signal: options.abortSignal as AbortSignal | undefined,
		});
	} catch (error) {
		if (options.abortSignal && (options.abortSignal as AbortSignal).aborted) throw error;
		const cause = (error as { cause?: { code?: string } }).cause;
		throw networkError(cause?.code ?? 'ECONNRESET', url.host, n8nVersion);
	}
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((v, k) => (responseHeaders[k] = v));
	if (options.encoding === 'stream') {
		// What n8n's helpers give with `encoding: 'stream'`: the body as a Node stream.
		const body = response.body ? Readable.fromWeb(response.body as WebReadableStream) : Readable.from([]);
		return options.returnFullResponse ? { body, headers: responseHeaders, statusCode: response.status } : body;
	}
	const buffer = Buffer.from(await response.arrayBuffer());
	if (!options.ignoreHttpStatusErrors && response.status >= 400) throw new Error(`HTTP ${response.status}`);
	let body: unknown = buffer;
	if (options.encoding !== 'arraybuffer') {
		const text = buffer.toString('utf8');
		try {
			body = JSON.parse(text);
		} catch {
			body = text;
		}
	}
	return options.returnFullResponse ? { body, headers: responseHeaders, statusCode: response.status } : body;
}

export function fakeContext(options: FakeOptions): IExecuteFunctions {
	const param = (name: string, itemIndex: number, fallback?: unknown) => {
		const value = options.parameters[name];
		if (value === undefined) return fallback;
		return typeof value === 'function' ? (value as (i: number) => unknown)(itemIndex) : value;
	};
	const context = {
		getInputData: () => options.items,
		getNodeParameter: param,
		getNode: () => ({ ...NODE, typeVersion: options.typeVersion ?? 1, type: options.nodeType ?? NODE.type, parameters: options.savedParameters ?? {} }),
		getCredentials: async () => {
			options.onCredentialRead?.();
			return { ...options.credentials } as IDataObject;
		},
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => options.cancelSignal,
		helpers: {
			// As n8n: the credential passed in already decrypted, else read again for this request.
			httpRequestWithAuthentication: async function (_type: string, request: IHttpRequestOptions, additional?: IAdditionalCredentialOptions) {
				const credentials = (additional?.credentialsDecrypted?.data ?? (await context.getCredentials())) as { apiKey: string };
				return await send(request, await authorizationHeader(credentials), options.requests, options.n8nVersion);
			},
			httpRequest: async (request: IHttpRequestOptions) => {
				await options.beforeDownload?.();
				return await send(request, {}, options.requests, options.n8nVersion);
			},
			getBinaryDataBuffer: async (itemIndex: number, property: string) =>
				Buffer.from(options.items[itemIndex]!.binary![property]!.data, 'base64'),
			prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({
				data: buffer.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileExtension: fileName?.split('.').pop(),
				fileSize: String(buffer.length),
			}),
		},
	};
	return context as unknown as IExecuteFunctions;
}

export function binaryItem(bytes: Buffer, mimeType: string, fileName: string, json: IDataObject = {}): INodeExecutionData {
	return { json, binary: { data: { data: bytes.toString('base64'), mimeType, fileName } } };
}

/**
 * The parameters of an Edit or Submit of the item's `data` binary with the editor's defaults;
 * `extra` overrides or adds (e.g. `options`).
 */
export function imageJobParameters(operation: 'edit' | 'submit', extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		resource: 'image',
		operation,
		imageSource: 'binary',
		binaryPropertyName: 'data',
		prompt: 'Add a hat',
		guidanceScale: 3.5,
		numImages: 1,
		outputFormat: 'jpeg',
		safetyTolerance: '2',
		options: {},
		...extra,
	};
}

/**
 * The images a multi-image job was sent, in order, from the emulator's echo of the job's input
 * (its output is always about 1 MP, so its size no longer shows what went in).
 */
export async function sentImages(emulator: { url: string; apiKey: string }, requestId: unknown): Promise<Buffer[]> {
	const result = await fetch(`${emulator.url}/fal-ai/flux-pro/requests/${String(requestId)}`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
	const { request } = (await result.json()) as { request: { image_urls: string[] } };
	return request.image_urls.map((url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
}
