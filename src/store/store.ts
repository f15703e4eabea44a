import type { UndeclaredAttributeStore } from './undeclared-attribute-store.js';
import type { AttributePath } from '../schema/attribute-path.js';
import type { FilterNode } from '../scim/filter/ast.js';
import type { JsonObject } from '../scim/json.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { EventRecord, GroupRecord, MemberName, MembershipRecord, MembershipType, NewEvent, OperatorKeyRecord, TenantRecord, TokenRecord, UserGroupRecord, UserRecord } from './records.js';
import type { MemberStore, PendingChangeStore, ScimSetupStore } from './member-store.js';
import type { ProvisioningLogStore } from './log-store.js';
import type { RefusedRequestStore } from './refused-request-store.js';
import type { RetentionStore } from './retention-store.js';
import type { WebhookStore } from './webhook-store.js';
import type { DirectoryStore } from './directory-store.js';
import type { RateCounterStore } from './rate-counter-store.js';
import type { ConsoleSessionStore, SetupLinkStore } from './console-store.js';

/**
 * The storage contract. The SCIM core and the HTTP layer never see SQL: they call these
 * methods. Every method takes the tenant id and touches only that tenant's rows. Methods
 * return undefined (never throw) for "not found"; they throw `UniqueViolation` when a
 * unique key would be broken, and let any other database error propagate.
 */
export interface Store {
  /** `sqlite` or `postgres`, for diagnostics only: callers never branch on it. */
  readonly engine: string;
  /** Applies pending migrations. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Runs `work` in one transaction: all of its writes commit together or not at all. Writes
   * outside `work`'s session are not part of it.
   */
  transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /**
   * Runs `work` with the transactions it opens (through `transaction`, in its async context)
   * grouped into one database transaction, each in a savepoint of its own: a transaction that
   * throws is undone alone, as if it had run by itself, and the others commit together when
   * `work` returns. `work`'s own session writes in the group, outside any savepoint. When the
   * group fails as a whole (its commit, or a conflict that running again would resolve), it
   * throws and nothing of it is committed; the caller then runs the work again ungrouped.
   * The transactions of a group run one after another, never at the same time; one begun
   * from a timer or callback that `work` set up joins the group while it is open, so `work`
   * sets up none that write.
   */
  transactionGroup<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;

  /**
   * Runs `work`'s reads in one read-only snapshot of the database: every read sees the same
   * committed state, whatever commits meanwhile (PostgreSQL: a REPEATABLE READ READ ONLY
   * transaction; SQLite: a read transaction on its one connection, which writers wait for).
   * A page and the event position read with it therefore describe the same moment.
   */
  snapshot<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>;
  /** A session for reads outside any transaction. */
  readonly read: StoreSession;
  close(): Promise<void>;
  /** Connection pool use, for metrics; undefined on engines without a pool (SQLite). */
  poolStats?(): PoolStats | undefined;
  /**
   * Rate-limit counters shared by every process on the database (PostgreSQL); undefined
   * where one process owns the database (SQLite), which counts in memory instead.
   */
  readonly rateCounters?: RateCounterStore;
}

/** A connection pool's state (PostgreSQL). */
export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  /** Requests waiting for a connection. */
  readonly waiting: number;
  readonly max: number;
}

export interface StoreSession {
  readonly tenants: TenantStore;
  readonly tokens: TokenStore;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly events: EventStore;
  readonly operatorKeys: OperatorKeyStore;
  readonly members: MemberStore;
  readonly pendingChanges: PendingChangeStore;
  readonly scimSetup: ScimSetupStore;
  readonly webhooks: WebhookStore;
  readonly provisioningLog: ProvisioningLogStore;
  readonly refusedRequests: RefusedRequestStore;
  readonly retention: RetentionStore;
  readonly setupLinks: SetupLinkStore;
  readonly consoleSessions: ConsoleSessionStore;
  readonly directory: DirectoryStore;
  readonly undeclaredAttributes: UndeclaredAttributeStore;
}

