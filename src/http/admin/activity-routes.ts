import type { Services } from '../../service/services.js';
import type { ApiInstance } from './api-instance.js';
import { ApiError } from './error-handler.js';
import { principalOf } from './principal.js';
import { RefusedQuery, RefusedSummary } from './refused-schemas.js';
import { ErrorBody, TenantParams } from './schemas.js';
import { EventPage, EventQuery, FeedPositionExpiredBody, LogPage, LogQuery } from './webhook-schemas.js';

const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

/** The event feed and the provisioning log: what happened in a tenant, and what each SCIM request did. */
export function registerActivityRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/events',
    {
      // A setup link's session reads its own tenant's feed only.
      config: { tenantSessionAllowed: true },
      schema: {
        tags: ['events'],
        operationId: 'listEvents',
        summary: 'The event feed, oldest first, after a cursor: one tenant\'s, or every tenant\'s (the global feed); 410 when the cursor is older than the events kept',
        security,
        querystring: EventQuery,
        // 410: `after` is older than what retention keeps (docs/events.md, "Retention").
        response: { 200: EventPage, ...errors, 410: FeedPositionExpiredBody },
      },
    },
    async (request) => {
      const { tenant, after, limit, type } = request.query;
      const principal = principalOf(request);
      const sessionTenant = principal?.kind === 'session' ? principal.session.tenantId : null;
      if (sessionTenant !== null && tenant !== undefined && tenant !== sessionTenant) throw new ApiError('NOT_FOUND', `Tenant ${tenant} does not exist.`);
      const types = type === undefined ? undefined : typeof type === 'string' ? [type] : type;
      const tenantId = sessionTenant ?? tenant;
      const page = await services.eventFeed.list({ ...(tenantId === undefined ? {} : { tenantId }), ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }), ...(types === undefined ? {} : { types }) });
      return { events: [...page.events], nextCursor: page.nextCursor, hasMore: page.hasMore };
    },
  );

  api.get(
    '/tenants/:tenantId/provisioning-log',
    {
      schema: {
        tags: ['provisioning log'],
        operationId: 'searchProvisioningLog',
        summary: 'Search the SCIM requests of a tenant, newest first',
        security,
        params: TenantParams,
        querystring: LogQuery,
        response: { 200: LogPage, ...errors },
      },
    },
    async (request) => {
      const { q, ...query } = request.query;
      const page = await services.provisioningLog.search(request.params.tenantId, { ...query, ...(q === undefined ? {} : { text: q }) });
      return {
        entries: page.entries.map(({ tenantId: _tenant, ...entry }) => ({ ...entry, resources: [...entry.resources], undeclared: [...entry.undeclared] })),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },
  );

  api.get(
    '/tenants/:tenantId/refused-requests',
    {
      schema: {
        tags: ['provisioning log'],
        operationId: 'getRefusedRequests',
        summary: 'Count the SCIM requests naming a tenant that were refused for want of valid credentials, per minute',
        security,
        params: TenantParams,
        querystring: RefusedQuery,
        response: { 200: RefusedSummary, ...errors },
      },
    },
    async (request) => {
      const summary = await services.provisioningLog.refused(request.params.tenantId, request.query.since);
      return { ...summary, minutes: [...summary.minutes] };
    },
  );
}
