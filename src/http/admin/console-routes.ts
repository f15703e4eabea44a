import { Type } from 'typebox';
import type { ConsoleSessionRecord } from '../../store/console-store.js';
import type { Services } from '../../service/services.js';
import { SignInThrottle } from '../../service/sign-in-throttle.js';
import type { ApiInstance } from './api-instance.js';
import { crossSite, type OriginOf } from './console-auth.js';
import { ConsoleSession, SignIn, type ConsoleSessionJson } from './console-schemas.js';
import { SESSION_COOKIE, clearSessionCookie, readCookie, setSessionCookie } from './cookies.js';
import { ApiError } from './error-handler.js';
import { principalOf } from './principal.js';
import { ErrorBody } from './schemas.js';

const tags = ['console'];

/**
 * The admin console's sign-in: an operator key or a setup link's secret is exchanged for a
 * session cookie, which the console then uses on the management API like a key.
 */
export function registerConsoleRoutes(api: ApiInstance, services: Services, originOf: OriginOf, publicUrl: string | undefined): void {
  const secureCookie = (request: { protocol: string }): boolean => (publicUrl ?? `${request.protocol}:`).startsWith('https:');
  const sessionJson = (session: ConsoleSessionRecord, secret: string): ConsoleSessionJson => ({
    kind: session.tenantId === null ? 'operator' : 'tenant',
    tenantId: session.tenantId,
    expiresAt: session.expiresAt,
    csrfToken: services.consoleSessions.csrfToken(secret),
  });
  // Failed sign-ins per client address (request.ip: behind a proxy, set ROSTER_TRUST_PROXY).
  const throttle = new SignInThrottle();

  api.post(
    '/console/sessions',
    {
      config: { public: true },
      schema: { tags, operationId: 'createConsoleSession', summary: 'Start a console session (sets an HttpOnly cookie)', body: SignIn, response: { 201: ConsoleSession, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody } },
    },
    async (request, reply) => {
      // No session exists yet to carry a CSRF token, so a sign-in from another site's page
      // (which would sign the victim into the attacker's session) is refused by origin.
      if (crossSite(request, originOf, publicUrl !== undefined)) throw new ApiError('CSRF_REJECTED', 'Sign-in from another site is refused.');
      const retryAfter = throttle.retryAfter(request.ip);
      if (retryAfter !== undefined) {
        reply.header('retry-after', String(retryAfter));
        throw new ApiError('TOO_MANY_SIGN_INS', `Too many failed sign-ins from this address; try again in ${retryAfter} seconds.`);
      }
      const body = request.body;
      const opened = 'operatorKey' in body ? await services.consoleSessions.openWithOperatorKey(body.operatorKey) : await services.consoleSessions.openWithSetupLink(body.setupToken);
      if (opened === undefined) {
        throttle.failed(request.ip);
        throw new ApiError('UNAUTHORIZED', 'operatorKey' in body ? 'That operator key is not valid.' : 'This setup link is not valid: it may have expired or been revoked. Ask for a new one.');
      }
      // The browser's previous session (the console asked before replacing it) ends here, not at its expiry.
      const previous = readCookie(request, SESSION_COOKIE);
      if (previous !== undefined) await services.consoleSessions.end(previous);
      setSessionCookie(reply, opened.secret, opened.session.expiresAt, secureCookie(request));
      return reply.code(201).header('cache-control', 'no-store').send(sessionJson(opened.session, opened.secret));
    },
  );

  api.get(
    '/console/session',
    { config: { tenantSessionAllowed: true }, schema: { tags, operationId: 'getConsoleSession', summary: 'The current console session and its CSRF token', response: { 200: ConsoleSession, 401: ErrorBody } } },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal?.kind !== 'session') throw new ApiError('UNAUTHORIZED', 'This request carries no console session.');
      return reply.header('cache-control', 'no-store').send(sessionJson(principal.session, principal.secret));
    },
  );

  api.delete(
    '/console/session',
    { config: { tenantSessionAllowed: true }, schema: { tags, operationId: 'deleteConsoleSession', summary: 'Sign out of the console', response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody } } },
    async (request, reply) => {
      const secret = readCookie(request, SESSION_COOKIE);
      if (secret !== undefined) await services.consoleSessions.end(secret);
      clearSessionCookie(reply, secureCookie(request));
      return reply.code(204).send(null);
    },
  );
}
