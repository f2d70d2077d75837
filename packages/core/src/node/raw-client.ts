import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { InputError } from '../errors.js';
import { normalizeBaseUrl } from '../urls/host-swap.js';
import { apiKeyMessage, apiKeyProblem } from '../validation/api-key.js';

/** The typed openapi-fetch client for raw calls: `raw.GET('/api/usage/token/')`. */
export type RawClient = Client<paths>;

/** Adds AnyAPI's bearer auth to every request. The key is checked first and sent trimmed. */
export function bearerAuth(apiKey: string): Middleware {
  const problem = apiKeyProblem(apiKey);
  if (problem) throw new InputError([{ field: 'apiKey', message: apiKeyMessage('apiKey', problem) }]);
  apiKey = apiKey.trim();
  return {
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${apiKey}`);
      return request;
    },
  };
}

export function createRawClient(options: { apiKey: string; baseUrl: string; fetch?: typeof fetch }): RawClient {
  const auth = bearerAuth(options.apiKey);
  const client = createClient<paths>({
    baseUrl: normalizeBaseUrl(options.baseUrl),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(auth);
  return client;
}
