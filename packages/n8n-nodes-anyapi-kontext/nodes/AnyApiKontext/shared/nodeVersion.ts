import type { IDisplayOptions, IExecuteFunctions } from 'n8n-workflow';

/**
 * The node's behaviour versions, n8n's light versioning on one class: a saved workflow keeps
 * its `typeVersion`, properties are gated with `displayOptions.show['@version']` and `execute`
 * branches on the version. Behaviour versions are whole numbers (one `versions/<n>.json` each);
 * the generator adds minor steps (1.1, 2.1, ...) when the spec changes incompatibly, which
 * behave as their whole number. The list of versions is generated (generated/models.ts).
 * Version 1: one output item per job, images in `data`, `data_1`, ...; version 2: one output
 * item per image, images as a list, and an answer an AI Agent can read.
 */

/** Shown only in version-1 nodes (1, 1.1, ...: saved before version 2 existed). */
export const onlyVersion1: IDisplayOptions['show'] = { '@version': [{ _cnd: { lt: 2 } }] };
/** Shown from version 2 on. */
export const fromVersion2: IDisplayOptions['show'] = { '@version': [{ _cnd: { gte: 2 } }] };

/** The node's behaviour version: the whole number of the version saved in the workflow. */
export function nodeVersionOf(context: IExecuteFunctions): number {
	return Math.floor(Number(context.getNode().typeVersion) || 1);
}

/**
 * Whether n8n runs the node as an AI Agent's tool: n8n converts a `usableAsTool` node into a
 * node type of the same name plus `Tool` (e.g. `anyApiKontextTool`), and runs that one.
 */
export function runsAsTool(context: IExecuteFunctions): boolean {
	return String(context.getNode().type ?? '').endsWith('Tool');
}
