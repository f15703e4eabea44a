import { groupResourceType } from '../schema/registry.js';
import { InvalidValueError, NotFoundError } from '../scim/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../scim/json.js';
import { checkImmutable } from '../scim/resource/immutable.js';
import { readResourceInput } from '../scim/resource/read-input.js';
import type { GroupRecord, MemberRecord, MemberType, NewEvent } from '../store/records.js';
import type { Store, StoreSession } from '../store/store.js';
import { newId, now } from './clock.js';
import type { ScimContext } from './context.js';
import type { ListParams } from './users.js';
import { checkIfMatch } from './preconditions.js';

/** A group as SCIM shows it; `members` is undefined when the request excluded them. */
export interface GroupView {
  readonly record: GroupRecord;
  readonly members: readonly MemberRecord[] | undefined;
}

/** Members are read from the store this many at a time. */
const MEMBER_PAGE = 5000;

function groupEvent(type: string, group: GroupRecord, extra: JsonObject = {}): NewEvent {
  return { type, resourceType: 'Group', resourceId: group.id, payload: { displayName: group.displayName, ...extra } };
}

function memberEvents(type: 'group.member_added' | 'group.member_removed', group: GroupRecord, memberIds: Iterable<string>): NewEvent[] {
  return [...memberIds].map((memberId) => groupEvent(type, group, { memberId }));
}

/** Whether a request body names `members` at all (`"members": []` and `null` do: they empty the group). */
function mentionsMembers(body: unknown): boolean {
  return isJsonObject(body) && Object.keys(body).some((key) => /(^|:)members$/i.test(key));
}

/**
 * Splits the coerced `members` out of a group body: they live in their own table.
 * `memberIds` is undefined when the body did not mention members.
 */
function splitMembers(data: JsonObject, body: unknown): { data: JsonObject; memberIds: readonly string[] | undefined } {
  const { members, ...rest } = data;
  if (!mentionsMembers(body)) return { data: rest, memberIds: undefined };
  const list: JsonValue[] = Array.isArray(members) ? members : [];
  const ids = list.flatMap((member) => (isJsonObject(member) && typeof member.value === 'string' ? [member.value] : []));
  return { data: rest, memberIds: [...new Set(ids)] };
}

/** SCIM /Groups: memberships are changed with set-based statements, never member by member. */
export class GroupService {
  constructor(private readonly store: Store) {}

  private read(context: ScimContext, body: unknown): JsonObject {
    return readResourceInput(body, {
      registry: context.registry,
      resourceType: groupResourceType,
      strict: context.tenant.settings.strictAttributes === true,
    });
  }

  async create(context: ScimContext, body: unknown): Promise<GroupView> {
    const { data, memberIds } = splitMembers(this.read(context, body), body);
    const tenantId = context.tenant.id;
    const at = now();
    const record: GroupRecord = {
      tenantId,
      id: newId(),
      displayName: data.displayName as string,
      externalId: typeof data.externalId === 'string' ? data.externalId : null,
      created: at,
      lastModified: at,
      version: 1,
      data,
    };
    return this.store.transaction(async (tx) => {
      const members = await this.resolve(tx, tenantId, record.id, memberIds ?? []);
      await tx.groups.insert(record);
      await tx.groups.addMembers(tenantId, record.id, members);
      await tx.events.append(tenantId, [groupEvent('group.created', record), ...memberEvents('group.member_added', record, members.map((m) => m.value))], at);
      return { record, members: await this.allMembers(tx, tenantId, record.id) };
    });
  }

  async get(context: ScimContext, id: string, withMembers = true): Promise<GroupView> {
    const record = await this.find(this.store.read, context, id);
    return { record, members: withMembers ? await this.allMembers(this.store.read, context.tenant.id, id) : undefined };
  }

  async list(context: ScimContext, params: ListParams, withMembers = true): Promise<{ total: number; views: readonly GroupView[] }> {
    const result = await this.store.read.groups.list(context.tenant.id, { registry: context.registry, ...params });
    const views: GroupView[] = [];
    for (const record of result.rows) {
      views.push({ record, members: withMembers ? await this.allMembers(this.store.read, context.tenant.id, record.id) : undefined });
    }
    return { total: result.total, views };
  }

