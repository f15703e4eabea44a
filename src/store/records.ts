import type { JsonObject } from '../scim/json.js';

/** A customer account of the SaaS product; SCIM data is always scoped to one. */
export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly settings: JsonObject;
  /** The product's own id for the tenant (its organisation id); unique. */
  readonly externalId?: string | null;
}

/** A SCIM bearer token's metadata. The secret itself is never stored, only its SHA-256. */
export interface TokenRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

/** What every stored SCIM resource has. `data` is the canonical resource JSON without id/meta. */
interface ResourceRecordBase {
  readonly tenantId: string;
  readonly id: string;
  readonly created: string;
  readonly lastModified: string;
  /** Incremented on every change; meta.version is `W/"<version>"`. */
  readonly version: number;
  readonly data: JsonObject;
}

export interface UserRecord extends ResourceRecordBase {
  readonly userName: string;
  readonly externalId: string | null;
  readonly active: boolean;
  /** Set when the user was deleted through SCIM but archived (kept) instead of removed. */
  readonly deletedAt: string | null;
}

export interface GroupRecord extends ResourceRecordBase {
  readonly displayName: string;
  readonly externalId: string | null;
}

export type MembershipType = 'User' | 'Group';

/** One member of a group, as the group's `members` attribute shows it. */
export interface MembershipRecord {
  readonly value: string;
  readonly type: MembershipType;
  readonly display: string | null;
}

/** What membership events name a member by: a user's userName, a group's displayName. */
export interface MemberName {
  readonly type: MembershipType;
  readonly name: string;
}

/** One of a user's groups, as the user's read-only `groups` attribute shows it. */
export interface UserGroupRecord {
  readonly userId: string;
  readonly value: string;
  readonly display: string;
}

/** An event written to the outbox in the same transaction as the change it describes. */
export interface NewEvent {
  readonly type: string;
  readonly resourceType: 'User' | 'Group' | 'Tenant' | 'Token';
  readonly resourceId: string;
  readonly payload: JsonObject;
}

export interface EventRecord extends NewEvent {
  readonly tenantId: string;
  readonly seq: number;
  readonly id: string;
  readonly occurredAt: string;
  /** The event's place in the global feed (an opaque cursor; docs/events.md). */
  readonly position: string;
}

/** A management API key's metadata; only the SHA-256 of the secret is stored. */
export interface OperatorKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}
