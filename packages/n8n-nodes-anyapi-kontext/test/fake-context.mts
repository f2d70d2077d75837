// A hand-built IExecuteFunctions: parameters from a plain object, HTTP as n8n does it (full
// response, status errors ignored, the credential's `authenticate` header applied), real
// network calls (to the emulator). No module mocks: the node's own code runs as in n8n.
import type { IBinaryData, IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { Readable } from 'node:stream';
import { AnyApiApi } from '../credentials/AnyApiApi.credentials';

export interface FakeOptions {
	items: INodeExecutionData[];
	/** Node parameters; a function gets the item index (for per-item expressions). */
	parameters: Record<string, unknown | ((itemIndex: number) => unknown)>;
	credentials: { apiKey: string; baseUrl: string };
	continueOnFail?: boolean;
	cancelSignal?: AbortSignal;
	/** Every request the node sent, with the headers n8n would send. */
	requests?: Array<{ method: string; url: string; headers: Record<string, string> }>;
}

function authorizationHeader(credentials: { apiKey: string }): Record<string, string> {
	const auth = new AnyApiApi().authenticate;
	const out: Record<string, string> = {};
	for (const [name, template] of Object.entries((auth.properties.headers ?? {}) as Record<string, string>)) {
		out[name] = template.replace(/^=/, '').replace('{{$credentials.apiKey}}', credentials.apiKey);
	}
	return out;
}

async function send(options: IHttpRequestOptions, extraHeaders: Record<string, string>, log?: FakeOptions['requests']) {
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
		// n8n rethrows axios' error (code ECONNREFUSED, ...) wrapped in a NodeApiError: keep the code in `cause`.
		const cause = (error as { cause?: { code?: string } }).cause;
		throw Object.assign(new Error('NodeApiError: request failed'), { cause: { code: cause?.code ?? 'ECONNRESET', name: 'AxiosError' } });
	}
	if (options.encoding === 'stream') {
		// What n8n's helpers give with `encoding: 'stream'`: the body as a Node stream.
		const responseHeaders: Record<string, string> = {};
		response.headers.forEach((v, k) => (responseHeaders[k] = v));
		const body = response.body ? Readable.fromWeb(response.body as import('node:stream/web').ReadableStream) : Readable.from([]);
		return options.returnFullResponse ? { body, headers: responseHeaders, statusCode: response.status } : body;
	}
	const buffer = Buffer.from(await response.arrayBuffer());
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((v, k) => (responseHeaders[k] = v));
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
		getNode: () => ({ id: 'n1', name: 'AnyAPI Kontext', type: 'CUSTOM.anyApiKontext', typeVersion: 1, position: [0, 0], parameters: {} }),
		getCredentials: async () => ({ ...options.credentials }) as IDataObject,
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => options.cancelSignal,
		helpers: {
			httpRequestWithAuthentication: async function (_type: string, request: IHttpRequestOptions) {
				return await send(request, authorizationHeader(options.credentials), options.requests);
			},
			httpRequest: async (request: IHttpRequestOptions) => await send(request, {}, options.requests),
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
