import type { FastifyRequest } from 'fastify';
import type { ResourceLimits } from '../../limits.js';
import { registryFor } from '../../policy/extension-schemas.js';
import { settingsOf } from '../../policy/settings.js';
import { UnauthorizedError } from '../../scim/errors.js';
import type { ScimContext } from '../../service/context.js';
import type { TokenService } from '../../service/tokens.js';
import type { TenantRecord, TokenRecord } from '../../store/records.js';

/** What an authenticated SCIM request carries. */
export interface ScimRequestState {
  readonly context: ScimContext;
  readonly token: TokenRecord;
  /** The SCIM base URL the request came in on, for meta.location and $ref. */
  readonly baseUrl: string;
}

/**
 * One SCIM plugin's authentication: finds the tenant from the bearer token. With a tenant id
 * in the path, it must be the token's tenant; every failure is the same 401, so the answer
 * never says whether a tenant exists. `limits` travel in every context it makes (the
 * service's defaults when absent).
 */
export function scimAuthenticator(tokens: TokenService, publicUrl: string | undefined, limits: ResourceLimits | undefined): (request: FastifyRequest) => Promise<ScimRequestState> {
  // Contexts by tenant row: the token cache hands out the same row for a while, so a
  // tenant's settings are parsed, and its context built, once per row rather than per request.
  const contexts = new WeakMap<TenantRecord, ScimContext>();
  const contextOf = (tenant: TenantRecord): ScimContext => {
    let context = contexts.get(tenant);
    if (context === undefined) {
      // The one place a SCIM request's tenant settings are parsed; they travel in the context.
      const settings = settingsOf(tenant.settings);
      context = { tenant: { id: tenant.id, settings }, registry: registryFor(settings), ...(limits === undefined ? {} : { limits }) };
      contexts.set(tenant, context);
    }
    return context;
  };

  return async (request) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) throw new UnauthorizedError();
    const found = await tokens.authenticate(match[1]);
    if (found === undefined) throw new UnauthorizedError();
    const { tenantId } = request.params as { tenantId?: string };
    if (tenantId !== undefined && tenantId !== found.tenant.id) throw new UnauthorizedError();
    const context = contextOf(found.tenant);
    // A tenant with SCIM disabled has no tokens; refusing here too closes the gap of a race.
    if (!context.tenant.settings.scimEnabled) throw new UnauthorizedError();
    const origin = publicUrl ?? `${request.protocol}://${request.host}`;
    const baseUrl = `${origin}/scim/v2${tenantId === undefined ? '' : `/${tenantId}`}`;
    return { context, token: found.token, baseUrl };
  };
}
