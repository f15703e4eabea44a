import type { Services } from '../../service/services.js';
import type { ApiInstance } from './api-instance.js';
import { ErrorBody, TenantParams } from './schemas.js';
import { EventPage, EventQuery, LogPage, LogQuery } from './webhook-schemas.js';

const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

/** The event feed and the provisioning log: what happened in a tenant, and what each SCIM request did. */
export function registerActivityRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/events',
    { schema: { tags: ['events'], operationId: 'listEvents', summary: 'The event feed of a tenant, oldest first, after a cursor', security, querystring: EventQuery, response: { 200: EventPage, ...errors } } },
    async (request) => {
      const page = await services.eventFeed.list(request.query.tenant, request.query.after, request.query.limit);
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
        entries: page.entries.map(({ tenantId: _tenant, ...entry }) => ({ ...entry, resources: [...entry.resources] })),
        ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
      };
    },
  );
}
