// The codex file decides where the editor's nodes panel lists the node. n8n's node creator (both
// 1.123 and 2.41: filterOutAiNodes) hides every node in category "AI" outside the AI panel unless
// its AI subcategories include "Root Nodes"; without it the node is found only under
// "Miscellaneous (sub-nodes)". The real-browser test (e2e/ui) shows the search working.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { AnyApiKontext } from '../nodes/AnyApiKontext/AnyApiKontext.node';

const root = path.join(import.meta.dirname, '..');
const codex = JSON.parse(fs.readFileSync(path.join(root, 'nodes', 'AnyApiKontext', 'AnyApiKontext.node.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The AI subcategories of n8n's sub-nodes (nodes that plug into an agent or chain, not into the main flow). */
const SUB_NODE_SUBCATEGORIES = ['Document Loaders', 'Embeddings', 'Language Models', 'Memory', 'Output Parsers', 'Retrievers', 'Text Splitters', 'Tools', 'Vector Stores'];

describe('codex', () => {
	it('names the node as n8n registers it: <package>.<node name>', () => {
		expect(codex.node).toBe(`${pkg.name}.${new AnyApiKontext().description.name}`);
	});

	it('lists the node in the regular panel and the AI panel as a root node, not as a sub-node', () => {
		expect(codex.categories).toContain('AI');
		expect(codex.subcategories.AI).toContain('Root Nodes');
		for (const sub of SUB_NODE_SUBCATEGORIES) expect(codex.subcategories.AI).not.toContain(sub);
		expect(new AnyApiKontext().description.inputs).toEqual(['main']);
	});

	it('has the aliases people search for', () => {
		for (const term of ['AnyAPI', 'Kontext', 'FLUX', 'image edit']) expect(codex.alias).toContain(term);
	});
});