/** Raised by a store when an insert or update would break a unique key. */
export class UniqueViolation extends Error {
  constructor(readonly key: string) {
    super(`unique key ${key} violated`);
  }
}

/** Sorting by one attribute (RFC 7644 §3.4.2.3); the path has been validated against the schema. */
export interface SortSpec {
  readonly path: AttributePath;
  readonly descending: boolean;
}

/**
 * How a list query is scoped. Filters have been validated against the schema already.
 * Rows come in a stable order: by the sort attribute when given, then by creation time and id.
 */
export interface ListQuery {
  readonly registry: SchemaRegistry;
  readonly filter?: FilterNode;
  readonly sort?: SortSpec;
  /** 0-based offset (index paging). Ignored when `cursor` is given. */
  readonly offset: number;
  /** Rows to return; 0 means count only. */
  readonly limit: number;
  /**
   * Cursor paging (RFC 9865): continue from a previous result's `nextCursor` or
   * `previousCursor`, each of which knows the direction it reads in. A null position starts
   * at the beginning of the list (with `fromEnd`, at its end, reading backwards; `fromEnd`
   * is ignored with a position). Undefined means index paging.
   */
  readonly cursor?: { readonly position: string | null; readonly fromEnd?: boolean };
  /** Includes users deleted (archived) through SCIM; they are hidden from SCIM reads otherwise. */
  readonly includeDeleted?: boolean;
  /**
   * When the list must stop (epoch milliseconds): its statements are interrupted once it has
   * passed, and the list throws QueryDeadlineExceeded. None when undefined.
   */
  readonly deadline?: number;
}

export interface ListResult<T> {
  readonly total: number;
  readonly rows: readonly T[];
  /** With cursor paging: the position after the last row, absent on the last page. */
  readonly nextCursor?: string;
  /** With cursor paging: the position before the first row, absent on the first page. */
  readonly previousCursor?: string;
}

/** Raised by a store for a cursor it did not issue or can no longer honour. */
export class InvalidCursor extends Error {}

/** Raised by a store when a list ran past its deadline (ListQuery.deadline) and was stopped. */
export class QueryDeadlineExceeded extends Error {
  constructor() {
    super('The query ran past its deadline and was stopped.');
    this.name = 'QueryDeadlineExceeded';
  }
}

export interface TenantStore {
  /** Throws UniqueViolation when another tenant has the externalId. */
  insert(tenant: TenantRecord): Promise<void>;
  /** A live tenant: a deleted one is not found. */
  get(id: string): Promise<TenantRecord | undefined>;
  /** Live tenants; with `externalId`, the one that has it (or none). */
  list(filter?: { readonly externalId?: string }): Promise<readonly TenantRecord[]>;
  /** Sets or clears the externalId; throws UniqueViolation when another tenant has it. */
  setExternalId(id: string, externalId: string | null): Promise<void>;
  /**
   * Marks a live tenant deleted (gone for every API from now on; its externalId freed);
   * false when there is no such live tenant. Its rows stay until `purgeBatch` removes them.
   */
  markDeleted(id: string, at: string): Promise<boolean>;
  /** Deleted tenants whose rows are not all purged yet. */
  awaitingPurge(): Promise<readonly string[]>;
  /**
   * Removes up to `limit` rows of a deleted tenant's data (one table at a time, children
   * first); returns how many, 0 once nothing is left (and marks the tenant purged). The
   * tenant row and its `tenant.deleted` event stay, with the global webhook endpoints'
   * cursors and deliveries of that event, so that it still reaches them.
   */
  purgeBatch(id: string, limit: number, at: string): Promise<number>;
  updateSettings(id: string, settings: JsonObject): Promise<void>;
  rename(id: string, name: string): Promise<void>;
}

