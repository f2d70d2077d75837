import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';

/** The typed openapi-fetch client for raw calls: `raw.GET('/api/usage/token/')`. */
export type RawClient = Client<paths>;

/** Adds AnyAPI's bearer auth to every request. */
export function bearerAuth(apiKey: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${apiKey}`);
      return request;
    },
  };
}

export function createRawClient(options: { apiKey: string; baseUrl: string; fetch?: typeof fetch }): RawClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(bearerAuth(options.apiKey));
  return client;
}
