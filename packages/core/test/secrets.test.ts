import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import { AuthenticationError, createKontextClient } from '../src/index.js';
import { pngDataUrl } from './support/png.js';

const SECRET = 'sk-live-7f3a9c2e5b1d4f8a0c6e2b9d';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 10 });
});
afterAll(() => emulator.stop());

/** Everything a user could print of an error. */
function everythingShown(error: unknown): string {
  return [String(error), (error as Error).stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join('\n');
}

describe('the API key never shows', () => {
  it('a refused key gives an error that says so, without the key', async () => {
    const kontext = createKontextClient({ apiKey: SECRET, baseUrl: emulator.url });
    const error = await kontext.run({ prompt: 'x', image_url: pngDataUrl(8, 8) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/failed with 401: the API key was refused/);
    expect(everythingShown(error)).not.toContain(SECRET);
    expect(inspect(kontext, { depth: 10 })).not.toContain(SECRET);
  });

  it('not even when the server echoes it back in the error body', async () => {
    const echoingFetch: typeof fetch = async (request) => {
      const auth = (request as Request).headers.get('authorization') ?? '';
      return new Response(JSON.stringify({ detail: `Invalid token: ${auth}` }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    };
    const kontext = createKontextClient({ apiKey: SECRET, baseUrl: 'http://anyapi.invalid', fetch: echoingFetch });
    const error = await kontext.usage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/Invalid token: Bearer \[redacted\]/);
    expect(everythingShown(error)).not.toContain(SECRET);
  });

  it('nor when the connection fails', async () => {
    const failingFetch: typeof fetch = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
    };
    const kontext = createKontextClient({ apiKey: SECRET, baseUrl: 'http://anyapi.invalid', fetch: failingFetch, retry: { maxRetries: 0 } });
    const error = await kontext.usage().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/could not reach the server/);
    expect(everythingShown(error)).not.toContain(SECRET);
  });
});
