import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { modelExtraOptions } from '../../generated/models';
import { namingModelPath, UserInputError } from '../../shared/errors';
import type { ItemOperation } from '../router';
import { downloadOptions, optionsOf, outputItems, versionedOptions } from './common';
import { buildModelInput } from './modelInput';

const DEFAULT_TIMEOUT_MINUTES = 10;

const waitOptions: INodeProperties[] = [
	{
		displayName: 'Time-Out (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: DEFAULT_TIMEOUT_MINUTES,
		description: 'How long to wait for each job; a job still running then is cancelled on the server',
	},
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 32, numberPrecision: 0 },
		default: 4,
		description: 'How many jobs run on AnyAPI at the same time. A finished job makes room for the next at once; its images download meanwhile.',
	},
];

const byName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/** Edit's own properties; the model and its fields come from modelInput.ts, shown for Edit and Submit. */
export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: ['image'], operation: ['edit'] } },
	versionedOptions(
		[...modelExtraOptions, ...waitOptions, ...downloadOptions.version1].sort(byName),
		[...modelExtraOptions, ...waitOptions, ...downloadOptions.version2].sort(byName),
	),
);

/** Items take turns to submit (see shared/startOrder.ts). */
export const startsJobs = true;

/**
 * Submits the job, waits for it (cancelling it on time-out or stop) and returns its images:
 * version 1 in one item, version 2 one item per image, or as a tool the images' URLs.
 */
export const execute: ItemOperation = async (item) => {
	const { context, client, itemIndex, signal } = item;
	const options = optionsOf(context, itemIndex);
	const minutes = Number(options.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES);
	if (!(minutes > 0)) {
		throw new UserInputError(`Item ${itemIndex + 1}: Time-Out must be above 0 minutes (got ${String(options.timeoutMinutes)})`);
	}
	const { endpoint, byPath, input, fileStem, inputImages } = await buildModelInput(context, itemIndex, item.combinedItems);
	// runAny checks a listed model's input against its schema, as run does; a path By Path is sent as given.
	const result = await namingModelPath(byPath ? endpoint : undefined, async () =>
		await client.runAny(endpoint, input, {
			timeout: Math.round(minutes * 60_000),
			signal,
			// The next item's job starts while this one's result and images are fetched.
			onUpdate: ({ status }) => {
				if (status === 'COMPLETED') item.release();
			},
		}),
	);
	const facts = { model: endpoint, inputImages, items: item.combinedItems ?? [itemIndex], ...(fileStem ? { fileStem } : {}) };
	return await outputItems(item, result, options, facts, fileStem);
};
