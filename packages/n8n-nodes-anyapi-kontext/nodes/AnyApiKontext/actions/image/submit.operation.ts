import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { modelExtraOptions } from '../../generated/models';
import { namingModelPath, UserInputError } from '../../shared/errors';
import type { ItemOperation } from '../router';
import { optionsCollection, optionsOf } from './common';
import { buildModelInput } from './modelInput';

/** Where AnyAPI POSTs the outcome when the job ends: with a Wait node, the execution frees its worker meanwhile. */
const webhookUrlOption: INodeProperties = {
	displayName: 'Webhook URL',
	name: 'webhookUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $execution.resumeUrl }}',
	description:
		'AnyAPI POSTs the outcome of the job here when it ends (sent as fal_webhook). Use {{ $execution.resumeUrl }} with a Wait node set to resume On Webhook Call (POST), then Get Result.',
};

/** Submit's own properties; the model and its fields come from modelInput.ts, shown for Edit and Submit. */
export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['submit'] } }, [
	optionsCollection([...modelExtraOptions, webhookUrlOption]),
]);

/** Items take turns to submit (see shared/startOrder.ts). */
export const startsJobs = true;

/** Queues the job and returns its request ID and URLs at once. */
export const execute: ItemOperation = async ({ context, client, itemIndex, combinedItems }) => {
	const webhookUrl = webhookUrlOf(context, itemIndex);
	const { endpoint, byPath, input } = await buildModelInput(context, itemIndex, combinedItems);
	const ticket = await namingModelPath(byPath ? endpoint : undefined, async () => await client.submitAny(endpoint, input, webhookUrl ? { webhookUrl } : {}));
	return {
		json: {
			requestId: ticket.request_id,
			status: ticket.status,
			queuePosition: ticket.queue_position ?? null,
			statusUrl: ticket.status_url,
			responseUrl: ticket.response_url,
			cancelUrl: ticket.cancel_url,
		},
		// Version 2's Combine sends the images of all items to one job: it answers for every item.
		// Always a list with Combine, even of one item (not pairedTo's `{ item: 0 }`): as released.
		pairedItem: combinedItems ? combinedItems.map((item) => ({ item })) : { item: itemIndex },
	};
};

/** The Webhook URL option, checked before anything is sent (empty: no webhook). */
function webhookUrlOf(context: Parameters<ItemOperation>[0]['context'], itemIndex: number): string | undefined {
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
