import type { IncomingMessage } from 'node:http';
import type { RouteName } from './counters.js';
import type { Reply } from './http/reply.js';
import type { EmulatorServices } from './services.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface RouteContext {
  request: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  services: EmulatorServices;
  /** A fault's `event`: the status stream sends it before the job's own events. */
  faultEvent?: string;
}

export interface Route {
  name: RouteName;
  method: HttpMethod;
  /** The image files are public, as fal's file host is; everything else needs the key. */
  requiresAuth: boolean;
  /** The path parameters when the path is this route's, else undefined. */
  match(pathname: string): Record<string, string> | undefined;
  handle(context: RouteContext): Promise<Reply>;
}

export type RouteLookup =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; route: Route; allowed: HttpMethod[] }
  | { kind: 'not-found' };

export function findRoute(routes: readonly Route[], method: string, pathname: string): RouteLookup {
  let pathOwner: Route | undefined;
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const params = route.match(pathname);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    pathOwner ??= route;
    allowed.push(route.method);
  }
  return pathOwner ? { kind: 'method-not-allowed', route: pathOwner, allowed } : { kind: 'not-found' };
}

/** Matches `/{owner}/{app}/requests/{request_id}` followed by `suffix`, e.g. `/fal-ai/flux-pro/requests/<id>`. */
export function queuePathMatcher(suffix: string): Route['match'] {
  const pattern = new RegExp(`^/([^/]+)/([^/]+)/requests/([^/]+)${suffix.replaceAll('/', '\\/')}$`);
  return (pathname) => {
    const match = pattern.exec(pathname);
    if (!match) return undefined;
    return {
      owner: decodeURIComponent(match[1] ?? ''),
      modelName: decodeURIComponent(match[2] ?? ''),
      requestId: decodeURIComponent(match[3] ?? ''),
    };
  };
}
