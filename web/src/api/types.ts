/** Shapes of the management API's answers, as far as the console reads them. */

import type { SeatPolicy, TenantSettings } from '../../../src/policy/settings-schema.js';

export interface Session {
  readonly kind: 'operator' | 'tenant';
  readonly tenantId: string | null;
  readonly expiresAt: string;
  readonly csrfToken: string;
}

/**
 * Every tenant policy (docs/policies.md), typed from the server's settings schema: a type-only
 * import, erased from the console's bundle, so the console never loads server code.
 */
export type { DeletePolicy, SeatPolicy, SsoPolicy, TenantSettings } from '../../../src/policy/settings-schema.js';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly scimBaseUrl: string;
  readonly settings: TenantSettings;
}

export interface ScimToken {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface IssuedToken extends ScimToken {
  readonly token: string;
}

/** A rotation's answer: the new token, and the old one, still working until revoked or `expiresAt`. */
export interface RotatedToken extends IssuedToken {
  readonly previous: ScimToken;
}

export type MemberStatus = 'active' | 'inactive' | 'archived';

export interface Member {
  readonly userId: string;
  readonly userName: string;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly status: MemberStatus;
  readonly role: string;
  readonly roleManagedByScim: boolean;
  readonly accessGroupId: string | null;
  readonly signInMethod: 'saml' | 'oidc' | 'password';
  readonly confirmed: boolean;
  readonly managedByScim: boolean;
  readonly creator: boolean;
}

export interface Seats {
  readonly limit: number | null;
  readonly used: number;
  readonly policy: SeatPolicy;
}

export interface GroupMapping {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
  readonly role: string | null;
  readonly adminGroup: boolean;
  readonly accessGroupPriority: number | null;
  readonly memberCount?: number;
}

export interface PendingChange {
  readonly seq: number;
  readonly userId: string;
  readonly kind: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

export interface LogEntry {
  readonly id: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly tokenName: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number | null;
  readonly durationMs: number | null;
  readonly userAgent: string | null;
  readonly resources: readonly { readonly type: string; readonly id: string }[];
  readonly events: number;
  readonly scimType: string | null;
  readonly errorDetail: string | null;
  readonly requestBody: string | null;
}

/** Requests naming the tenant refused for want of valid credentials in one minute. */
export interface RefusedMinute {
  readonly minute: string;
  readonly count: number;
  readonly lastAt: string;
  readonly lastStatus: number;
  readonly lastUserAgent: string | null;
}

export interface RefusedSummary {
  readonly total: number;
  readonly since: string;
  readonly minutes: readonly RefusedMinute[];
}

export interface LogPage {
  readonly entries: readonly LogEntry[];
  readonly nextCursor?: string;
}

export interface WebhookEndpoint {
  readonly id: string;
  readonly tenantId: string | null;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  readonly id: string;
  readonly eventSeq: number;
  readonly eventType: string;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

export interface SetupLink {
  readonly id: string;
  readonly note: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}
