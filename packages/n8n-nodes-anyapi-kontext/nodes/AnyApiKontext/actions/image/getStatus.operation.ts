import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { ItemOperation } from '../router';
import { namingModelPath } from '../../shared/errors';
import { jobModelPathProperty, jobRefOf, requestIdProperty } from './common';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['getStatus'] } }, [
	requestIdProperty,
	jobModelPathProperty,
	{
		displayName: 'Include Logs',
		name: 'includeLogs',
		type: 'boolean',
		default: false,
		description: "Whether to include the job's logs",
	},
]);

/** The job's status (IN_QUEUE with its position, IN_PROGRESS, COMPLETED), with its logs if asked. */
export const execute: ItemOperation = async ({ context, client, itemIndex, signal }) => {
	const { requestId, ref, modelPath } = jobRefOf(context, itemIndex);
	const logs = context.getNodeParameter('includeLogs', itemIndex, false) as boolean;
	const status = (await namingModelPath(modelPath, async () => await client.status(ref, { logs, signal }))) as unknown as IDataObject;
	const json: IDataObject = { requestId, ...status };
	if (!logs) delete json.logs;
	return { json, pairedItem: { item: itemIndex } };
};
