// The routes of a built Roster app, as the isolation matrix sees them: collected through
// buildApp's onRoute option (so a route added anywhere is in the matrix at once), each
// classified by where it lives and what its route config declares.
import type { RouteOptions } from 'fastify';

/** How a route is expected to treat another tenant's credentials. */
export type RouteClass =
  /** SCIM, tenant in the path: only that tenant's token gets past authentication. */
  | 'scim-tenant'
  /** SCIM, tenant from the token: another tenant's ids must not resolve. */
  | 'scim-token'
  /** Management API with :tenantId: a setup link's session reaches its own tenant only. */
  | 'api-tenant'
  /** Management API, operators only (an operator key or an operator's session). */
  | 'api-operator'
  /** Management API without :tenantId that scopes itself to a session's tenant. */
  | 'api-session'
  /** Needs no credential; shows no tenant data. */
  | 'public';

export interface MatrixRoute {
  readonly method: string;
  readonly url: string;
  readonly routeClass: RouteClass;
  /** The route config declares operators only (a setup link's session gets 403). */
  readonly operatorOnly: boolean;
}

/** Paths that need no credential and hold no tenant data. */
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json']);

/**
 * The class of a route, or undefined when the matrix does not know where it belongs (the test
 * then fails, naming it: a new family of routes needs its rule here).
 */
export function classify(url: string, config: Readonly<Record<string, unknown>>): RouteClass | undefined {
  if (url.startsWith('/scim/v2/:tenantId')) return 'scim-tenant';
  if (url === '/scim/v2' || url.startsWith('/scim/v2/')) return 'scim-token';
  if (PUBLIC_PATHS.has(url) || config.public === true) return 'public';
  // The console's static pages: the single-page app, no data (it calls /api/v1 for that).
  if (url === '/admin' || url.startsWith('/admin/')) return 'public';
  if (url.startsWith('/api/v1/')) {
    if (url.includes(':tenantId')) return 'api-tenant';
    if (config.tenantSessionAllowed === true) return 'api-session';
    return 'api-operator';
  }
  return undefined;
}

/** A route collector for buildApp's `onRoute` option, and what it collected. */
export function routeCollector(): { readonly onRoute: (route: RouteOptions) => void; readonly routes: () => { method: string; url: string; config: Record<string, unknown> }[] } {
  const seen: { method: string; url: string; config: Record<string, unknown> }[] = [];
  return {
    onRoute(route) {
      const config = (route.config ?? {}) as Record<string, unknown>;
      for (const method of [route.method].flat()) seen.push({ method, url: route.url, config });
    },
    routes: () => seen,
  };
}

/** Every `:name` (and `*`) parameter of a route URL. */
export function parametersOf(url: string): string[] {
  const names = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? '');
  if (url.endsWith('*')) names.push('*');
  return names;
}

/** The URL with each parameter replaced by `valueOf(name, url)`. */
export function fillUrl(url: string, valueOf: (name: string, url: string) => string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(valueOf(name, url))).replace(/\*$/, () => valueOf('*', url));
}
