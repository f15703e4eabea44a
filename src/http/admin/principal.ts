import type { FastifyRequest } from 'fastify';
import type { ConsoleSessionRecord } from '../../store/console-store.js';

/** Who is calling the management API: an operator key, or a console session cookie. */
export type Principal =
  | { readonly kind: 'operatorKey' }
  | { readonly kind: 'session'; readonly session: ConsoleSessionRecord; readonly secret: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs no credential (the OpenAPI document, the console's sign-in). */
    readonly public?: boolean;
    /** Operators only (an operator key or an operator's session), never a setup link's session. */
    readonly operatorOnly?: boolean;
    /**
     * A route without `:tenantId` that a setup link's session may call: it scopes what it
     * does to the session's tenant itself. Other such routes answer 404 to those sessions.
     */
    readonly tenantSessionAllowed?: boolean;
  }
}

// A WeakMap rather than a request decoration: nothing else in the app has to know of it.
const principals = new WeakMap<FastifyRequest, Principal>();

/** Records who the request is from (the authentication hook does). */
export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/** Who the request is from; undefined on public routes. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return principals.get(request);
}