  /**
   * PUT: replaces the group's attributes. A body with `members` replaces the membership with
   * exactly that set; a body without `members` leaves the membership as it is, so that a
   * partial body never empties a group by accident (`"members": []` empties it).
   */
  async replace(context: ScimContext, id: string, body: unknown, ifMatch?: string): Promise<GroupView> {
    const { data, memberIds } = splitMembers(this.read(context, body), body);
    const tenantId = context.tenant.id;
    return this.store.transaction(async (tx) => {
      const before = await this.find(tx, context, id);
      checkIfMatch(ifMatch, before.version);
      checkImmutable(before.data, data, context.registry, groupResourceType);
      const events: NewEvent[] = [];
      let membersChanged = false;
      if (memberIds !== undefined) {
        const wanted = await this.resolve(tx, tenantId, id, memberIds);
        const current = new Set((await this.allMembers(tx, tenantId, id)).map((member) => member.value));
        const wantedIds = new Set(wanted.map((member) => member.value));
        const removed = [...current].filter((memberId) => !wantedIds.has(memberId));
        const added = wanted.filter((member) => !current.has(member.value));
        await tx.groups.removeMembers(tenantId, id, removed);
        await tx.groups.addMembers(tenantId, id, added);
        events.push(...memberEvents('group.member_removed', before, removed), ...memberEvents('group.member_added', before, added.map((m) => m.value)));
        membersChanged = removed.length > 0 || added.length > 0;
      }
      const dataChanged = JSON.stringify(data) !== JSON.stringify(before.data);
      if (!dataChanged && !membersChanged) return { record: before, members: await this.allMembers(tx, tenantId, id) };
      const after: GroupRecord = {
        ...before,
        displayName: data.displayName as string,
        externalId: typeof data.externalId === 'string' ? data.externalId : null,
        lastModified: now(),
        version: before.version + 1,
        data,
      };
      await tx.groups.update(after);
      if (dataChanged) events.unshift(groupEvent('group.updated', after));
      await tx.events.append(tenantId, events, after.lastModified);
      return { record: after, members: await this.allMembers(tx, tenantId, id) };
    });
  }

  async remove(context: ScimContext, id: string, ifMatch?: string): Promise<void> {
    const tenantId = context.tenant.id;
    await this.store.transaction(async (tx) => {
      const before = await this.find(tx, context, id);
      checkIfMatch(ifMatch, before.version);
      await tx.groups.remove(tenantId, id);
      await tx.events.append(tenantId, [groupEvent('group.deleted', before)], now());
    });
  }

  private async find(session: StoreSession, context: ScimContext, id: string): Promise<GroupRecord> {
    const record = await session.groups.get(context.tenant.id, id);
    if (record === undefined) throw new NotFoundError(`Group ${id} not found.`);
    return record;
  }

  /** Checks that every member id exists in the tenant; 400 naming the unknown ones otherwise. */
  private async resolve(session: StoreSession, tenantId: string, groupId: string, ids: readonly string[]): Promise<{ value: string; type: MemberType }[]> {
    if (ids.includes(groupId)) throw new InvalidValueError('A group cannot be a member of itself.');
    const found = await session.groups.resolveMembers(tenantId, ids);
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 10).join(', ');
      throw new InvalidValueError(`Unknown member id${unknown.length > 1 ? 's' : ''}: ${shown}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}.`);
    }
    return ids.map((value) => ({ value, type: found.get(value) ?? 'User' }));
  }

  private async allMembers(session: StoreSession, tenantId: string, groupId: string): Promise<MemberRecord[]> {
    const out: MemberRecord[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await session.groups.members(tenantId, groupId, after, MEMBER_PAGE);
      out.push(...page);
      if (page.length < MEMBER_PAGE) return out;
      after = page[page.length - 1]?.value ?? null;
    }
  }
}
