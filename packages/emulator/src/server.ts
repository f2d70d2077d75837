import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkBearerKey } from './auth.js';
import type { FaultInjector } from './faults/fault-injector.js';
import { detailReply, jsonReply, writeReply } from './http/reply.js';
import { findRoute, type Route } from './router.js';
import type { EmulatorServices } from './services.js';

/**
 * The HTTP front: counts every request, applies the route's fault (latency, drop, error),
 * checks the key, then lets the route answer. Faults come before auth, like a gateway's rate
 * limiter, so a faulted request is refused whatever key it carries.
 */
export function createEmulatorServer(routes: readonly Route[], services: EmulatorServices, faults: FaultInjector): Server {
  return createServer((request, response) => {
    handleRequest(request, response, routes, services, faults).catch((error: unknown) => {
      console.error('anyapi-kontext emulator: unhandled error', error);
      if (!response.headersSent) writeReply(response, detailReply(500, 'Internal Server Error'));
      else response.destroy();
    });
  });
}

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  routes: readonly Route[],
  services: EmulatorServices,
  faults: FaultInjector,
): Promise<void> {
  services.counters.increment('total');
  const url = new URL(request.url ?? '/', 'http://emulator.invalid');
  const lookup = findRoute(routes, request.method ?? 'GET', url.pathname);
  if (lookup.kind === 'not-found') return writeReply(response, detailReply(404, 'Not Found'));
  services.counters.increment(lookup.route.name);
  if (lookup.kind === 'method-not-allowed') {
    return writeReply(response, detailReply(405, 'Method Not Allowed', { allow: lookup.allowed.join(', ') }));
  }

  const fault = faults.decide(lookup.route.name);
  // Unref'd: a request held by a long latency must not keep a stopped emulator's process alive.
  if (fault && fault.latency > 0) await sleep(fault.latency, undefined, { ref: false });
  if (fault?.drop === 'before-accept') return dropConnection(request);
  if (fault?.error) return writeReply(response, jsonReply(fault.error.status, fault.error.body, fault.error.headers));

  if (lookup.route.requiresAuth) {
    const denied = checkBearerKey(request, services.options.apiKey);
    if (denied) return writeReply(response, denied);
  }
  const reply = await lookup.route.handle({ request, url, params: lookup.params, services, ...(fault?.event !== undefined ? { faultEvent: fault.event } : {}) });
  if (fault?.drop === 'after-accept') return dropConnection(request);
  writeReply(response, reply);
}

/** Ends the TCP connection with no HTTP answer: what a crashed proxy or a network cut looks like. */
function dropConnection(request: IncomingMessage): void {
  request.socket.destroy();
}
