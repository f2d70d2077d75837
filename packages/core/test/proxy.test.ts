import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCountingProxy, startEmulator, type CountingProxy, type RunningEmulator as Emulator } from '@anyapi-kontext/emulator';
import { createKontextClient, downloadImage, InputError } from '../src/index.js';
import { pngDataUrl } from './support/png.js';

// The https side (a CONNECT tunnel to a TLS server) is tested through the real CLI, which can
// be told to trust a test certificate: apps/kontext-cli/test/proxy.e2e.test.ts.

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY', 'all_proxy', 'ALL_PROXY'];

let emulator: Emulator;
let proxy: CountingProxy;
let port: number;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, jobDuration: 10 });
  port = Number(new URL(emulator.url).port);
  // Every host name the proxy is asked for is the emulator.
  proxy = await startCountingProxy({ route: () => ({ host: '127.0.0.1', port }) });
});
afterAll(async () => {
  await proxy?.stop();
  await emulator?.stop();
});
beforeEach(() => {
  // A developer's own proxy settings must not decide these tests.
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, undefined);
  emulator.resetCounters();
  proxy.tunnels.length = 0;
  proxy.forwarded.length = 0;
  return () => vi.unstubAllEnvs();
});

const client = (host: string) => createKontextClient({ apiKey: emulator.apiKey, baseUrl: `http://${host}:${port}`, retry: { maxRetries: 0 } });

describe('HTTP_PROXY and HTTPS_PROXY', () => {
  it('sends every http request through HTTP_PROXY, forwarded as curl does (no tunnel), image downloads included', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    // No DNS knows this name: only the proxy can reach it.
    const kontext = client('api.kontext.test');
    const result = await kontext.run({ prompt: 'a proxied edit', image_url: pngDataUrl(8, 8) });
    await downloadImage(result.data.images[0]!);
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.forwarded.length).toBe(emulator.counters.total);
    expect(proxy.forwarded[0]).toBe(`http://api.kontext.test:${port}/fal-ai/flux-pro/kontext`);
    expect(proxy.forwarded.at(-1)).toBe(result.data.images[0]!.url);
    expect(emulator.counters.submits).toBe(1);
  });

  it('takes a proxy written without a scheme as http://, and the lowercase name over the uppercase one', async () => {
    vi.stubEnv('http_proxy', proxy.url.replace('http://', ''));
    vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9');
    await client('api.kontext.test').usage();
    expect(proxy.forwarded).toEqual([`http://api.kontext.test:${port}/api/usage/token/`]);
  });

  it('does not send http:// URLs through HTTPS_PROXY (each scheme has its own variable, as in curl)', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url);
    await client('127.0.0.1').usage();
    expect(emulator.counters.usage).toBe(1);
    expect([...proxy.tunnels, ...proxy.forwarded]).toEqual([]);
  });

  it('refuses a proxy variable that is not an http(s) URL, naming it, before anything is sent', async () => {
    vi.stubEnv('HTTPS_PROXY', 'socks5://127.0.0.1:1080');
    const error = await client('127.0.0.1').usage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/HTTPS_PROXY must be an http:\/\/ or https:\/\/ proxy URL \(got socks5:\/\/\)/);
    vi.stubEnv('HTTPS_PROXY', undefined);
    vi.stubEnv('http_proxy', 'http://');
    await expect(downloadImage(`http://127.0.0.1:${port}/files/x.png`)).rejects.toThrow(/http_proxy must be a proxy URL such as http:\/\/proxy\.example:8080/);
    expect(emulator.counters.total).toBe(0);
  });
});

describe('NO_PROXY, as curl reads it', () => {
  // [NO_PROXY value, host of the base URL, whether the request goes through the proxy]
  // Each row was checked against curl 7.88 (`curl -x <proxy> --noproxy` reads the same list).
  const cases: [string, string, boolean][] = [
    ['*', '127.0.0.1', false],
    ['127.0.0.1', '127.0.0.1', false],
    ['example.com, 127.0.0.1', '127.0.0.1', false],
    ['localhost', 'localhost', false],
    ['.localhost', 'localhost', false],
    ['LOCALHOST', 'localhost', false],
    ['127.0.0.2', '127.0.0.1', true],
    ['kontext.test', 'api.kontext.testing', true],
    ['kontext.test', 'notkontext.test', true],
    ['', 'api.kontext.test', true],
  ];
  it.each(cases)('NO_PROXY=%j with host %s: proxied %s', async (noProxy, host, proxied) => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', noProxy);
    await client(host).usage();
    expect(emulator.counters.usage).toBe(1);
    expect(proxy.forwarded.length).toBe(proxied ? 1 : 0);
  });

  it('no_proxy wins over NO_PROXY', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('no_proxy', '127.0.0.1');
    vi.stubEnv('NO_PROXY', 'example.com');
    await client('127.0.0.1').usage();
    expect(proxy.forwarded).toEqual([]);
  });
});
