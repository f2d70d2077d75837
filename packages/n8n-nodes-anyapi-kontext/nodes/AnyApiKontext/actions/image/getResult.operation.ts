import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { nodeVersionOf, runsAsTool } from '../../shared/nodeVersion';
import type { ItemOperation } from '../router';
import { namingModelPath } from '../../shared/errors';
import { downloadOptions, imageItems, jobModelPathProperty, jobRefOf, optionsOf, requestIdProperty, toolAnswer, versionedOptions, withImages } from './common';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['getResult'] } }, [
	requestIdProperty,
	jobModelPathProperty,
	...versionedOptions(downloadOptions.version1, downloadOptions.version2),
]);

/** The result of a finished job, its images downloaded unless Download Images is off (version 2: one item per image). */
export const execute: ItemOperation = async (item) => {
	const { context, client, itemIndex, signal } = item;
	const { ref, modelPath } = jobRefOf(context, itemIndex);
	const result = await namingModelPath(modelPath ?? '', modelPath !== undefined, async () => await client.result(ref, { signal }));
	const options = optionsOf(context, itemIndex);
	if (nodeVersionOf(context) < 2) return await withImages(item, result, options);
	if (runsAsTool(context)) return toolAnswer(result, { items: [itemIndex] });
	return await imageItems(item, result, options, { items: [itemIndex] });
};
