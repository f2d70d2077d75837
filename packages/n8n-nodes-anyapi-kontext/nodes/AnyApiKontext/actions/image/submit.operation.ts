import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { modelExtraOptions } from '../../generated/models';
import type { ItemOperation } from '../router';
import { buildModelInput } from './modelInput';

/** Submit's own properties; the model and its fields come from modelInput.ts, shown for Edit and Submit. */
export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['submit'] } }, [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...modelExtraOptions],
	},
]);

/** Queues the job and returns its request ID and URLs at once. */
export const execute: ItemOperation = async ({ context, client, itemIndex }) => {
	const { endpoint, input } = await buildModelInput(context, itemIndex);
	const ticket = await client.submit(input as never, { endpoint });
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