export interface TokenStore {
  insert(token: TokenRecord, tokenHash: string): Promise<void>;
  /** Finds an unrevoked token by the SHA-256 (hex) of its secret, with its tenant. */
  findByHash(tokenHash: string): Promise<{ token: TokenRecord; tokenHash: string } | undefined>;
  list(tenantId: string): Promise<readonly TokenRecord[]>;
  /** Marks a token revoked; false when the tenant has no such unrevoked token. */
  revoke(tenantId: string, tokenId: string, at: string): Promise<boolean>;
  /** Sets when an unrevoked token stops working; false when the tenant has no such token. */
  expire(tenantId: string, tokenId: string, expiresAt: string): Promise<boolean>;
  touch(tenantId: string, tokenId: string, at: string): Promise<void>;
}

/** A user's row with its direct groups (as `groupsOf` gives them) and its manager's display, read together. */
export interface UserWithGroups {
  readonly record: UserRecord;
  readonly groups: readonly UserGroupRecord[];
  /** The live user the record's enterprise `manager.value` names, with its display (displayName, else userName). */
  readonly manager?: { readonly id: string; readonly displayName: string };
}

export interface UserStore {
  insert(user: UserRecord): Promise<void>;
  /**
   * Replaces every column of an existing user; the caller has bumped `version`. `before`,
   * the stored user the caller read (and locked) in the same transaction, lets the store
   * skip the side rows that did not change (email index, member displays).
   */
  update(user: UserRecord, before?: UserRecord): Promise<void>;
  get(tenantId: string, id: string): Promise<UserRecord | undefined>;
  /**
   * `get`, and inside a transaction the row stays locked until it ends, so that a concurrent
   * read-modify-write of the same user waits and then reads this one's result.
   */
  getForUpdate(tenantId: string, id: string): Promise<UserRecord | undefined>;
  /** `get` with what every SCIM read of a user shows besides its row (UserWithGroups), in one statement. */
  getWithGroups(tenantId: string, id: string): Promise<UserWithGroups | undefined>;
  /**
   * The live user whose `user_name_key` equals `userNameKey` (the folded userName, as the
   * `userName eq` filter compares it), as `getWithGroups` reads it: the IdPs' lookup.
   */
  findLiveWithGroups(tenantId: string, userNameKey: string): Promise<UserWithGroups | undefined>;
  /** Finds a user by userName compared case-insensitively: the live one, else the latest archived one. */
  findByUserName(tenantId: string, userName: string): Promise<UserRecord | undefined>;
  /**
   * The user a create of `userName` meets: the user `findByUserName` finds, else the most
   * recently deleted (archived) user with `externalId`.
   */
  findCreateCandidate(tenantId: string, userName: string, externalId: string | null): Promise<UserRecord | undefined>;
  list(tenantId: string, query: ListQuery): Promise<ListResult<UserRecord>>;
  /** Removes the row for good (and its memberships). */
  remove(tenantId: string, id: string): Promise<void>;
  /** Display names (displayName, else userName) of the live users among `ids`. */
  displayNames(tenantId: string, ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Direct groups of the given users, for their `groups` attribute. */
  groupsOf(tenantId: string, userIds: readonly string[]): Promise<readonly UserGroupRecord[]>;
}

export interface GroupStore {
  insert(group: GroupRecord): Promise<void>;
  update(group: GroupRecord): Promise<void>;
  get(tenantId: string, id: string): Promise<GroupRecord | undefined>;
  /** `get`, locking the row until the transaction ends (see UserStore.getForUpdate). */
  getForUpdate(tenantId: string, id: string): Promise<GroupRecord | undefined>;
  list(tenantId: string, query: ListQuery): Promise<ListResult<GroupRecord>>;
  remove(tenantId: string, id: string): Promise<void>;
  /** Members of a group in a stable order, `limit` at a time after `afterId`. */
  memberships(tenantId: string, groupId: string, afterId: string | null, limit: number): Promise<readonly MembershipRecord[]>;
  /** Which of `ids` exist in the tenant, and as what type; users deleted through SCIM do not count. */
  resolveMembershipTypes(tenantId: string, ids: readonly string[]): Promise<ReadonlyMap<string, MembershipType>>;
  /** The type and name (userName, or a group's displayName) of each user or group among `ids`, for membership events. */
  memberNames(tenantId: string, ids: readonly string[]): Promise<ReadonlyMap<string, MemberName>>;
  /** Adds members (existing ones are kept as they are); returns how many rows were added. */
  addMemberships(tenantId: string, groupId: string, members: readonly { value: string; type: MembershipType }[]): Promise<number>;
  /** Removes the listed members; returns how many rows were removed. */
  removeMemberships(tenantId: string, groupId: string, ids: readonly string[]): Promise<number>;
  /** Removes every member; returns how many rows were removed. */
  clearMemberships(tenantId: string, groupId: string): Promise<number>;
  /** Which of `ids` are members of the group (cost proportional to `ids`, not to the group). */
  membershipIdsAmong(tenantId: string, groupId: string, ids: readonly string[]): Promise<ReadonlySet<string>>;
  /** Groups that are direct members of any of `groupIds` (for nested-group cycle checks). */
  childGroups(tenantId: string, groupIds: readonly string[]): Promise<readonly string[]>;
  /** Removes a member from every group of the tenant (on user deletion). */
  removeFromAllGroups(tenantId: string, id: string): Promise<number>;
}

export interface OperatorKeyStore {
  insert(key: OperatorKeyRecord, keyHash: string): Promise<void>;
  /**
   * Inserts the key unless one with this hash exists, revoked or not; whether it inserted. The
   * unique hash decides, so concurrent calls from several processes insert exactly one.
   */
  insertUnlessPresent(key: OperatorKeyRecord, keyHash: string): Promise<boolean>;
  /** An unrevoked key by the SHA-256 (hex) of its secret. */
  findByHash(keyHash: string): Promise<{ key: OperatorKeyRecord; keyHash: string } | undefined>;
  list(): Promise<readonly OperatorKeyRecord[]>;
  /** False when there is no such unrevoked key. */
  revoke(id: string, at: string): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
}

export interface EventStore {
  /** Appends events with consecutive per-tenant sequence numbers. */
  append(tenantId: string, events: readonly NewEvent[], at: string): Promise<void>;
  /** Events after `afterSeq`, oldest first; with `types`, only those (exact types or families such as `user.*`). */
  list(tenantId: string, afterSeq: number, limit: number, types?: readonly string[]): Promise<readonly EventRecord[]>;
  /**
   * The global feed: events of every tenant after a position (an event's `position`, or one
   * from `feedPosition`), in feed order. Only events that no transaction still running or yet
   * to start can be ordered before are returned, so a reader that continues from the last
   * position it got never skips an event. Throws InvalidCursor for a position it did not issue.
   */
  listGlobal(query: GlobalFeedQuery): Promise<readonly EventRecord[]>;
  /**
   * The global feed position of this session's snapshot: every event this snapshot sees is at
   * or before it, or is returned again by a reader that continues from it (at least once);
   * every event it does not see comes after it. Call it inside the transaction that reads the
   * page it goes with (`store.transaction((tx) => tx.events.feedPosition())`), in the same
   * snapshot as the page's reads.
   */
  feedPosition(): Promise<string>;
  /** The tenant's last event seq (0 before the first event): where a feed reader continues. */
  lastSeq(tenantId: string): Promise<number>;
}

export interface GlobalFeedQuery {
  /** A position from an earlier page or from `feedPosition`; null for the beginning. */
  readonly after: string | null;
  readonly limit: number;
  readonly tenantId?: string;
  /** Exact types or families (`user.*`); empty or absent for every type. */
  readonly types?: readonly string[];
}
