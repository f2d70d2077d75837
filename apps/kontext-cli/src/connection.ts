import { createKontextClient, DEFAULT_BASE_URL, type KontextClient } from '@anyapi-kontext/core';

export interface Connection {
  client: KontextClient;
  baseUrl: string;
  /** True when no key was set and we talk to the emulator we started ourselves. */
  emulator: boolean;
  close(): Promise<void>;
}

/**
 * A client for AnyAPI when ANYAPI_API_KEY is set; otherwise a local emulator started in this
 * process, so a newcomer can try the command with no key and no network. `notice` gets the one
 * line that says which.
 */
export async function connect(env: NodeJS.ProcessEnv, notice: (line: string) => void): Promise<Connection> {
  const apiKey = env.ANYAPI_API_KEY?.trim();
  if (apiKey) {
    const baseUrl = env.ANYAPI_BASE_URL?.trim() || DEFAULT_BASE_URL;
    return {
      client: createKontextClient({ apiKey, baseUrl }),
      baseUrl,
      emulator: false,
      close: async () => {},
    };
  }
  // Loaded only when needed: the emulator pulls in an image library a keyed run never uses.
  const { startEmulator } = await import('@anyapi-kontext/emulator');
  const emulator = await startEmulator({ port: 0 });
  notice(`No ANYAPI_API_KEY set: using a local emulator at ${emulator.url} (placeholder edits).`);
  return {
    client: createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }),
    baseUrl: emulator.url,
    emulator: true,
    close: () => emulator.stop(),
  };
}
