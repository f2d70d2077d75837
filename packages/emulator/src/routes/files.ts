import { detailReply, type Reply } from '../http/reply.js';
import type { Route } from '../router.js';

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
