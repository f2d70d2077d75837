import {
  apiKeyMessage,
  apiKeyProblem,
  createFetchTransport,
  createKontextClient,
  DEFAULT_BASE_URL,
  InputError,
  normalizeBaseUrl,
  type KontextClient,
  type Transport,
} from '@anyapi-kontext/core';
import { UsageError } from './command.js';

export interface Connection {
  client: KontextClient;
  baseUrl: string;
  /**
   * A client with the same key for `baseUrl` (this connection's own client when it is the same)
   * and a fetch transport for calls that need the answer as sent: `kontext doctor`, also through
   * a recording proxy. Built on the call, so the commands that never send raw build none.
   */
  withTransport(baseUrl?: string): { client: KontextClient; transport: Transport };
  /** True when no key was set and we talk to the emulator we started ourselves. */
  emulator: boolean;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /**
   * The command that needs a real key names itself here: without ANYAPI_API_KEY it refuses to
   * run. Left out (`edit`), no key means a local emulator started in this process, so a newcomer
   * can try the command with no key and no network.
   */
  requireKeyFor?: string;
}

/**
 * A client for AnyAPI when ANYAPI_API_KEY is set, else (for commands that allow it) a local
 * emulator. `notice` gets the one line that says which. A key or base URL that cannot be used
 * is a UsageError naming its variable, and never shows the key.
 */
export async function connect(env: NodeJS.ProcessEnv, notice: (line: string) => void, options: ConnectOptions = {}): Promise<Connection> {
  const apiKey = env.ANYAPI_API_KEY?.trim();
  if (apiKey) {
    const problem = apiKeyProblem(apiKey);
    if (problem) throw new UsageError(apiKeyMessage('ANYAPI_API_KEY', problem));
    return connectionTo(apiKey, baseUrlFrom(env), { emulator: false, close: async () => {} });
  }
  if (options.requireKeyFor) {
    throw new UsageError(
      `kontext ${options.requireKeyFor} needs ANYAPI_API_KEY: set it to your AnyAPI key (only edit falls back to a local emulator)`,
    );
  }
  // Loaded only when needed: the emulator pulls in an image library a keyed run never uses.
  const { startEmulator } = await import('@anyapi-kontext/emulator');
  const emulator = await startEmulator({ port: 0 });
  // The emulator runs in this process: a proxy the environment names cannot reach it (the
  // core's fetch reads NO_PROXY from process.env, as curl would, for the client and downloads).
  bypassProxyFor(new URL(emulator.url).hostname);
  notice(`No ANYAPI_API_KEY set: using a local emulator at ${emulator.url} (placeholder edits).`);
  return connectionTo(emulator.apiKey, emulator.url, { emulator: true, close: () => emulator.stop() });
}

function connectionTo(apiKey: string, baseUrl: string, rest: Pick<Connection, 'emulator' | 'close'>): Connection {
  const client = createKontextClient({ apiKey, baseUrl });
  return {
    client,
    baseUrl,
    withTransport: (other = baseUrl) => ({
      client: other === baseUrl ? client : createKontextClient({ apiKey, baseUrl: other }),
      transport: createFetchTransport({ apiKey, baseUrl: other }),
    }),
    ...rest,
  };
}

export function baseUrlFrom(env: NodeJS.ProcessEnv): string {
  const value = env.ANYAPI_BASE_URL?.trim();
  if (!value) return DEFAULT_BASE_URL;
  try {
    return normalizeBaseUrl(value, 'ANYAPI_BASE_URL');
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }
}

function bypassProxyFor(host: string): void {
  const name = process.env.no_proxy !== undefined ? 'no_proxy' : 'NO_PROXY';
  const current = process.env[name]?.trim();
  if (current === '*') return;
  process.env[name] = current ? `${current},${host}` : host;
}
