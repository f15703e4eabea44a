import type { Services } from '../../service/services.js';
import type { ApiInstance } from './api-instance.js';
import { DiscardResult, PendingChangeList, PendingMemberParams, PendingPreview, PendingQuery, PreviewQuery, SyncQuery, SyncResult } from './pending-schemas.js';
import { ErrorBody, TenantParams } from './schemas.js';

const security = [{ operatorKey: [] }];
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Pending changes while automatic sync is off (seed 003): list, preview, sync all or one, discard one. */
export function registerPendingRoutes(api: ApiInstance, services: Services): void {
  api.get(
    '/tenants/:tenantId/pending-changes',
    {
      schema: {
        tags: ['sync'],
        operationId: 'listPendingChanges',
        summary: 'List the member changes waiting while automatic sync is off, oldest first, as the IdP sent them',
        security,
        params: TenantParams,
        querystring: PendingQuery,
        response: { 200: PendingChangeList, ...errors },
      },
    },
    async (request) => {
      const { changes, total } = await services.pendingChanges.list(request.params.tenantId, request.query.after ?? 0, request.query.limit ?? 100);
      return { changes: changes.map(({ tenantId: _tenant, ...change }) => change), total };
    },
  );

  api.get(
    '/tenants/:tenantId/pending-changes/preview',
    {
      schema: {
        tags: ['sync'],
        operationId: 'previewPendingChanges',
        summary: 'What "Sync now" would do, member by member: groups joined or left, and status, role and access group from → to (sync run and rolled back)',
        security,
        params: TenantParams,
        querystring: PreviewQuery,
        response: { 200: PendingPreview, ...errors },
      },
    },
    async (request) => {
      const preview = await services.pendingChanges.preview(request.params.tenantId, request.query.limit ?? 100);
      return { ...preview, entries: preview.entries.map((entry) => ({ ...entry, fields: [...entry.fields], groups: [...entry.groups] })) };
    },
  );

  api.post(
    '/tenants/:tenantId/sync',
    {
      schema: {
        tags: ['sync'],
        operationId: 'syncPendingChanges',
        summary: 'Sync now: apply the pending changes (up to upTo, a preview\'s, when given) in order',
        security,
        params: TenantParams,
        querystring: SyncQuery,
        response: { 200: SyncResult, ...errors },
      },
    },
    async (request) => services.pendingChanges.sync(request.params.tenantId, request.query.upTo),
  );

  api.post(
    '/tenants/:tenantId/pending-changes/:userId/apply',
    {
      schema: {
        tags: ['sync'],
        operationId: 'applyPendingMember',
        summary: 'Apply one member\'s pending changes now (404 when none is waiting)',
        security,
        params: PendingMemberParams,
        response: { 200: SyncResult, ...errors },
      },
    },
    async (request) => services.pendingChanges.applyOne(request.params.tenantId, request.params.userId),
  );

  api.delete(
    '/tenants/:tenantId/pending-changes/:userId',
    {
      schema: {
        tags: ['sync'],
        operationId: 'discardPendingMember',
        summary: 'Discard one member\'s pending changes unapplied: the member stays as it is (404 when none is waiting)',
        security,
        params: PendingMemberParams,
        response: { 200: DiscardResult, ...errors },
      },
    },
    async (request) => services.pendingChanges.discard(request.params.tenantId, request.params.userId),
  );
}
