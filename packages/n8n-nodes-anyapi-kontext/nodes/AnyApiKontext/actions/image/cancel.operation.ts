import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { ItemOperation } from '../router';
import { namingModelPath } from '../../shared/errors';
import { jobModelPathProperty, jobRefOf, requestIdProperty } from './common';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['cancel'] } }, [
	requestIdProperty,
	jobModelPathProperty,
]);

/** Asks the server to cancel the job: CANCELLATION_REQUESTED, or ALREADY_COMPLETED. */
export const execute: ItemOperation = async ({ context, client, itemIndex, signal }) => {
	const { requestId, ref, modelPath } = jobRefOf(context, itemIndex);
	const status = await namingModelPath(modelPath, async () => await client.cancel(ref, { signal }));
	return { json: { requestId, status }, pairedItem: { item: itemIndex } };
};
