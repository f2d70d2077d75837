import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { ItemOperation } from '../router';
import { requestIdOf, requestIdProperty } from './common';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['cancel'] } }, [requestIdProperty]);

/** Asks the server to cancel the job: CANCELLATION_REQUESTED, or ALREADY_COMPLETED. */
export const execute: ItemOperation = async ({ context, client, itemIndex, signal }) => {
	const requestId = requestIdOf(context, itemIndex);
	const status = await client.cancel(requestId, { signal });
	return { json: { requestId, status }, pairedItem: { item: itemIndex } };
};
