import { jsonReply } from '../http/reply.js';
import type { Route } from '../router.js';

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
