import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import { AuthenticationError, createKontextClient, InputError } from '../src/index.js';
import { pngDataUrl } from './support/png.js';
import { everythingShown, expectNoKeyIn } from './support/secrets.js';

const SECRET = 'sk-live-7f3a9c2e5b1d4f8a0c6e2b9d';
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 10 });
});
afterAll(() => emulator.stop());

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

describe('keys that cannot be sent are refused without being shown', () => {
  const keys = {
    'a line break inside': ['sk-first-line-7f3a9c2e\nsecond-line-5b1d4f8a', /it contains a line break/],
    'a CRLF inside': ['sk-first-line-4c8e1a2b\r\nsecond-line-9d7f3e6c', /it contains a line break/],
    'a space inside': ['sk-left-half-3e9a7c1f right-half-8b2d6f4a', /it contains a space or a tab/],
    'a tab inside': ['sk-left-half-6a1c9e3b\tright-half-2f8d4b7c', /it contains a space or a tab/],
    'unicode inside': ['sk-ключ-секрет-7c3e9a1f', /not printable ASCII/],
    'an emoji inside': ['sk-emoji-🔑-4b8d2f6a1c', /not printable ASCII/],
    'a control character inside': ['sk-bell-\u0007-9e3a7c1f5b', /it contains a control character/],
    'a NUL inside': ['sk-nul-\u0000-2d6f8b4a1c', /it contains a control character/],
  } as const;

  for (const [name, [key, problem]] of Object.entries(keys)) {
    it(`${name}: an InputError before anything is sent`, () => {
      let error: unknown;
      try {
        createKontextClient({ apiKey: key, baseUrl: emulator.url });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).fieldErrors[0]?.field).toBe('apiKey');
      expect((error as Error).message).toMatch(/^apiKey must be your AnyAPI key: one line of printable ASCII with no spaces inside \(/);
      expect((error as Error).message).toMatch(problem);
      expectNoKeyIn(everythingShown(error), key);
    });
  }

  it('from ANYAPI_API_KEY, the error names the variable', () => {
    vi.stubEnv('ANYAPI_API_KEY', keys['a line break inside'][0]);
    try {
      expect(() => createKontextClient({ baseUrl: emulator.url })).toThrow(/^ANYAPI_API_KEY must be your AnyAPI key/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a key pasted with spaces or a line break around it is sent trimmed', async () => {
    const usage = await createKontextClient({ apiKey: `  ${emulator.apiKey}\n`, baseUrl: emulator.url }).usage();
    expect(usage.object).toBe('token_usage');
  });

  it('a key with quotes is sent, and a refusal does not show it', async () => {
    const key = `sk-"quoted'-key-5c9e1a3f7b`;
    const error = await createKontextClient({ apiKey: key, baseUrl: emulator.url })
      .run({ prompt: 'x', image_url: pngDataUrl(8, 8) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoKeyIn(everythingShown(error), key);
  });

  it('a key passed as the base URL by mistake is not quoted', () => {
    let error: unknown;
    try {
      createKontextClient({ apiKey: 'https://www.anyapi.vip', baseUrl: SECRET });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^baseUrl must be an http\(s\) URL such as https:\/\/www\.anyapi\.vip \(it is not a URL\)$/);
    expectNoKeyIn(everythingShown(error), SECRET);
  });
});
