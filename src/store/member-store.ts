import type { JsonObject } from '../scim/json.js';
import type { GroupRecord, UserRecord } from './records.js';

/**
 * Members: the product-facing view of the people of a tenant (seeds 000–004). Every SCIM
 * user has one, keyed by its user id and kept by the provisioning policy in the same
 * transaction as the SCIM write; members the product made by hand (such as the tenant's
 * creator) have one too, with an id of their own.
 */

/** `active` holds a seat; `inactive` was refused a seat; `archived` was deactivated or deleted. */
export type MemberStatus = 'active' | 'inactive' | 'archived';

/** How the member signs in to the product: follows the tenant's ssoPolicy when provisioned. */
export type SignInMethod = 'saml' | 'oidc' | 'password';

export interface TenantMemberRecord {
  readonly tenantId: string;
  /** The SCIM user id for provisioned members; an id of its own for members made by hand. */
  readonly userId: string;
  readonly userName: string;
  /** The primary (else work, else first) email. */
  readonly email: string | null;
  readonly displayName: string | null;
  readonly status: MemberStatus;
  /** The first of `roles`: `admin`, `member`, or a role of the product's own. */
  readonly role: string;
  /**
   * Every role the member holds, ranked (assignments.ts): the roles its direct groups give and
   * the one set by hand; `["member"]` when there is no other.
   */
  readonly roles: readonly string[];
  /** The role set by hand (or when made), held beside the roles groups give; null when none. */
  readonly handRole: string | null;
  /** True when SCIM set the role (admin group or role mapping): hand changes are refused. */
  readonly roleManaged: boolean;
  /** The access group (seed 003) the member holds, at most one. */
  readonly accessGroupId: string | null;
  readonly signInMethod: SignInMethod;
  readonly confirmed: boolean;
  /** Provisioned through SCIM (as opposed to made by hand in the product). */
  readonly scimManaged: boolean;
  /** Came from SCIM before the tenant deleted its SCIM setup (scimManaged is false since). */
  readonly formerlyScimManaged: boolean;
  /** The member who created the tenant's account: promoted when no admin is left (seed 000). */
  readonly creator: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * What a batch of members is chosen by: `assigned`, a role SCIM set or an access group;
 * `roleManaged`, a role SCIM set; `scimManaged`, provisioned by SCIM.
 */
export type MemberMark = 'assigned' | 'roleManaged' | 'scimManaged';

export interface MemberListQuery {
  readonly status?: MemberStatus;
  /** Members holding this role, anywhere in their `roles`. */
  readonly role?: string;
  /** Continue after this user id (members come ordered by user id). */
  readonly after?: string;
  readonly limit: number;
}

/**
 * Member rows. Every method is scoped to one tenant. The sign-in secret is write-only: it is
 * stored as a hash and no read returns it.
 */
export interface MemberStore {
  /** Throws UniqueViolation when the tenant already has the user id. */
  insert(member: TenantMemberRecord, secretHash: string | null): Promise<void>;
  /**
   * Replaces every column but the secret and createdAt. `previousRoles`, the roles the row
   * holds now when the caller knows them, saves rewriting the roles index when they stay.
   */
  update(member: TenantMemberRecord, previousRoles?: readonly string[]): Promise<void>;
  get(tenantId: string, userId: string): Promise<TenantMemberRecord | undefined>;
  /** The members among `userIds` (missing ones are absent from the map). */
  getMany(tenantId: string, userIds: readonly string[]): Promise<ReadonlyMap<string, TenantMemberRecord>>;
  /** A member not provisioned by SCIM with this userName, compared case-insensitively. */
  findUnmanagedByUserName(tenantId: string, userName: string): Promise<TenantMemberRecord | undefined>;
  /** The member whose userName or email is `identifier`, compared case-insensitively; userName wins. */
  findByIdentifier(tenantId: string, identifier: string): Promise<TenantMemberRecord | undefined>;
  /** Gives a member another user id (a hand-made member linked to the SCIM user that matches it). */
  rekey(tenantId: string, fromUserId: string, toUserId: string): Promise<void>;
  remove(tenantId: string, userId: string): Promise<void>;
  /** Members holding a seat. */
  countActive(tenantId: string): Promise<number>;
  /** Active members with this role. */
  countActiveWithRole(tenantId: string, role: string): Promise<number>;
  /**
   * Locks the tenant until the transaction ends (a row lock where the engine has them; SQLite
   * serialises writers anyway), so that seat counts and settings read-modify-writes of one
   * tenant take turns across processes.
   */
  lockTenant(tenantId: string): Promise<void>;
  list(tenantId: string, query: MemberListQuery): Promise<readonly TenantMemberRecord[]>;
  /** Members with `mark`, `limit` at a time after `afterUserId`, by user id. */
  listMarked(tenantId: string, mark: MemberMark, afterUserId: string | null, limit: number): Promise<readonly TenantMemberRecord[]>;
  creator(tenantId: string): Promise<TenantMemberRecord | undefined>;
  /**
   * Marks the members of these groups (direct members) as changed at `at`: a group that goes
   * takes its memberships without an event per member, and the read API's `updatedSince`
   * must still find the members whose groups changed. Call it before the groups go.
   */
  touchMembersOf(tenantId: string, groupIds: readonly string[], at: string): Promise<void>;
  /** Active members provisioned by SCIM. */
  countActiveScimManaged(tenantId: string): Promise<number>;
}

/** What an IdP write implied for a member, queued while automatic sync is off. */
export type PendingChangeKind = 'created' | 'restored' | 'updated' | 'archived' | 'reactivated' | 'deleted' | 'groups' | 'mappings';

export interface PendingChangeRecord {
  readonly tenantId: string;
  /** Increasing per tenant: the order in which the changes arrived. */
  readonly seq: number;
  readonly userId: string;
  readonly kind: PendingChangeKind;
  /** What people need to see (userName, group), not what sync applies: sync reads the current state. */
  readonly detail: JsonObject;
  readonly createdAt: string;
}

export interface NewPendingChange {
  readonly userId: string;
  readonly kind: PendingChangeKind;
  readonly detail: JsonObject;
}

export interface PendingChangeStore {
  /** Appends changes with increasing sequence numbers; the caller holds the tenant lock. */
  append(tenantId: string, changes: readonly NewPendingChange[], at: string): Promise<void>;
  /** Changes after `afterSeq`, oldest first. */
  list(tenantId: string, afterSeq: number, limit: number): Promise<readonly PendingChangeRecord[]>;
  count(tenantId: string): Promise<number>;
  /** How many users have changes up to `uptoSeq`. */
  countUsers(tenantId: string, uptoSeq: number): Promise<number>;
  /** The highest sequence number queued, 0 when none. */
  lastSeq(tenantId: string): Promise<number>;
  /**
   * The users with changes up to `uptoSeq`, each once, ordered by their first change after
   * `afterSeq` (as a user's first change is the position sync gives it).
   */
  usersInOrder(tenantId: string, afterSeq: number, uptoSeq: number, limit: number): Promise<readonly { userId: string; seq: number }[]>;
  /** Removes the changes up to `uptoSeq`. */
  removeUpTo(tenantId: string, uptoSeq: number): Promise<number>;
  /** One user's changes up to `uptoSeq`, oldest first. */
  listForUser(tenantId: string, userId: string, uptoSeq: number): Promise<readonly PendingChangeRecord[]>;
  /** Removes one user's changes up to `uptoSeq`; returns how many there were. */
  removeForUser(tenantId: string, userId: string, uptoSeq: number): Promise<number>;
}

/**
 * Tenant-wide SCIM teardown (disabling SCIM, deleting the SCIM setup, seeds 000 and 002), a
 * batch at a time: each call changes at most `limit` resources and returns them, so that the
 * caller writes their events in the same transaction; the caller calls again until a batch
 * comes back short.
 */
export interface ScimSetupStore {
  /** Deletes every token of the tenant for good. */
  deleteTokens(tenantId: string): Promise<number>;
  /** Deletes groups with their members and their memberships in other groups (their members marked changed at `at`); returns them as they were. */
  deleteGroups(tenantId: string, limit: number, at: string): Promise<readonly GroupRecord[]>;
  /** Removes externalId from users that have one (column and document), bumping version and lastModified. */
  clearUserExternalIds(tenantId: string, at: string, limit: number): Promise<readonly { before: UserRecord; after: UserRecord }[]>;
  /** Deletes SCIM users for good (member rows stay); returns them as they were. */
  deleteUsers(tenantId: string, limit: number): Promise<readonly UserRecord[]>;
}
