import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { DEFAULT_BASE_URL, type TokenUsage, type Transport } from '@anyapi-kontext/core';
import { proxyForScheme, proxySettingsFrom } from '@anyapi-kontext/core/fetch';
import { isUsage, specRequest, USAGE_PATH } from '@anyapi-kontext/core/portable';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of the report; `details` is what `--json` adds. Never holds the key. */
export interface Check {
  name: string;
  status: CheckStatus;
  summary: string;
  details?: Record<string, unknown>;
}

/** What the checks need to know about where they look. */
export interface Target {
  baseUrl: string;
  /** The emulator this process started (no key set). */
  emulator: boolean;
  /** Whether ANYAPI_API_KEY is set (its value is never passed here). */
  keySet: boolean;
  keyProblem?: string;
}

/** How many usage calls the round-trip figure is taken from (the first opens the connection). */
const ROUND_TRIPS = 4;
/** A clock further off than this makes log-timestamp-based polling plans wrong: warn. */
const CLOCK_WARN_MS = 5_000;

export function keyFormatCheck(target: Target): Check {
  if (!target.keySet) {
    return { name: 'key', status: 'ok', summary: 'ANYAPI_API_KEY not set: checking a local emulator started in this process' };
  }
  if (target.keyProblem) return { name: 'key', status: 'fail', summary: `ANYAPI_API_KEY is not usable: ${target.keyProblem}` };
  return { name: 'key', status: 'ok', summary: 'ANYAPI_API_KEY is set and well-formed (one line of printable ASCII)' };
}


export function baseUrlCheck(target: Target): Check {
  const url = new URL(target.baseUrl);
  const source = target.emulator ? 'the local emulator' : target.baseUrl === DEFAULT_BASE_URL ? "AnyAPI's (the default)" : 'from ANYAPI_BASE_URL';
  if (url.protocol === 'http:' && !target.emulator && !isLoopback(url.hostname)) {
    return { name: 'base URL', status: 'warn', summary: `${target.baseUrl} (${source}): plain http, so the key travels unencrypted`, details: { baseUrl: target.baseUrl } };
  }
  return { name: 'base URL', status: 'ok', summary: `${target.baseUrl} (${source})`, details: { baseUrl: target.baseUrl } };
}

/** The proxy the client would use for the base URL, by the core's rules; credentials hidden. */
export function proxyCheck(target: Target, env: NodeJS.ProcessEnv): Check & { proxied: boolean } {
  let settings;
  try {
    settings = proxySettingsFrom(env);
  } catch (error) {
    return { name: 'proxy', status: 'fail', summary: (error as Error).message, proxied: false };
  }
  const url = new URL(target.baseUrl);
  const proxy = settings && proxyForScheme(settings, url);
  if (!settings || !proxy) {
    const unused = settings ? ` (${url.protocol === 'https:' ? 'only HTTP_PROXY is set, which https URLs do not use' : 'only HTTPS_PROXY is set, which http URLs do not use'})` : '';
    return { name: 'proxy', status: 'ok', summary: `none: ${url.host} is reached directly${unused}`, details: { proxy: null }, proxied: false };
  }
  const shown = withoutCredentials(proxy);
  const variable = url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const noProxy = settings.noProxy ? `; NO_PROXY=${settings.noProxy} (hosts it names are reached directly)` : '';
  if (target.emulator) {
    return { name: 'proxy', status: 'ok', summary: `${variable} names ${shown}, but the local emulator is always reached directly`, details: { proxy: shown }, proxied: false };
  }
  return { name: 'proxy', status: 'ok', summary: `${shown} from ${variable}${noProxy}`, details: { proxy: shown, variable, noProxy: settings.noProxy }, proxied: true };
}

export async function dnsCheck(target: Target, proxied: boolean): Promise<Check> {
  const { hostname } = new URL(target.baseUrl);
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return { name: 'DNS', status: 'ok', summary: `${host} is an address: nothing to look up` };
  const started = performance.now();
  try {
    const addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
    const ms = Math.round(performance.now() - started);
    return { name: 'DNS', status: 'ok', summary: `${host} -> ${addresses.join(', ')} (${ms} ms)`, details: { addresses, ms } };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    // Behind a proxy the proxy resolves the name; many corporate networks resolve nothing else.
    if (proxied) return { name: 'DNS', status: 'warn', summary: `${host} does not resolve here (${code}); the proxy resolves it for the client` };
    return { name: 'DNS', status: 'fail', summary: `${host} does not resolve (${code})` };
  }
}

