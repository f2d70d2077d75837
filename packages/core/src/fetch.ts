// The typed openapi-fetch client, for calls the queue lifecycle does not cover. Its own entry,
// so that the main entry does not load openapi-fetch for clients that never make raw calls.
export { bearerAuth, createRawClient, type RawClient, type RawClientOptions } from './node/raw-client.js';
