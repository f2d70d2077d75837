import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import {
	ApiError,
	AuthenticationError,
	BadRequestError,
	CancelledError,
	ConnectionError,
	describeCancelOutcome,
	InputError,
	JobFailedError,
	NotFoundError,
	PermissionDeniedError,
	RateLimitError,
	RunInterruptedError,
	ServerError,
	TimeoutError,
	UnprocessableEntityError,
} from '@anyapi-kontext/core/portable';
import type { FieldError } from '@anyapi-kontext/core/portable';
import { fieldDisplayName } from './modelFields';
import { networkCodeOf } from './transport';

/** An error of the node's own checks (bad parameter, unsupported file), before any call. */
export class UserInputError extends Error {
	constructor(
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'UserInputError';
	}
}

/**
 * An error of a job on a model given By Path (version 2) that the node does not list: what the
 * user sees names the path, and a submit the service answers 404 says it has no such model.
 */
export class ModelPathError extends Error {
	constructor(
		readonly path: string,
		override readonly cause: unknown,
	) {
		super(cause instanceof Error ? cause.message : String(cause));
		this.name = 'ModelPathError';
	}
}

/**
 * Runs a job's calls; for a model By Path (`path` given), any error becomes a ModelPathError
 * naming the path, which the router turns into n8n's NodeApiError or NodeOperationError
 * (toNodeError), as every error.
 */
export async function namingModelPath<T>(path: string | undefined, call: () => Promise<T>): Promise<T> {
	if (path === undefined) return await call();
	// Not try/catch: n8n's lint wants a throw inside a catch to be a NodeApiError or NodeOperationError.
	const outcome = await call().then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
	if (outcome.ok) return outcome.value;
	throw new ModelPathError(path, outcome.error);
}

/** What the user sees: a short message, a longer description, and details safe to show. */
export interface DescribedError {
	kind: 'api' | 'operation';
	message: string;
	description?: string;
	httpCode?: string;
	details: IDataObject;
}

export interface ErrorContext {
	baseUrl?: string;
	timeoutMs?: number;
}

/** Removes anything that looks like a bearer token, so no key can leak through an echoed text. */
export function redact(text: string, secrets: readonly string[] = []): string {
	let out = text.replace(/(bearer|key)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]');
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
	}
	return out;
}

/** "guidance_scale must be ..." becomes "Guidance Scale must be ...". */
export function fieldMessage(field: string, message: string): string {
	const name = fieldDisplayName(field);
	if (message.startsWith(`${field} `)) return `${name} ${message.slice(field.length + 1)}`;
	if (message.startsWith(`${field}: `)) return `${name}: ${message.slice(field.length + 2)}`;
	return `${name}: ${message}`;
}

/** Every field error, each under the name the user sees in the node. */
function fieldMessages(fieldErrors: readonly FieldError[]): string[] {
	return fieldErrors.map((e) => fieldMessage(e.field, e.message));
}

function minutes(ms: number): string {
	const m = ms / 60_000;
	return m >= 1 ? `${Number.isInteger(m) ? m : m.toFixed(1)} minute${m === 1 ? '' : 's'}` : `${Math.round(ms / 1000)} seconds`;
}

function apiDetails(error: ApiError): IDataObject {
	const details: IDataObject = { status: error.status };
	if (error.requestId) details.requestId = error.requestId;
	if (error.errorType) details.errorType = error.errorType;
	// Field errors get the names the user sees in the node; anything else is the server's text.
	const detail = error.fieldErrors.length > 0 ? fieldMessages(error.fieldErrors).join('; ') : error.detail;
	if (detail) details.detail = redact(detail);
	return details;
}

