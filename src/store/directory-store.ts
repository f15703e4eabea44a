import type { JsonObject } from '../scim/json.js';
import type { MemberStatus, TenantMemberRecord } from './member-store.js';

/**
 * The directory as a product reads it (the management API's read side): members with the
 * SCIM profile their IdP sent, and groups with their member counts. Reads only; every method
 * is scoped to one tenant and pages by keyset (cost per page independent of the position).
 */

/** Orders of a member list; each is a keyset on an index, ties broken by user id. */
export type MemberSortKey = 'userId' | 'userName' | 'createdAt' | 'updatedAt';

export interface DirectoryMemberQuery {
  readonly status?: MemberStatus;
  /** Leave out archived members. */
  readonly excludeArchived?: boolean;
  readonly role?: string;
  /** Direct members of this group. */
  readonly groupId?: string;
  /** Changed at or after this instant (ISO-8601 UTC): the member, its profile, or its direct groups. */
  readonly updatedSince?: string;
  /** userName, exact but case-insensitive. */
  readonly userName?: string;
  /** The member's email, exact but case-insensitive. */
  readonly email?: string;
  /** Text contained (case-insensitive) in the userName, the email, or the name. */
  readonly search?: string;
  /** `scim`: provisioned through SCIM; `manual`: made by hand. */
  readonly source?: 'scim' | 'manual';
  readonly sort: MemberSortKey;
  readonly descending: boolean;
  /** Continue after this row: its sort value (absent when sorting by userId) and its user id. */
  readonly after?: { readonly value?: string; readonly userId: string };
  readonly limit: number;
}

/** A member with its SCIM user as events show it (`id`, attributes, `meta`); null when made by hand. */
export interface DirectoryMemberRecord {
  readonly member: TenantMemberRecord;
  readonly profile: JsonObject | null;
}

/** A SCIM group with how many direct members it has. */
export interface DirectoryGroupRecord {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
  /** The group as events show it (`id`, attributes without members, `meta`). */
  readonly profile: JsonObject;
  readonly memberCount: number;
  /** When it was created: with the id, the position of a page's end. */
  readonly created: string;
}

export interface DirectoryGroupQuery {
  /** Continue after this group (groups come in creation order, ties by id: the index groups_created). */
  readonly after?: { readonly created: string; readonly id: string };
  /** Rows to skip (the older offset paging); ignored with `after`. */
  readonly offset?: number;
  readonly limit: number;
}

export interface DirectoryStore {
  members(tenantId: string, query: DirectoryMemberQuery): Promise<readonly DirectoryMemberRecord[]>;
  member(tenantId: string, userId: string): Promise<DirectoryMemberRecord | undefined>;
  groups(tenantId: string, query: DirectoryGroupQuery): Promise<{ readonly rows: readonly DirectoryGroupRecord[]; readonly total: number }>;
  group(tenantId: string, groupId: string): Promise<DirectoryGroupRecord | undefined>;
}
