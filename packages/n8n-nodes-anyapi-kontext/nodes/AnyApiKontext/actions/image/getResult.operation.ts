import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { ItemOperation } from '../router';
import { namingModelPath } from '../../shared/errors';
import { downloadOptions, jobModelPathProperty, jobRefOf, optionsOf, outputItems, requestIdProperty, versionedOptions } from './common';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['getResult'] } }, [
	requestIdProperty,
	jobModelPathProperty,
	...versionedOptions(downloadOptions.version1, downloadOptions.version2),
]);

/** The result of a finished job, its images downloaded unless Download Images is off (version 2: one item per image). */
export const execute: ItemOperation = async (item) => {
	const { context, client, itemIndex, signal } = item;
	const { ref, modelPath } = jobRefOf(context, itemIndex);
	const result = await namingModelPath(modelPath, async () => await client.result(ref, { signal }));
	const options = optionsOf(context, itemIndex);
	return await outputItems(item, result, options, { items: [itemIndex] });
};
