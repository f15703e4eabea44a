import type { JsonObject } from '../scim/json.js';
import type { DirectoryGroupRecord, DirectoryMemberQuery, DirectoryMemberRecord, MemberSortKey } from '../store/directory-store.js';
import type { MemberStatus } from '../store/member-store.js';
import type { MembershipRecord, UserGroupRecord } from '../store/records.js';
import type { Store, StoreSession } from '../store/store.js';
import { Invalid, NotFound } from './errors.js';
import { groupMapping, type GroupMapping } from './group-mappings.js';
import type { Seats } from './members.js';
import { settingsIn } from './tenant-settings.js';

/**
 * Where a list page stands in the event feed, read in the page's own snapshot: following the
 * feed from here brings a copy made of this page (and the pages after it) up to date.
 */
export interface FeedPosition {
  /** The tenant's last event seq: pass it as `after` to GET /api/v1/events?tenant=…. */
  readonly seq: number;
  /** The global feed's position in the same snapshot: pass it as `after` to GET /api/v1/events. */
  readonly position: string;
}

/** The one place list responses get their feed positions: read in the page's session, hence its snapshot. */
async function feedPosition(session: StoreSession, tenantId: string): Promise<FeedPosition> {
  return { seq: await session.events.lastSeq(tenantId), position: await session.events.feedPosition() };
}

/** A member with its SCIM profile and its direct groups. */
export interface DirectoryMember extends DirectoryMemberRecord {
  readonly groups: readonly { readonly id: string; readonly displayName: string }[];
}

export interface DirectoryGroup extends GroupMapping {
  readonly memberCount: number;
  readonly profile: JsonObject;
}

export interface MemberListParams {
  readonly status?: MemberStatus;
  /** Without archived members (when no `status` is given). */
  readonly excludeArchived?: boolean;
  readonly role?: string;
  readonly group?: string;
  readonly updatedSince?: string;
  readonly userName?: string;
  readonly email?: string;
  readonly q?: string;
  readonly source?: 'scim' | 'manual';
  /** A sort key, `-` first for descending; default `userId`. */
  readonly sort?: string;
  readonly after?: string;
  readonly limit: number;
}

const SORT_KEYS: readonly MemberSortKey[] = ['userId', 'userName', 'createdAt', 'updatedAt'];

function sortOf(sort: string | undefined): { key: MemberSortKey; descending: boolean } {
  const descending = sort?.startsWith('-') === true;
  const name = descending ? sort?.slice(1) : sort;
  const key = SORT_KEYS.find((candidate) => candidate === (name ?? 'userId'));
  if (key === undefined) throw new Invalid(`"sort" must be one of ${SORT_KEYS.join(', ')}, optionally after "-".`);
  return { key, descending };
}

/** The sort value a cursor carries: the column the sort key orders by. */
function sortValue(record: DirectoryMemberRecord, key: MemberSortKey): string {
  const { member } = record;
  switch (key) {
    case 'userId':
      return member.userId;
    case 'userName':
      // Folded as the store keys userNames (NFC, lower case), which is what the index orders.
      return member.userName.normalize('NFC').toLowerCase();
    case 'createdAt':
      return member.createdAt;
    case 'updatedAt':
      return member.updatedAt;
  }
}

/**
 * Cursors: sorted by user id (the default), the last user id, as `next` has always been;
 * under another sort, the last row's sort value and user id, base64url JSON.
 */
function encodeCursor(record: DirectoryMemberRecord, key: MemberSortKey): string {
  if (key === 'userId') return record.member.userId;
  return encodePair(sortValue(record, key), record.member.userId);
}

/** The two strings a cursor other than a bare id carries (base64url JSON). */
function decodePair(cursor: string, message: string): readonly [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') return [parsed[0], parsed[1]];
  } catch {
    // Not JSON: answered below.
  }
  throw new Invalid(message);
}

function encodePair(first: string, second: string): string {
  return Buffer.from(JSON.stringify([first, second])).toString('base64url');
}

function decodeCursor(cursor: string, key: MemberSortKey): NonNullable<DirectoryMemberQuery['after']> {
  if (key === 'userId') return { userId: cursor };
  const [value, userId] = decodePair(cursor, '"after" must be the "next" of a previous page with the same "sort".');
  return { value, userId };
}

/** A group list's cursor: the last group's creation time and id. */
function decodeGroupCursor(cursor: string): { created: string; id: string } {
  const [created, id] = decodePair(cursor, '"after" must be the "next" of a previous page.');
  return { created, id };
}

function instantOf(text: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new Invalid('"updatedSince" must be an ISO-8601 date and time.');
  return new Date(time).toISOString();
}

function withGroups(records: readonly DirectoryMemberRecord[], groups: readonly UserGroupRecord[]): DirectoryMember[] {
  const byUser = new Map<string, { id: string; displayName: string }[]>();
  for (const group of groups) {
    const list = byUser.get(group.userId) ?? [];
    list.push({ id: group.value, displayName: group.display });
    byUser.set(group.userId, list);
  }
  return records.map((record) => ({ ...record, groups: byUser.get(record.member.userId) ?? [] }));
}