export async function tlsCheck(target: Target, proxied: boolean): Promise<Check> {
  const url = new URL(target.baseUrl);
  if (url.protocol === 'http:') return { name: 'TLS', status: 'ok', summary: 'none: the base URL is http://' };
  if (proxied) return { name: 'TLS', status: 'skip', summary: 'inside the proxy tunnel: the requests below check it' };
  const started = performance.now();
  const port = Number(url.port || 443);
  const servername = isIP(url.hostname) ? undefined : url.hostname;
  try {
    const { protocol, certificate } = await new Promise<{ protocol: string | null; certificate: PeerCertificate }>((resolve, reject) => {
      const socket = tlsConnect({ host: url.hostname, port, ...(servername ? { servername } : {}) }, () => {
        resolve({ protocol: socket.getProtocol(), certificate: socket.getPeerCertificate() });
        socket.end();
      });
      socket.setTimeout(15_000, () => socket.destroy(new Error('no TLS handshake in 15 s')));
      socket.once('error', reject);
    });
    const ms = Math.round(performance.now() - started);
    const validTo = new Date(certificate.valid_to);
    const daysLeft = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
    const issuer = certificate.issuer?.O ?? certificate.issuer?.CN ?? 'unknown';
    const summary = `${protocol ?? 'TLS'}, certificate issued by ${issuer}, valid until ${validTo.toISOString().slice(0, 10)} (${daysLeft} days) (${ms} ms)`;
    return { name: 'TLS', status: daysLeft < 14 ? 'warn' : 'ok', summary, details: { protocol, issuer, validTo: validTo.toISOString(), daysLeft, ms } };
  } catch (error) {
    return { name: 'TLS', status: 'fail', summary: `no TLS connection to ${url.host}: ${(error as Error).message}` };
  }
}

/**
 * The free usage call, a few times: whether AnyAPI accepts the key, the server's clock (its
 * Date header, whole seconds, against the middle of the request), and the round trip.
 */
export async function apiChecks(transport: Transport, signal: AbortSignal): Promise<{ checks: Check[]; usage?: TokenUsage }> {
  const times: number[] = [];
  let skew: { ms: number; uncertaintyMs: number } | undefined;
  let usage: TokenUsage | undefined;
  let notUsage: unknown;
  for (let attempt = 0; attempt < ROUND_TRIPS; attempt += 1) {
    const sentAt = Date.now();
    const started = performance.now();
    let answer;
    try {
      answer = await transport.send(specRequest('get', USAGE_PATH, {}, { signal }));
    } catch (error) {
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = reason?.code ?? reason?.message ?? (error as Error).message;
      return { checks: [{ name: 'key accepted', status: 'fail', summary: `AnyAPI could not be reached: ${why}` }] };
    }
    const ms = performance.now() - started;
    times.push(ms);
    if (answer.status === 401 || answer.status === 403) {
      return { checks: [{ name: 'key accepted', status: 'fail', summary: `AnyAPI refused the key (${answer.status}): check ANYAPI_API_KEY`, details: { status: answer.status } }] };
    }
    if (answer.status !== 200) {
      return { checks: [{ name: 'key accepted', status: 'fail', summary: `the usage call answered ${answer.status}: ${describeBody(answer.body)}`, details: { status: answer.status } }] };
    }
    if (isUsage(answer.body)) usage ??= answer.body.data;
    else notUsage = answer.body;
    const date = answer.headers.date ? Date.parse(answer.headers.date) : NaN;
    if (!Number.isNaN(date) && skew === undefined) {
      // The Date header is truncated to the second: the server's time was in [date, date + 1 s).
      const middle = sentAt + ms / 2;
      skew = { ms: Math.round(date + 500 - middle), uncertaintyMs: Math.round(500 + ms / 2) };
    }
  }
  const available = usage ? (usage.unlimited_quota ? 'unlimited quota' : `${usage.total_available.toLocaleString('en-US')} of ${usage.total_granted.toLocaleString('en-US')} available`) : `its answer is not the key's usage as the spec describes it, which the client refuses: ${describeBody(notUsage)}`;
  const checks: Check[] = [{ name: 'key accepted', status: usage ? 'ok' : 'warn', summary: `yes (the free usage call: ${available})`, details: { usage } }];
  if (skew === undefined) {
    checks.push({ name: 'clock', status: 'warn', summary: 'the server sent no Date header: the clock cannot be compared' });
  } else {
    const off = Math.abs(skew.ms) <= skew.uncertaintyMs ? `within ${(skew.uncertaintyMs / 1000).toFixed(1)} s of the server's` : `${skew.ms > 0 ? 'behind' : 'ahead of'} the server's by ${(Math.abs(skew.ms) / 1000).toFixed(1)} s (±${(skew.uncertaintyMs / 1000).toFixed(1)} s)`;
    const status: CheckStatus = Math.abs(skew.ms) - skew.uncertaintyMs > CLOCK_WARN_MS ? 'warn' : 'ok';
    checks.push({ name: 'clock', status, summary: `this machine's clock is ${off} (from its Date header)`, details: { skewMs: skew.ms, uncertaintyMs: skew.uncertaintyMs } });
  }
  const [first, ...rest] = times.map(Math.round);
  const median = [...rest].sort((a, b) => a - b)[Math.floor(rest.length / 2)];
  checks.push({
    name: 'round trip',
    status: 'ok',
    summary: `${first} ms for the first request (connection included), then ${median} ms (median of ${rest.length})`,
    details: { firstMs: first, medianMs: median, allMs: times.map(Math.round) },
  });
  return { checks, ...(usage ? { usage } : {}) };
}

function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return (text ?? '').slice(0, 200);
}

function withoutCredentials(proxy: string): string {
  const url = new URL(proxy);
  if (!url.username && !url.password) return url.href.replace(/\/$/, '');
  url.username = '***';
  url.password = '';
  return url.href.replace(/\/$/, '');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]';
}
