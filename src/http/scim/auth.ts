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
 * Finds the tenant from the bearer token. With a tenant id in the path, it must be the
 * token's tenant; every failure is the same 401, so the answer never says whether a
 * tenant exists.
 */
export async function authenticate(request: FastifyRequest, tokens: TokenService, publicUrl: string | undefined, limits?: ResourceLimits): Promise<ScimRequestState> {
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
  return { context: limits === undefined ? context : { ...context, limits }, token: found.token, baseUrl };
}

/** Contexts by tenant row: the token cache hands out the same row for a while, parsed once. */
const contexts = new WeakMap<TenantRecord, ScimContext>();

/** The one place a SCIM request's tenant settings are parsed; they travel in the context. */
function contextOf(tenant: TenantRecord): ScimContext {
  let context = contexts.get(tenant);
  if (context === undefined) {
    const settings = settingsOf(tenant.settings);
    context = { tenant: { id: tenant.id, settings }, registry: registryFor(settings) };
    contexts.set(tenant, context);
  }
  return context;
}
