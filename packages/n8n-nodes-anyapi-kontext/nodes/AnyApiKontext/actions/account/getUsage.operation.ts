import type { IDataObject } from 'n8n-workflow';
import type { ItemOperation } from '../router';

/** The key's quota and usage; a free call. */
export const execute: ItemOperation = async ({ client, itemIndex, signal }) => {
	const usage = (await client.usage({ signal })) as unknown as IDataObject;
	return { json: { ...usage }, pairedItem: { item: itemIndex } };
};
