// The typed openapi-fetch client, for calls the queue lifecycle does not cover. Its own entry,
// so that the main entry does not load openapi-fetch for clients that never make raw calls.
export { bearerAuth, createRawClient, type RawClient, type RawClientOptions } from './node/raw-client.js';
// How the Node client picks a proxy from the environment (curl's rules) and the fetch that uses
// it, for tools that report it or send on their own (`kontext doctor`, a raw client); here so
// that the main entry does not load them up front.
export { createProxyFetch, proxyForScheme, proxySettingsFrom, type ProxySettings } from './node/proxy-fetch.js';
// How the Node helpers read an image file's header before sending it (its first 256 KB and its
// size), for tools that check files up front (`kontext edit`'s inputs); here for the same reason.
export { readImageFileHead } from './node/file-head.js';
