import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { ItemOperation } from '../router';
import { downloadOptions, optionsOf, requestIdOf, requestIdProperty, withImages } from './common';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['getResult'] } }, [
	requestIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: downloadOptions,
	},
]);

/** The result of a finished job, its images downloaded unless Download Images is off. */
export const execute: ItemOperation = async (item) => {
	const { context, client, itemIndex, signal } = item;
	const result = await client.result(requestIdOf(context, itemIndex), { signal });
	return await withImages(item, result, optionsOf(context, itemIndex));
};
