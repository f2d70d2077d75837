import type { EnvHttpProxyAgent } from 'undici';
import { InputError } from '../errors.js';

/** The proxies the environment names, read by curl's rules (see `proxySettingsFrom`). */
export interface ProxySettings {
  /** For http:// URLs: `http_proxy`, else `HTTP_PROXY`. */
  httpProxy?: string;
  /** For https:// URLs: `https_proxy`, else `HTTPS_PROXY`. */
  httpsProxy?: string;
  /** `no_proxy`, else `NO_PROXY`: hosts reached directly ('' when unset). */
  noProxy: string;
}

/**
 * Which proxy applies to which URL, as curl decides it: each scheme has its own variable (an
 * https URL is not sent through `HTTP_PROXY`, which undici's `EnvHttpProxyAgent` would do on its
 * own), the lowercase name wins, an empty value is unset, and a proxy written without a scheme
 * is `http://`. Unlike curl, the uppercase `HTTP_PROXY` counts too (curl skips it because of
 * CGI's httpoxy; a command line and a library have no such header), and `ALL_PROXY` is not read.
 * Undefined when no proxy is named: then nothing proxy-related is loaded.
 */
export function proxySettingsFrom(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const httpProxy = proxyUrl(env, 'http_proxy', 'HTTP_PROXY');
  const httpsProxy = proxyUrl(env, 'https_proxy', 'HTTPS_PROXY');
  if (!httpProxy && !httpsProxy) return undefined;
  return {
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    noProxy: (env.no_proxy ?? env.NO_PROXY ?? '').trim(),
  };
}

/** The proxy that `url` goes through by scheme, before NO_PROXY (which undici's agent applies). */
export function proxyForScheme(settings: ProxySettings, url: URL): string | undefined {
  if (url.protocol === 'https:') return settings.httpsProxy;
  if (url.protocol === 'http:') return settings.httpProxy;
  return undefined;
}

function proxyUrl(env: NodeJS.ProcessEnv, lower: string, upper: string): string | undefined {
  const name = env[lower]?.trim() ? lower : upper;
  const value = env[name]?.trim();
  if (!value) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InputError([{ field: name, message: `${name} must be a proxy URL such as http://proxy.example:8080 (it is not a URL)` }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError([{ field: name, message: `${name} must be an http:// or https:// proxy URL (got ${url.protocol}//)` }]);
  }
  return url.href;
}

/**
 * The global fetch, sent through the proxy `env` names (read once, here). The proxy
 * agent is undici's `EnvHttpProxyAgent` (the CONNECT tunnel for https, plain forwarding for
 * http as curl does it, and the NO_PROXY matching), loaded on the first request that needs it:
 * undici is larger than the whole client, and most users set no proxy.
 */
export function createProxyFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  const settings = proxySettingsFrom(env);
  if (!settings) return (input, init) => fetch(input, init);
  let agent: Promise<EnvHttpProxyAgent> | undefined;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!proxyForScheme(settings, url)) return fetch(input, init);
    agent ??= import('undici').then(
      ({ EnvHttpProxyAgent }) =>
        new EnvHttpProxyAgent({
          // Only URLs of a scheme with a proxy reach the agent, so each fallback is never used;
          // both are given so that undici does not read the environment again.
          httpProxy: settings.httpProxy ?? settings.httpsProxy,
          httpsProxy: settings.httpsProxy ?? settings.httpProxy,
          noProxy: settings.noProxy,
          // http URLs are forwarded to the proxy as curl does, not tunnelled; https always tunnels.
          proxyTunnel: false,
        }),
    );
    // Node's own fetch takes a dispatcher from the undici package (Node 20 bundles undici 6,
    // whose handler calls undici 7 still answers); only their type declarations differ.
    const dispatcher: unknown = await agent;
    return fetch(input, { ...init, dispatcher } as RequestInit);
  };
}

let shared: { settings: string; fetch: typeof fetch } | undefined;

/**
 * `createProxyFetch(process.env)`, one per proxy setting: the client and the image downloads
 * share its agent and so its open connections to the proxy.
 */
export function environmentFetch(): typeof fetch {
  const settings = JSON.stringify(proxySettingsFrom(process.env) ?? null);
  if (shared?.settings !== settings) shared = { settings, fetch: createProxyFetch(process.env) };
  return shared.fetch;
}
