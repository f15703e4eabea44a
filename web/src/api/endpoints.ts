import { call, query } from './client.js';
import type { Delivery, DeliveryState, DirectoryMember, GroupMapping, GroupMember, IssuedToken, LogPage, RotatedToken, Member, RefusedSummary, PendingPreview, ScimToken, SyncResult, UndeclaredAttribute, Seats, Session, SetupLink, Tenant, TenantSettings, WebhookEndpoint } from './types.js';

/** Members per page of the Members page. */
const MEMBER_PAGE = 50;
const GROUP_MEMBER_PAGE = 50;
/** Groups per call when the console reads every group (the API's largest page). */
const GROUP_PAGE = 1000;

/** The Members page's filters, as the API names them; an absent status lists every status but archived. */
export interface MemberFilters {
  readonly q?: string;
  readonly status?: Member['status'];
  readonly role?: string;
  readonly group?: string;
  readonly source?: 'scim' | 'manual';
  readonly sort?: string;
}

/**
 * One function per management API call the console makes, so that the paths live in one
 * place. `t` is always a tenant id.
 */
export const api = {
  session: () => call<Session>('GET', '/console/session', undefined, { quiet401: true }),
  signIn: (credential: { operatorKey: string } | { setupToken: string }) => call<Session>('POST', '/console/sessions', credential, { quiet401: true }),
  signOut: () => call<undefined>('DELETE', '/console/session'),

  tenants: () => call<{ tenants: Tenant[] }>('GET', '/tenants'),
  createTenant: (name: string, scimEnabled: boolean) => call<Tenant>('POST', '/tenants', { name, scimEnabled }),
  createSetupLink: (t: string, options: { note?: string; expiresInSeconds?: number } = {}) => call<{ id: string; url: string; expiresAt: string }>('POST', `/tenants/${t}/setup-links`, options),
  setupLinks: (t: string) => call<{ setupLinks: SetupLink[] }>('GET', `/tenants/${t}/setup-links`),
  revokeSetupLink: (t: string, id: string) => call<undefined>('DELETE', `/tenants/${t}/setup-links/${id}`),
  tenant: (t: string) => call<Tenant>('GET', `/tenants/${t}`),
  /** Changes the given settings only; the answer is the tenant with every effective setting. */
  updateSettings: (t: string, patch: Partial<TenantSettings>) => call<Tenant>('PATCH', `/tenants/${t}`, { settings: patch }),

  deleteScimSetup: (t: string) => call<undefined>('DELETE', `/tenants/${t}/scim`),
  tokens: (t: string) => call<{ tokens: ScimToken[] }>('GET', `/tenants/${t}/tokens`),
  issueToken: (t: string, name: string) => call<IssuedToken>('POST', `/tenants/${t}/tokens`, { name }),
  rotateToken: (t: string, id: string, overlapHours?: number) => call<RotatedToken>('POST', `/tenants/${t}/tokens/${id}/rotate`, overlapHours === undefined ? {} : { overlapHours }),
  revokeToken: (t: string, id: string) => call<undefined>('DELETE', `/tenants/${t}/tokens/${id}`),

  /** A page of members; `after` is the previous page's `next`. Archived members only with `status` (excludeArchived otherwise). */
  members: (t: string, filters: MemberFilters, after?: string) =>
    call<{ members: DirectoryMember[]; seats: Seats; next: string | null }>('GET', `/tenants/${t}/members${query({ ...filters, ...(filters.status === undefined ? { excludeArchived: 'true' } : {}), after, limit: MEMBER_PAGE })}`),
  /** Seat use alone (the member list's `seats`, with one member). */
  seats: (t: string) => call<{ seats: Seats }>('GET', `/tenants/${t}/members${query({ limit: 1 })}`),
  member: (t: string, userId: string) => call<DirectoryMember>('GET', `/tenants/${t}/members/${encodeURIComponent(userId)}`),
  /** A hand change of status or role: refused by the same rules as the API (seats, "managed by SCIM"). */
  updateMember: (t: string, userId: string, change: { status?: Member['status']; role?: string }) => call<Member>('PATCH', `/tenants/${t}/members/${encodeURIComponent(userId)}`, change),
  groupMembers: (t: string, groupId: string, after?: string) => call<{ members: GroupMember[]; next: string | null }>('GET', `/tenants/${t}/groups/${encodeURIComponent(groupId)}/members${query({ after, limit: GROUP_MEMBER_PAGE })}`),
  /** Every group, read a page of GROUP_PAGE at a time by following `next` (a tenant may have more than one page holds). */
  groups: async (t: string): Promise<{ groups: GroupMapping[]; total: number }> => {
    const groups: GroupMapping[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await call<{ groups: GroupMapping[]; total: number; next: string | null }>('GET', `/tenants/${t}/groups${query({ after, limit: GROUP_PAGE })}`);
      groups.push(...page.groups);
      if (page.next === null) return { groups, total: page.total };
      after = page.next;
    }
  },
  /** What sync would do, member by member (run and rolled back by the server). */
  pendingPreview: (t: string) => call<PendingPreview>('GET', `/tenants/${t}/pending-changes/preview${query({ limit: 200 })}`),
  /** Applies the pending changes up to `upTo` (a preview's), so that what was shown is what is applied. */
  sync: (t: string, upTo?: number) => call<SyncResult>('POST', `/tenants/${t}/sync${query({ upTo })}`, {}),
  applyPending: (t: string, userId: string) => call<SyncResult>('POST', `/tenants/${t}/pending-changes/${encodeURIComponent(userId)}/apply`, {}),
  discardPending: (t: string, userId: string) => call<{ discarded: number }>('DELETE', `/tenants/${t}/pending-changes/${encodeURIComponent(userId)}`),
  undeclaredAttributes: (t: string) => call<{ attributes: UndeclaredAttribute[] }>('GET', `/tenants/${t}/undeclared-attributes`),

  log: (t: string, filters: { status?: string; resource?: string; since?: string | undefined; until?: string | undefined; q?: string; cursor?: string | undefined; limit?: number }) =>
    call<LogPage>('GET', `/tenants/${t}/provisioning-log${query({ limit: 50, ...filters })}`),
  /** Requests refused for a wrong, revoked or expired token, counted per minute over the last day. */
  refusedRequests: (t: string) => call<RefusedSummary>('GET', `/tenants/${t}/refused-requests`),

  webhooks: (t: string) => call<{ webhooks: WebhookEndpoint[] }>('GET', `/webhooks${query({ tenant: t })}`),
  deliveries: (endpointId: string, state?: DeliveryState) => call<{ deliveries: Delivery[] }>('GET', `/webhooks/${endpointId}/deliveries${query({ state, limit: 100 })}`),
  redeliver: (endpointId: string, deliveryId: string) => call<undefined>('POST', `/webhooks/${endpointId}/deliveries/${deliveryId}/redeliver`, {}),
};
