import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import { createKontextClient, InputError } from '../src/index.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.stop());
afterEach(() => {
  vi.unstubAllEnvs();
  emulator.resetCounters();
});

describe('createKontextClient options', () => {
  it('takes the key and base URL from ANYAPI_API_KEY and ANYAPI_BASE_URL when not given', async () => {
    vi.stubEnv('ANYAPI_API_KEY', emulator.apiKey);
    vi.stubEnv('ANYAPI_BASE_URL', `${emulator.url}/`);
    const usage = await createKontextClient().usage();
    expect(usage.object).toBe('token_usage');
    expect(emulator.counters.usage).toBe(1);
  });

  it('prefers what is passed over the environment', async () => {
    vi.stubEnv('ANYAPI_API_KEY', 'a-key-from-the-environment');
    vi.stubEnv('ANYAPI_BASE_URL', 'http://127.0.0.1:9');
    await createKontextClient({ apiKey: emulator.apiKey, baseUrl: emulator.url }).usage();
    expect(emulator.counters.usage).toBe(1);
  });

  it('without a key anywhere, says how to give one, before any request', () => {
    vi.stubEnv('ANYAPI_API_KEY', undefined);
    for (const options of [undefined, {}, { apiKey: '' }, { apiKey: '   ' }]) {
      let error: unknown;
      try {
        createKontextClient(options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).fieldErrors).toEqual([
        { field: 'apiKey', message: 'apiKey is required: pass your AnyAPI key, or set the ANYAPI_API_KEY environment variable' },
      ]);
    }
    expect(emulator.counters.total).toBe(0);
  });
});
