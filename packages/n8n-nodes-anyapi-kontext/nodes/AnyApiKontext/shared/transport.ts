import type { IAdditionalCredentialOptions, ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { parseBody, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from '@anyapi-kontext/core/portable';

export const CREDENTIAL_TYPE = 'anyApiApi';

type HttpRequestWithAuthentication = IExecuteFunctions['helpers']['httpRequestWithAuthentication'];

/** What n8n's helpers give back with `returnFullResponse: true`. */
interface FullResponse {
	body?: unknown;
	headers?: Record<string, unknown>;
	statusCode?: number;
	status?: number;
}

export function decodeBody(raw: unknown): unknown {
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw === 'string') return parseBody(raw);
	if (raw instanceof ArrayBuffer) return parseBody(new TextDecoder().decode(new Uint8Array(raw)));
	if (ArrayBuffer.isView(raw)) return parseBody(new TextDecoder().decode(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)));
	return raw; // already parsed
}

export function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined || value === null) continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return out;
}

const NETWORK_CODE = /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/;

/**
 * The network error code (ECONNREFUSED, ...) of an error from n8n's HTTP helpers, however the
 * n8n version carries it. n8n wraps axios' error in a NodeApiError: 2.x keeps axios' error as
 * `cause`; 1.x drops `cause` (ExecutionBaseError redeclares it as a class field), and the code
 * survives only as `httpCode` (NodeApiError looks for a status under `code` too) or in
 * `errorResponse` / `context`. Reading all of them makes both versions describe and retry a
 * network failure the same way.
 */
export function networkCodeOf(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const record = current as {
			code?: unknown;
			cause?: unknown;
			httpCode?: unknown;
			context?: { code?: unknown };
			errorResponse?: { code?: unknown };
		};
		for (const candidate of [record.code, record.httpCode, record.context?.code, record.errorResponse?.code]) {
			if (typeof candidate === 'string' && NETWORK_CODE.test(candidate)) return candidate;
		}
		current = record.cause;
	}
	return undefined;
}

/**
 * A network failure as the core expects it: an Error with the system `code` (ECONNREFUSED, ...).
 * Built from the code and the error's name only: n8n's own error may carry the request options,
 * and those hold the Authorization header.
 */
export function toNetworkError(error: unknown, signal?: AbortSignal): Error {
	if (signal?.aborted) return abortError(signal);
	const code = networkCodeOf(error);
	const name = error instanceof Error ? error.name : 'Error';
	const failure = new Error(code ? `Network error ${code}` : `Network error (${name})`) as Error & { code?: string };
	if (code) failure.code = code;
	return failure;
}

/** What an aborted wait or request rejects with: the signal's reason when it is an Error. */
export function abortError(signal: AbortSignal): Error {
	const reason: unknown = signal.reason;
	if (reason instanceof Error) return reason;
	const abort = new Error('The operation was aborted');
	abort.name = 'AbortError';
	return abort;
}

/** Settles with `promise`, or rejects as soon as `signal` aborts. */
export async function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
	if (!signal) return await promise;
	if (signal.aborted) {
		promise.catch(() => undefined);
		throw abortError(signal);
	}
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(abortError(signal));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
		promise.catch(() => undefined);
	}
}

/**
 * The credential as `httpRequestWithAuthentication` takes it already decrypted. Without it, n8n
 * reads the credential from its database and decrypts it again for every request, one query
 * after another (measured: the 8 submits of 8 items at once reached the server over 80-240 ms,
 * and over 20-45 ms with it). n8n still applies the credential type's authentication to each.
 */
export function decryptedCredential(context: IExecuteFunctions, data: ICredentialDataDecryptedObject): IAdditionalCredentialOptions {
	const details = context.getNode().credentials?.[CREDENTIAL_TYPE];
	return { credentialsDecrypted: { id: details?.id ?? '', name: details?.name ?? '', type: CREDENTIAL_TYPE, data } };
}