/** Turns any error of the core, of n8n or of the node into words a no-code user can act on. */
export function describeError(error: unknown, context: ErrorContext = {}): DescribedError {
	if (error instanceof ModelPathError) {
		const { path, cause } = error;
		if (cause instanceof NotFoundError && !cause.requestId) {
			return {
				kind: 'api',
				httpCode: '404',
				message: `AnyAPI has no model at ${path} (404 Not Found)`,
				description: "Check Model > By Path: the model's path on AnyAPI, e.g. /fal-ai/flux-kontext/dev.",
				details: { ...apiDetails(cause), model: path },
			};
		}
		const described = describeError(cause, context);
		return { ...described, message: `${described.message} (model ${path})`, details: { ...described.details, model: path } };
	}
	if (error instanceof UserInputError) {
		return { kind: 'operation', message: error.message, description: error.description, details: {} };
	}
	if (error instanceof InputError) {
		const messages = fieldMessages(error.fieldErrors);
		return {
			kind: 'operation',
			message: `Invalid input: ${messages.join('; ')}`,
			description: 'Fix the field named above; nothing was sent to AnyAPI.',
			details: { fields: error.fieldErrors.map((e) => e.field) },
		};
	}
	if (error instanceof ApiError) {
		const details = apiDetails(error);
		const detail = details.detail ? ` AnyAPI said: ${String(details.detail)}` : '';
		const httpCode = String(error.status);
		if (error instanceof AuthenticationError) {
			return {
				kind: 'api',
				httpCode,
				message: 'The API key was refused by AnyAPI (401 Unauthorized)',
				description: 'Check the API Key in the "AnyAPI API" credential (and its Base URL).',
				details,
			};
		}
		if (error instanceof PermissionDeniedError) {
			return {
				kind: 'api',
				httpCode,
				message: 'The API key is not allowed to do this (403 Forbidden)',
				description: `Check the key's plan and balance at AnyAPI.${detail}`,
				details,
			};
		}
		if (error instanceof RateLimitError) {
			return {
				kind: 'api',
				httpCode,
				message: 'AnyAPI is rate limiting this key (429 Too Many Requests)',
				description: `Try again later, or lower Options > Concurrency.${detail}`,
				details,
			};
		}
		if (error instanceof NotFoundError) {
			return {
				kind: 'api',
				httpCode,
				message: `AnyAPI does not know this request${error.requestId ? ` (${error.requestId})` : ''} (404 Not Found)`,
				description: `Check the Request ID; results expire after a while.${detail}`,
				details,
			};
		}
		if (error instanceof UnprocessableEntityError) {
			const fields = fieldMessages(error.fieldErrors);
			const what =
				error.errorType === 'content_policy_violation'
					? 'The image or prompt was flagged by the content policy'
					: fields.length > 0
						? `AnyAPI refused the input: ${fields.join('; ')}`
						: 'AnyAPI refused the input';
			return {
				kind: 'api',
				httpCode,
				message: `${what} (422${error.errorType ? ` ${error.errorType}` : ''})`,
				description: `Change the prompt, the image or the field named, then try again.${detail}`,
				details,
			};
		}
		if (error instanceof ServerError) {
			return {
				kind: 'api',
				httpCode,
				message: `AnyAPI or the model failed (${error.status}${error.errorType ? ` ${error.errorType}` : ''})`,
				description: `This is on the server's side; trying again later may work.${detail}`,
				details,
			};
		}
		// A cancelled job's result answers 400 "Request was cancelled.": say so in the message.
		if (error instanceof BadRequestError && /cancel/i.test(error.detail ?? '')) {
			return {
				kind: 'api',
				httpCode,
				message: `The job${error.requestId ? ` ${error.requestId}` : ''} was cancelled, so it has no result (400)`,
				description: `Submit the job again to get a result.${detail}`,
				details,
			};
		}
		const bad = error instanceof BadRequestError ? 'AnyAPI refused the request' : 'AnyAPI answered with an error';
		const said = error.detail ? `: ${redact(error.detail).slice(0, 200)}` : '';
		return {
			kind: 'api',
			httpCode,
			message: `${bad} (${error.status})${said}`,
			description: detail.trim() || undefined,
			details,
		};
	}
	if (error instanceof TimeoutError) {
		return {
			kind: 'operation',
			message: `The job ${error.requestId} did not finish within ${minutes(error.timeoutMs)}; ${describeCancelOutcome(error.cancelOutcome)}`,
			description: 'Raise Options > Time-out, or use Submit and pick the result up later with Get Result.',
			details: { requestId: error.requestId, cancelled: error.cancelled, cancelOutcome: error.cancelOutcome },
		};
	}
	if (error instanceof CancelledError) {
		return {
			kind: 'operation',
			message: error.requestId
				? `The execution was stopped; job ${error.requestId}${
						error.cancelOutcome
							? `: ${describeCancelOutcome(error.cancelOutcome)}`
							: error.cancelled
								? ' was cancelled on the server'
								: ' could not be cancelled on the server'
					}`
				: 'The execution was stopped before the job was submitted',
			details: error.requestId
				? { requestId: error.requestId, cancelled: error.cancelled, ...(error.cancelOutcome ? { cancelOutcome: error.cancelOutcome } : {}) }
				: {},
		};
	}
	if (error instanceof JobFailedError) {
		const cause: unknown = (error as { cause?: unknown }).cause;
		if (cause instanceof ApiError) {
			const inner = describeError(cause, context);
			return {
				...inner,
				message: `The job ${error.requestId} failed: ${inner.message}`,
				details: { ...inner.details, requestId: error.requestId },
			};
		}
		return {
			kind: 'operation',
			message: redact(error.message.replace(/^Job /, 'The job ')),
			description: 'The model could not edit this image; try another prompt or image.',
			details: { requestId: error.requestId },
		};
	}
	if (error instanceof RunInterruptedError) {
		return {
			kind: 'operation',
			message: redact(error.message.replace(/^Job /, 'The job ')),
			details: { requestId: error.requestId, cancelled: error.cancelled, cancelOutcome: error.cancelOutcome },
		};
	}
	if (error instanceof ConnectionError) {
		const code = networkCodeOf(error);
		// The code goes in the description: n8n replaces a message naming a network code with
		// its own generic text, which would lose the URL.
		const tries = error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
		const network = typeof code === 'string' ? `Network error ${code}${tries}. ` : tries ? `No answer${tries}. ` : '';
		return {
			kind: 'operation',
			message: `Could not reach AnyAPI${context.baseUrl ? ` at ${context.baseUrl}` : ''}`,
			description: error.mayHaveBeenAccepted
				? `${network}The connection broke after the job was sent: it may still run on the server. Check the Base URL and your network.`
				: `${network}Check the Base URL in the credential and your network.`,
			details: {
				...(typeof code === 'string' ? { code } : {}),
				attempts: error.attempts,
				...(error.requestId ? { requestId: error.requestId } : {}),
			},
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	return { kind: 'operation', message: redact(message), details: {} };
}

/** The n8n error for an item, NodeApiError for answers of the API, NodeOperationError otherwise. */
export function toNodeError(node: INode, described: DescribedError, itemIndex: number): NodeApiError | NodeOperationError {
	if (described.kind === 'api') {
		return new NodeApiError(node, described.details as JsonObject, {
			message: described.message,
			description: described.description,
			httpCode: described.httpCode,
			itemIndex,
		});
	}
	return new NodeOperationError(node, described.message, {
		description: described.description,
		itemIndex,
	});
}
