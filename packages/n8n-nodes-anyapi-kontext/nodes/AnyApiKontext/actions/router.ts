import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	apiKeyMessage,
	apiKeyProblem,
	createQueueLifecycle,
	DEFAULT_BASE_URL,
	mapWithConcurrency,
	normalizeBaseUrl,
	type QueueLifecycle,
} from '@anyapi-kontext/core/portable';
import { describeError, toNodeError, UserInputError } from '../shared/errors';
import { n8nSleep } from '../shared/sleep';
import { createStartOrder, orderedTransport } from '../shared/startOrder';
import { CREDENTIAL_TYPE, createN8nTransport, decryptedCredential } from '../shared/transport';
import * as account from './account/Account.resource';
import * as image from './image/Image.resource';
import { optionsOf, pairedTo } from './image/common';
import { combinedItemsOf } from './image/modelInput';

const DEFAULT_CONCURRENCY = 4;

/** What an operation gets for one item. */
export interface ItemContext {
	context: IExecuteFunctions;
	client: QueueLifecycle;
	itemIndex: number;
	signal: AbortSignal;
	/**
	 * Gives the item's place among the Concurrency items running to the next item before this
	 * one is done (Edit: once its job has ended on the server, while its images download).
	 */
	release: () => void;
	/**
	 * Resolves once the items that took a place before now have sent their submits and had them
	 * answered: a finished job's downloads wait for it, so the next jobs start first.
	 */
	afterStarts: () => Promise<void>;
	/** Version 2's Combine: the items whose images go to this one job, in item order (`itemIndex` is the first). */
	combinedItems?: number[];
}

/**
 * One operation on one item: its output item (version 2's Edit and Get Result: one per image),
 * or a throw (an error item with Continue On Fail).
 */
export type ItemOperation = (item: ItemContext) => Promise<INodeExecutionData | INodeExecutionData[]>;

/** An operation file: its `execute`, and whether it submits jobs (then items take turns, see startOrder.ts). */
interface OperationModule {
	execute: ItemOperation;
	startsJobs?: boolean;
}

const RESOURCES: Record<string, Record<string, OperationModule>> = {
	image: image.operations,
	account: account.operations,
};

/** Aborts when the execution is stopped or when `stop()` is called (a failing item without Continue On Fail). */
function linkedAbort(context: IExecuteFunctions): { signal: AbortSignal; stop: () => void } {
	const controller = new AbortController();
	const execution = context.getExecutionCancelSignal?.();
	if (execution) {
		if (execution.aborted) controller.abort(execution.reason);
		else execution.addEventListener('abort', () => controller.abort(execution.reason), { once: true });
	}
	return { signal: controller.signal, stop: () => controller.abort() };
}

/**
 * The credential's Base URL, once its key and URL are known to be usable; else what is wrong.
 * A key with a line break or a space inside would make n8n's HTTP client fail with the header
 * in its error, and a bad URL would fail every call. Both are described, never quoted.
 */
function checkedCredential(credentials: IDataObject): { baseUrl: string } | { problem: string; description?: string } {
	const keyProblem = apiKeyProblem(typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : credentials.apiKey);
	if (keyProblem) {
		return {
			problem: apiKeyMessage('The API Key of the "AnyAPI API" credential', keyProblem),
			description: 'Paste the key again in the credential, as one line.',
		};
	}
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
	try {
		return { baseUrl: normalizeBaseUrl(baseUrl, 'The Base URL of the "AnyAPI API" credential') };
	} catch (error) {
		return { problem: error instanceof Error ? error.message : String(error) };
	}
}

/**
 * The Concurrency option as a whole number of at least 1. n8n gives a number; anything else
 * (an expression's odd result) means the default. Not `Number(value)` alone: an object without
 * a prototype makes that throw a TypeError outside any item, failing the run without a node error.
 */
function concurrencyOf(value: unknown): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
	return Math.max(1, Math.floor(number) || DEFAULT_CONCURRENCY);
}

/** The node's `execute`: every item through its operation, concurrently, output in input order. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const chosen = RESOURCES[resource]?.[operation];
	if (!chosen) {
		throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" of "${String(resource)}" is not supported`);
	}

	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const credential = checkedCredential(credentials);
	if ('problem' in credential) {
		throw new NodeOperationError(this.getNode(), credential.problem, { description: credential.description });
	}
	const { baseUrl } = credential;
	const order = createStartOrder(async () => await n8nSleep(0));
	const transport = createN8nTransport(this.helpers.httpRequestWithAuthentication, this, baseUrl, decryptedCredential(this, credentials));
	const client = createQueueLifecycle({
		transport: orderedTransport(transport, order),
		sleep: n8nSleep,
		baseUrl,
	});
	const { signal, stop } = linkedAbort(this);
	const continueOnFail = this.continueOnFail();
	const options = resource === 'image' && operation === 'edit' ? optionsOf(this, 0) : {};
	const concurrency = concurrencyOf(options.concurrency);
	// Version 2's Combine: one job for the images of every item.
	const combined = chosen.startsJobs ? combinedItemsOf(this, items.length) : undefined;
	const jobs = combined ? [combined] : items.map((_, itemIndex) => [itemIndex]);
	let firstFailure: number | undefined;

	const outcomes = await mapWithConcurrency(
		jobs.length,
		concurrency,
		async (job, release) => {
			const itemIndex = jobs[job]![0]!;
			const turn = chosen.startsJobs ? await order.turn() : undefined;
			try {
				return await chosen.execute({
					context: this,
					client,
					itemIndex,
					signal,
					release,
					afterStarts: async () => await order.quiet(signal),
					...(combined ? { combinedItems: combined } : {}),
				});
			} finally {
				turn?.end();
			}
		},
		{
			shouldStop: () => signal.aborted,
			onFailure: (job) => {
				// Without Continue On Fail the first failure ends the run: the other jobs are cancelled.
				if (!continueOnFail && firstFailure === undefined) {
					firstFailure = job;
					stop();
				}
			},
		},
	);

	const node = this.getNode();
	const errorContext = { baseUrl };
	if (firstFailure !== undefined) {
		const outcome = outcomes[firstFailure];
		const error: unknown = outcome && !outcome.ok ? outcome.error : undefined;
		throw toNodeError(node, describeError(error, errorContext), jobs[firstFailure]![0]!);
	}
	const results: INodeExecutionData[] = [];
	for (const [job, jobItems] of jobs.entries()) {
		const outcome = outcomes[job];
		if (outcome?.ok) {
			results.push(...(Array.isArray(outcome.value) ? outcome.value : [outcome.value]));
			continue;
		}
		const itemIndex = jobItems[0]!;
		const described = describeError(outcome ? outcome.error : new UserInputError('The execution was stopped'), errorContext);
		if (!continueOnFail) throw toNodeError(node, described, itemIndex);
		results.push({
			json: { error: described.message, ...(described.description ? { description: described.description } : {}), ...described.details },
			pairedItem: pairedTo(jobItems),
		});
	}
	return [results];
}
