import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { createQueueLifecycle, DEFAULT_BASE_URL, mapWithConcurrency, type QueueLifecycle } from '@anyapi-kontext/core/portable';
import { describeError, toNodeError, UserInputError } from '../shared/errors';
import { imageUrlFor } from '../shared/imageInput';
import { resultBinaries, resultJson } from '../shared/imageOutput';
import { buildKontextInput } from '../shared/kontextInput';
import { n8nSleep } from '../shared/sleep';
import { CREDENTIAL_TYPE, createN8nTransport } from '../shared/transport';

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MINUTES = 10;

interface ItemContext {
	context: IExecuteFunctions;
	client: QueueLifecycle;
	itemIndex: number;
	signal: AbortSignal;
}

type Operation = (item: ItemContext) => Promise<INodeExecutionData>;

function optionsOf(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return (context.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

function requestIdOf(context: IExecuteFunctions, itemIndex: number): string {
	const id = String(context.getNodeParameter('requestId', itemIndex, '') ?? '').trim();
	if (!id) throw new UserInputError(`Item ${itemIndex + 1}: Request ID is empty`, 'Map the requestId a Submit returned.');
	return id;
}

function kontextInputFor(context: IExecuteFunctions, itemIndex: number, imageUrl: string): Record<string, unknown> {
	return buildKontextInput(
		(field) => context.getNodeParameter(field.parameter, itemIndex, undefined),
		optionsOf(context, itemIndex),
		imageUrl,
	);
}

async function withImages(
	item: ItemContext,
	result: Parameters<typeof resultJson>[0],
	options: IDataObject,
): Promise<INodeExecutionData> {
	const download = options.downloadImages !== false;
	const base = String(options.binaryPropertyOutput ?? 'data').trim() || 'data';
	const json = resultJson(result, download ? base : undefined);
	if (!download) return { json, pairedItem: { item: item.itemIndex } };
	const binary = await resultBinaries(item.context, result, base, item.signal);
	return { json, binary, pairedItem: { item: item.itemIndex } };
}

const edit: Operation = async (item) => {
	const { context, client, itemIndex, signal } = item;
	const options = optionsOf(context, itemIndex);
	const minutes = Number(options.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES);
	if (!(minutes > 0)) {
		throw new UserInputError(`Item ${itemIndex + 1}: Time-Out must be above 0 minutes (got ${String(options.timeoutMinutes)})`);
	}
	const input = kontextInputFor(context, itemIndex, await imageUrlFor(context, itemIndex));
	const result = await client.run(input as never, { timeout: Math.round(minutes * 60_000), signal });
	return await withImages(item, result, options);
};

/** The Webhook URL option, checked before anything is sent (empty: no webhook). */
function webhookUrlOf(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const url = String(optionsOf(context, itemIndex).webhookUrl ?? '').trim();
	if (!url) return undefined;
	if (!/^https?:\/\/\S+$/.test(url)) {
		throw new UserInputError(
			`Item ${itemIndex + 1}: Webhook URL must be an http(s) URL (got ${JSON.stringify(url)})`,
			'Use {{ $execution.resumeUrl }} with a Wait node that resumes On Webhook Call, or clear the option.',
		);
	}
	return url;
}

const submit: Operation = async ({ context, client, itemIndex }) => {
	const webhookUrl = webhookUrlOf(context, itemIndex);
	const input = kontextInputFor(context, itemIndex, await imageUrlFor(context, itemIndex));
	const ticket = await client.submit(input as never, webhookUrl ? { webhookUrl } : {});
	return {
		json: {
			requestId: ticket.request_id,
			status: ticket.status,
			queuePosition: ticket.queue_position ?? null,
			statusUrl: ticket.status_url,
			responseUrl: ticket.response_url,
			cancelUrl: ticket.cancel_url,
		},
		pairedItem: { item: itemIndex },
	};
};

const getStatus: Operation = async ({ context, client, itemIndex, signal }) => {
	const requestId = requestIdOf(context, itemIndex);
	const logs = context.getNodeParameter('includeLogs', itemIndex, false) as boolean;
	const status = (await client.status(requestId, { logs, signal })) as unknown as IDataObject;
	const json: IDataObject = { requestId, ...status };
	if (!logs) delete json.logs;
	return { json, pairedItem: { item: itemIndex } };
};

const getResult: Operation = async (item) => {
	const { context, client, itemIndex, signal } = item;
	const result = await client.result(requestIdOf(context, itemIndex), { signal });
	return await withImages(item, result, optionsOf(context, itemIndex));
};

const cancel: Operation = async ({ context, client, itemIndex, signal }) => {
	const requestId = requestIdOf(context, itemIndex);
	const status = await client.cancel(requestId, { signal });
	return { json: { requestId, status }, pairedItem: { item: itemIndex } };
};

const getUsage: Operation = async ({ client, itemIndex, signal }) => {
	const usage = (await client.usage({ signal })) as unknown as IDataObject;
	return { json: { ...usage }, pairedItem: { item: itemIndex } };
};

const OPERATIONS: Record<string, Operation> = {
	'image:edit': edit,
	'image:submit': submit,
	'image:getStatus': getStatus,
	'image:getResult': getResult,
	'image:cancel': cancel,
	'account:getUsage': getUsage,
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

/** The node's `execute`: every item through its operation, concurrently, output in input order. */
export async function executeKontext(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = OPERATIONS[`${resource}:${operation}`];
	if (!run) {
		throw new UserInputError(`The operation "${operation}" of "${resource}" is not supported`);
	}

	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
	const client = createQueueLifecycle({
		transport: createN8nTransport(this.helpers.httpRequestWithAuthentication, this, baseUrl),
		sleep: n8nSleep,
		baseUrl,
	});
	const { signal, stop } = linkedAbort(this);
	const continueOnFail = this.continueOnFail();
	const options = resource === 'image' && operation === 'edit' ? optionsOf(this, 0) : {};
	const concurrency = Math.max(1, Math.floor(Number(options.concurrency ?? DEFAULT_CONCURRENCY)) || DEFAULT_CONCURRENCY);
	let firstFailure: number | undefined;

	const outcomes = await mapWithConcurrency(
		items.length,
		concurrency,
		async (itemIndex) => await run({ context: this, client, itemIndex, signal }),
		{
			shouldStop: () => signal.aborted,
			onFailure: (itemIndex) => {
				// Without Continue On Fail the first failure ends the run: the other jobs are cancelled.
				if (!continueOnFail && firstFailure === undefined) {
					firstFailure = itemIndex;
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
		throw toNodeError(node, describeError(error, errorContext), firstFailure);
	}
	const results: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = outcomes[itemIndex];
		if (outcome?.ok) {
			results.push(outcome.value);
			continue;
		}
		const described = describeError(outcome ? outcome.error : new UserInputError('The execution was stopped'), errorContext);
		if (!continueOnFail) throw toNodeError(node, described, itemIndex);
		results.push({
			json: { error: described.message, ...(described.description ? { description: described.description } : {}), ...described.details },
			pairedItem: { item: itemIndex },
		});
	}
	return [results];
}
