// Which properties n8n shows for given parameters, node version and tool mode: n8n's own
// displayParameter (the editor and getNodeParameters use it), not a copy of its rules.
import { NodeHelpers, type INode, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';

const description = new AnyApiKontext().description;

export interface ShownFor {
	/** The node's saved typeVersion (default 1). */
	version?: number;
	/** As n8n's tool variant (`anyApiKontextTool`) runs it. */
	tool?: boolean;
	list?: INodeProperties[];
	/** The node's top-level parameters, for conditions inside a collection. */
	root?: Record<string, unknown>;
}

export function shownProperties(parameters: Record<string, unknown>, { version = 1, tool = false, list = description.properties, root }: ShownFor = {}): INodeProperties[] {
	const typeDescription = { ...description, name: tool ? `${description.name}Tool` : description.name } as INodeTypeDescription;
	const node = { typeVersion: version, type: `CUSTOM.${typeDescription.name}`, parameters } as unknown as INode;
	return list.filter((p) =>
		NodeHelpers.displayParameter(parameters as never, p, node, typeDescription, (root ?? parameters) as never),
	);
}