/**
 * The core's transport, sending through `this.helpers.httpRequestWithAuthentication` so n8n's
 * credential system adds the key and n8n's proxy and TLS settings apply. Every HTTP status
 * comes back as it is (the core maps and retries them); network errors are rethrown with
 * their code. `credential` is the credential read once for the whole run (see
 * `decryptedCredential`).
 */
export function createN8nTransport(
	send: HttpRequestWithAuthentication,
	context: IExecuteFunctions,
	baseUrl: string,
	credential?: IAdditionalCredentialOptions,
): Transport {
	const base = baseUrl.replace(/\/+$/, '');
	return {
		async send(request: TransportRequest): Promise<TransportResponse> {
			const headers: IDataObject = { accept: 'application/json', ...(request.headers ?? {}) };
			const options: IHttpRequestOptions = {
				method: request.method,
				url: `${base}${request.path}`,
				headers,
				json: false,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			};
			if (request.query && Object.keys(request.query).length > 0) options.qs = { ...request.query };
			if (request.body !== undefined) {
				headers['content-type'] = 'application/json';
				options.body = JSON.stringify(request.body);
			}
			if (request.signal) options.abortSignal = request.signal;
			let response: FullResponse | undefined;
			let failure: unknown;
			try {
				// n8n sets the request's abort signal to the execution's own; the core's signal
				// (its time-out, a stop after another item failed) is honoured by racing it.
				response = (await raceAbort(send.call(context, CREDENTIAL_TYPE, options, credential), request.signal)) as FullResponse;
			} catch (error) {
				failure = error;
			}
			if (response === undefined) throw toNetworkError(failure, request.signal);
			return {
				status: Number(response.statusCode ?? response.status ?? 0),
				headers: lowerCaseHeaders(response.headers),
				body: decodeBody(response.body),
			};
		},
		/**
		 * The status stream, through the same helper with `encoding: 'stream'` (n8n 1.x and 2.x
		 * both hand back the response body as a Node stream then): the job's end is seen the
		 * moment it happens, with no polling. The core falls back to polling when the answer is
		 * not an event stream.
		 */
		async openEventStream(request: TransportRequest): Promise<TransportStream> {
			const options: IHttpRequestOptions = {
				method: 'GET',
				url: `${base}${request.path}`,
				headers: { accept: 'text/event-stream', ...(request.headers ?? {}) },
				json: false,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			};
			if (request.query && Object.keys(request.query).length > 0) options.qs = { ...request.query };
			if (request.signal) options.abortSignal = request.signal;
			const pending = send.call(context, CREDENTIAL_TYPE, options, credential) as Promise<FullResponse>;
			let response: FullResponse;
			try {
				response = await raceAbort(pending, request.signal);
			} catch (error) {
				// Given up on (the core's deadline, an abort): a stream that opens later is closed at once.
				pending.then((late) => destroyBody(late?.body), () => undefined);
				throw toNetworkError(error, request.signal);
			}
			const status = Number(response.statusCode ?? response.status ?? 0);
			const body = response.body;
			const close = () => destroyBody(body);
			const readable = status >= 200 && status < 300 && isAsyncIterable(body);
			if (!readable) close();
			// n8n ties the request to the execution's signal only: the core's own (a time-out, a
			// failed sibling item) ends the stream by closing it.
			request.signal?.addEventListener('abort', close, { once: true });
			return {
				status,
				headers: lowerCaseHeaders(response.headers),
				chunks: readable ? body : noChunks(),
				close: () => {
					request.signal?.removeEventListener('abort', close);
					close();
				},
			};
		},
	};
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> {
	return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}

/** Ends a response body stream (a Node IncomingMessage) and frees its connection. */
function destroyBody(body: unknown): void {
	const stream = body as { destroy?: () => void } | null | undefined;
	if (typeof stream?.destroy === 'function') stream.destroy();
}

async function* noChunks(): AsyncGenerator<Uint8Array> {}
