import { detailReply, jsonReply, type Reply } from '../http/reply.js';
import type { Route } from '../router.js';

/** The routes beside the queue: the account's token usage and the output image files. */

/** `GET /api/usage/token/`: AnyAPI's free key check, with usage growing as images are made. */
export const usageRoute: Route = {
  name: 'usage',
  method: 'GET',
  requiresAuth: true,
  match: (pathname) => (pathname === '/api/usage/token/' || pathname === '/api/usage/token' ? {} : undefined),
  async handle(context) {
    return jsonReply(200, { code: true, message: 'ok', data: context.services.usage.report() });
  },
};

/** `GET /files/<request id>/<n>.<ext>`: output images, public like fal's file host. */
export const filesRoute: Route = {
  name: 'files',
  method: 'GET',
  requiresAuth: false,
  match: (pathname) => (/^\/files\/[^/]+\/[^/]+$/.test(pathname) ? { path: pathname } : undefined),
  async handle(context): Promise<Reply> {
    const file = context.services.files.get(context.params.path ?? '');
    if (!file) return detailReply(404, 'File not found');
    return {
      kind: 'bytes',
      status: 200,
      body: file.bytes,
      contentType: file.contentType,
      headers: { 'cache-control': 'public, max-age=31536000, immutable' },
    };
  },
};
