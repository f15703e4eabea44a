import type { FastifyRequest } from 'fastify';
import type { Services } from '../../service/services.js';
import { SESSION_COOKIE, readCookie } from './cookies.js';
import { ApiError } from './error-handler.js';
import { principalOf, setPrincipal, type Principal } from './principal.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where the browser's pages come from: Roster's public URL, else the request's own host. */
export type OriginOf = (request: { protocol: string; host: string }) => string;

/**
 * Whether a cross-origin page could have sent this request. Browsers send `Origin` on every
 * state-changing fetch and `Sec-Fetch-Site` on every request; either naming another site is
 * refused. Without a configured public URL only the host is compared, since a TLS-terminating
 * proxy makes the scheme Roster sees differ from the browser's.
 */
export function crossSite(request: FastifyRequest, originOf: OriginOf, publicUrlSet: boolean): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  const expected = originOf(request);
  if (publicUrlSet) return origin !== expected;
  try {
    return new URL(origin).host !== new URL(expected).host;
  } catch {
    return true;
  }
}

/**
 * Authenticates a management API request: an operator key (`Authorization: Bearer rok_…`)
 * or a console session cookie. A session must send its CSRF token with every state change.
 * A setup link's session is confined to its tenant: another tenant's routes answer 404 as if
 * the tenant did not exist, and operator-only routes answer 403.
 */
export async function authenticateAdminRequest(services: Services, request: FastifyRequest, originOf: OriginOf, publicUrlSet: boolean): Promise<void> {
  const config = request.routeOptions.config;
  if (config.public === true) return;
  const principal = await identify(services, request, originOf, publicUrlSet);
  setPrincipal(request, principal);
  if (principal.kind !== 'session' || principal.session.tenantId === null) return;
  if (config.operatorOnly === true) throw new ApiError('FORBIDDEN', 'A setup link opens one tenant\'s console; this needs an operator.');
  const tenantId = (request.params as Record<string, string | undefined> | undefined)?.tenantId;
  const allowed = tenantId === undefined ? config.tenantSessionAllowed === true : tenantId === principal.session.tenantId;
  if (!allowed) throw new ApiError('NOT_FOUND', tenantId === undefined ? 'No such management API endpoint.' : `Tenant ${tenantId} does not exist.`);
}

async function identify(services: Services, request: FastifyRequest, originOf: OriginOf, publicUrlSet: boolean): Promise<Principal> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const key = match?.[1] === undefined ? undefined : await services.operatorKeys.authenticate(match[1]);
    if (key === undefined) throw new ApiError('UNAUTHORIZED', 'A valid operator key is required: Authorization: Bearer rok_…');
    return { kind: 'operatorKey' };
  }
  const secret = readCookie(request, SESSION_COOKIE);
  const session = secret === undefined || secret === '' ? undefined : await services.consoleSessions.authenticate(secret);
  if (secret === undefined || session === undefined) {
    throw new ApiError('UNAUTHORIZED', 'A valid operator key (Authorization: Bearer rok_…) or console session is required.');
  }
  if (!SAFE_METHODS.has(request.method)) {
    if (crossSite(request, originOf, publicUrlSet)) throw new ApiError('CSRF_REJECTED', 'State changes from another site are refused.');
    const presented = request.headers['x-csrf-token'];
    if (typeof presented !== 'string' || !services.consoleSessions.checkCsrf(secret, presented)) {
      throw new ApiError('CSRF_REJECTED', 'This change needs the session\'s CSRF token in the X-CSRF-Token header.');
    }
  }
  return { kind: 'session', session, secret };
}

/**
 * Settings a setup link's session may not change: the seat limit and its policy are the
 * customer's plan, which the SaaS sets, and so is the class its metrics are labelled with.
 */
export const OPERATOR_ONLY_SETTINGS: readonly string[] = ['seatLimit', 'seatPolicy', 'metricsClass'];

/**
 * A preHandler check (the body is parsed by then): a setup link's session may change its
 * tenant's policies, but not its name nor the settings of OPERATOR_ONLY_SETTINGS.
 */
export function checkTenantSessionChange(request: FastifyRequest, tenantRoute: string): void {
  const principal = principalOf(request);
  if (principal?.kind !== 'session' || principal.session.tenantId === null) return;
  if (request.method !== 'PATCH' || request.routeOptions.url !== tenantRoute) return;
  const body = (request.body ?? {}) as { name?: unknown; settings?: Record<string, unknown> };
  const refused = [...(body.name === undefined ? [] : ['name']), ...OPERATOR_ONLY_SETTINGS.filter((key) => body.settings !== undefined && key in body.settings)];
  if (refused.length > 0) throw new ApiError('FORBIDDEN', `Only the service provider can change ${refused.join(' and ')}.`);
}
