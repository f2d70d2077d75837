import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCountingProxy, startEmulator, type CountingProxy, type RunningEmulator } from '@anyapi-kontext/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, makeThreeImageFolder } from './fixtures.js';
import { runKontext } from './run-kontext.js';

// AnyAPI is reached over https: the emulator behind a TLS server whose test certificate the
// spawned CLI trusts (NODE_EXTRA_CA_CERTS), and a proxy that routes every name to that server.
const tls = fileURLToPath(new URL('./tls/', import.meta.url));
const certificate = join(tls, 'test-only.crt');

let emulator: RunningEmulator;
let front: https.Server;
let frontPort: number;
let proxy: CountingProxy;

beforeAll(async () => {
  front = https.createServer({ key: readFileSync(join(tls, 'test-only.key')), cert: readFileSync(certificate) }, (request, response) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: Number(new URL(emulator.url).port), method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontPort = (front.address() as AddressInfo).port;
  // The result's image URLs point at the https front too, so downloads cross the proxy.
  emulator = await startEmulator({ port: 0, jobDuration: 10, filesBaseUrl: `https://api.kontext.test:${frontPort}` });
  proxy = await startCountingProxy({ route: () => ({ host: '127.0.0.1', port: frontPort }) });
});
afterAll(async () => {
  await proxy?.stop();
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await emulator?.stop();
});
beforeEach(() => {
  emulator.resetCounters();
  proxy.tunnels.length = 0;
  proxy.forwarded.length = 0;
});

const env = (baseUrl: string, proxyVariables: Record<string, string>) => ({
  ANYAPI_API_KEY: emulator.apiKey,
  ANYAPI_BASE_URL: baseUrl,
  NODE_EXTRA_CA_CERTS: certificate,
  ...proxyVariables,
});

describe('kontext behind an HTTPS proxy', () => {
  it('reaches AnyAPI and downloads the results through CONNECT tunnels when HTTPS_PROXY is set', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    // api.kontext.test is known to no DNS: only the proxy can reach it.
    const run = await runKontext(['edit', 'photos/apple.png', '-p', 'x'], {
      cwd: work,
      env: env(`https://api.kontext.test:${frontPort}`, { HTTPS_PROXY: proxy.url }),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(work, 'out', 'apple.1.jpg')).length).toBeGreaterThan(0);
    expect(emulator.counters.submits).toBe(1);
    expect(emulator.counters.files).toBe(1);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`api.kontext.test:${frontPort}`]));
    expect(proxy.forwarded).toEqual([]);
  });

  it('goes direct to a host NO_PROXY names, and to https URLs when only HTTP_PROXY is set (as curl does)', async () => {
    const work = makeTempDir();
    const direct = `https://localhost:${frontPort}`;
    const excluded = await runKontext(['usage'], { cwd: work, env: env(direct, { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,.localhost' }) });
    const httpOnly = await runKontext(['usage'], { cwd: work, env: env(direct, { HTTP_PROXY: proxy.url }) });
    for (const run of [excluded, httpOnly]) expect(run.code, run.stderr).toBe(0);
    expect(emulator.counters.usage).toBe(2);
    expect([...proxy.tunnels, ...proxy.forwarded]).toEqual([]);
  });

  it('says which variable is wrong when a proxy is not a URL, and sends nothing', async () => {
    const run = await runKontext(['usage'], { cwd: makeTempDir(), env: env(`https://localhost:${frontPort}`, { HTTPS_PROXY: 'http://' }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HTTPS_PROXY must be a proxy URL such as http:\/\/proxy\.example:8080/);
    expect(emulator.counters.total).toBe(0);
  });

  it('never sends what it sends to its own local emulator (no key) through a proxy', async () => {
    const work = makeTempDir();
    makeThreeImageFolder(work);
    const run = await runKontext(['edit', 'photos/apple.png', '-p', 'x'], { cwd: work, env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(work, 'out', 'apple.1.jpg')).length).toBeGreaterThan(0);
    expect([...proxy.tunnels, ...proxy.forwarded]).toEqual([]);
  });

  it('kontext doctor reports DNS and TLS of an https base URL, and the proxy in use', async () => {
    const direct = await runKontext(['doctor', '--json'], { cwd: makeTempDir(), env: env(`https://localhost:${frontPort}`, {}) });
    expect(direct.code, direct.stderr).toBe(0);
    const checks = (run: typeof direct) => Object.fromEntries((JSON.parse(run.stdout) as { checks: { name: string; status: string; summary: string }[] }).checks.map((c) => [c.name, c]));
    expect(checks(direct).DNS).toMatchObject({ status: 'ok', summary: expect.stringMatching(/^localhost -> .*127\.0\.0\.1/) });
    expect(checks(direct).TLS).toMatchObject({ status: 'ok', summary: expect.stringMatching(/^TLSv1\.[23], certificate issued by kontext test server, valid until 21\d\d-/) });
    expect(checks(direct).proxy!.summary).toBe(`none: localhost:${frontPort} is reached directly`);

    const proxied = await runKontext(['doctor', '--json'], { cwd: makeTempDir(), env: env(`https://api.kontext.test:${frontPort}`, { HTTPS_PROXY: proxy.url }) });
    expect(proxied.code, proxied.stderr).toBe(0);
    expect(checks(proxied).proxy!.summary).toBe(`${proxy.url} from HTTPS_PROXY`);
    // No DNS knows the name, and behind a proxy that is only a warning: the proxy resolves it.
    expect(checks(proxied).DNS!.status).toBe('warn');
    expect(checks(proxied).TLS).toMatchObject({ status: 'skip', summary: 'inside the proxy tunnel: the requests below check it' });
    expect(checks(proxied)["key accepted"]!.status).toBe('ok');
    expect(proxy.tunnels.length).toBeGreaterThan(0);
  });
});