/**
 * The directory read API: members with their profiles and groups, groups with their members,
 * each page read in one snapshot together with the feed position it corresponds to.
 */
export class DirectoryService {
  constructor(private readonly store: Store) {}

  async listMembers(tenantId: string, params: MemberListParams): Promise<{ members: DirectoryMember[]; seats: Seats; next: string | null } & FeedPosition> {
    const sort = sortOf(params.sort);
    const query: DirectoryMemberQuery = {
      ...(params.status === undefined ? {} : { status: params.status }),
      ...(params.status === undefined && params.excludeArchived === true ? { excludeArchived: true } : {}),
      ...(params.role === undefined ? {} : { role: params.role }),
      ...(params.group === undefined ? {} : { groupId: params.group }),
      ...(params.updatedSince === undefined ? {} : { updatedSince: instantOf(params.updatedSince) }),
      ...(params.userName === undefined ? {} : { userName: params.userName }),
      ...(params.email === undefined ? {} : { email: params.email }),
      ...(params.q === undefined ? {} : { search: params.q }),
      ...(params.source === undefined ? {} : { source: params.source }),
      ...(params.after === undefined || params.after === '' ? {} : { after: decodeCursor(params.after, sort.key) }),
      sort: sort.key,
      descending: sort.descending,
      limit: params.limit,
    };
    return this.store.snapshot(async (session) => {
      const settings = await settingsIn(session, tenantId);
      const records = await session.directory.members(tenantId, query);
      const groups = await session.users.groupsOf(tenantId, records.map((record) => record.member.userId));
      const used = await session.members.countActive(tenantId);
      const last = records.at(-1);
      return {
        members: withGroups(records, groups),
        seats: { limit: settings.seatLimit, used, policy: settings.seatPolicy },
        next: records.length === params.limit && last !== undefined ? encodeCursor(last, sort.key) : null,
        ...(await feedPosition(session, tenantId)),
      };
    });
  }

  async getMember(tenantId: string, userId: string): Promise<DirectoryMember> {
    return this.store.snapshot(async (session) => {
      await settingsIn(session, tenantId);
      const record = await session.directory.member(tenantId, userId);
      if (record === undefined) throw new NotFound(`Tenant ${tenantId} has no member ${userId}.`);
      const [member] = withGroups([record], await session.users.groupsOf(tenantId, [userId]));
      return member ?? { ...record, groups: [] };
    });
  }

  /** Groups in creation order, `after` the last one (or skipping `offset`, the older paging). */
  async listGroups(tenantId: string, page: { after?: string; offset?: number; limit: number }): Promise<{ groups: DirectoryGroup[]; total: number; next: string | null } & FeedPosition> {
    return this.store.snapshot(async (session) => {
      const settings = await settingsIn(session, tenantId);
      const after = page.after === undefined || page.after === '' ? undefined : decodeGroupCursor(page.after);
      const { rows, total } = await session.directory.groups(tenantId, { ...(after === undefined ? {} : { after }), ...(page.offset === undefined ? {} : { offset: page.offset }), limit: page.limit });
      const last = rows.at(-1);
      return {
        groups: rows.map((row) => directoryGroup(settings, row)),
        total,
        next: rows.length === page.limit && last !== undefined ? encodePair(last.created, last.id) : null,
        ...(await feedPosition(session, tenantId)),
      };
    });
  }

  async getGroup(tenantId: string, groupId: string): Promise<DirectoryGroup> {
    return this.store.snapshot(async (session) => {
      const settings = await settingsIn(session, tenantId);
      const group = await session.directory.group(tenantId, groupId);
      if (group === undefined) throw new NotFound(`Tenant ${tenantId} has no group ${groupId}.`);
      return directoryGroup(settings, group);
    });
  }

  /** A group's direct members (users and groups), by id, `after` the last one. */
  async listGroupMembers(tenantId: string, groupId: string, after: string | undefined, limit: number): Promise<{ members: MembershipRecord[]; next: string | null } & FeedPosition> {
    return this.store.snapshot(async (session) => {
      await settingsIn(session, tenantId);
      if ((await session.groups.get(tenantId, groupId)) === undefined) throw new NotFound(`Tenant ${tenantId} has no group ${groupId}.`);
      const members = await session.groups.memberships(tenantId, groupId, after === undefined || after === '' ? null : after, limit);
      const last = members.at(-1);
      return { members: [...members], next: members.length === limit && last !== undefined ? last.value : null, ...(await feedPosition(session, tenantId)) };
    });
  }
}

function directoryGroup(settings: Parameters<typeof groupMapping>[0], group: DirectoryGroupRecord): DirectoryGroup {
  return { ...groupMapping(settings, group), memberCount: group.memberCount, profile: group.profile };
}
