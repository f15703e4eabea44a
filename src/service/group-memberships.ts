import { coreGroupSchema } from '../schema/core-group.js';
import { InvalidValueError } from '../scim/errors.js';
import type { FilterNode } from '../scim/filter/ast.js';
import { evaluateValueFilter } from '../scim/filter/evaluate.js';
import { isJsonObject, type JsonValue } from '../scim/json.js';
import type { DeferredOperation } from '../scim/patch/index.js';
import type { MembershipRecord, MembershipType } from '../store/records.js';
import type { StoreSession } from '../store/store.js';

/** Members are read from the store this many at a time. */
const MEMBERSHIP_PAGE = 500;

const membersAttribute = coreGroupSchema.attributes.find((attribute) => attribute.name === 'members');

/** What a membership change did, for events and for deciding whether the group changed. */
export interface MembershipChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** The ids named by an array of `{ value }` elements, without repeats. */
export function membershipIdsOf(value: JsonValue | undefined): string[] {
  const list: JsonValue[] = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const ids = list.flatMap((member) => (isJsonObject(member) && typeof member.value === 'string' ? [member.value] : []));
  return [...new Set(ids)];
}

/**
 * The ids a filter selects when it only compares `value` with eq (`value eq "a" or value eq
 * "b"`), the form IdPs send; undefined for any other filter.
 */
function idsSelectedBy(filter: FilterNode): string[] | undefined {
  switch (filter.kind) {
    case 'compare':
      return filter.op === 'eq' && filter.path.name.toLowerCase() === 'value' && filter.path.subAttribute === undefined && typeof filter.value === 'string'
        ? [filter.value]
        : undefined;
    case 'or': {
      const left = idsSelectedBy(filter.left);
      const right = idsSelectedBy(filter.right);
      return left === undefined || right === undefined ? undefined : [...left, ...right];
    }
    case 'and':
    case 'not':
    case 'present':
    case 'valuePath':
      return undefined;
  }
}

/** A group's members a page at a time, in a stable order, so a large group is never all in memory. */
export async function* membershipPages(session: StoreSession, tenantId: string, groupId: string): AsyncGenerator<readonly MembershipRecord[]> {
  let after: string | null = null;
  for (;;) {
    const page = await session.groups.memberships(tenantId, groupId, after, MEMBERSHIP_PAGE);
    if (page.length > 0) yield page;
    if (page.length < MEMBERSHIP_PAGE) return;
    after = page[page.length - 1]?.value ?? null;
  }
}

/** Every member of a group. */
export async function allMemberships(session: StoreSession, tenantId: string, groupId: string): Promise<MembershipRecord[]> {
  const out: MembershipRecord[] = [];
  for await (const page of membershipPages(session, tenantId, groupId)) out.push(...page);
  return out;
}

/**
 * Membership changes of one group inside one transaction. Every statement is set-based and
 * costs in proportion to the members named, never to the group's size, except where the
 * request itself is about every member (replace all, remove all, or a filter other than
 * `value eq`).
 */
export class GroupMembership {
  private readonly added: string[] = [];
  private readonly removed: string[] = [];

  constructor(
    private readonly session: StoreSession,
    private readonly tenantId: string,
    private readonly groupId: string,
  ) {}

  /** What has changed so far. */
  change(): MembershipChange {
    return { added: [...this.added], removed: [...this.removed] };
  }

  /**
   * Checks that every id exists in the tenant (users archived by DELETE do not) and that no
   * group would contain itself, directly or through nested groups. Nothing is written when
   * any id fails: 400 invalidValue naming the ids.
   */
  async resolve(ids: readonly string[]): Promise<{ value: string; type: MembershipType }[]> {
    if (ids.includes(this.groupId)) throw new InvalidValueError('A group cannot be a member of itself.');
    const found = await this.session.groups.resolveMembershipTypes(this.tenantId, ids);
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 10).join(', ');
      throw new InvalidValueError(`Unknown member id${unknown.length > 1 ? 's' : ''}: ${shown}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}.`);
    }
    const groups = ids.filter((id) => found.get(id) === 'Group');
    await this.refuseCycles(groups);
    return ids.map((value) => ({ value, type: found.get(value) ?? 'User' }));
  }

  /** Walks down from the groups being added; reaching this group would make a cycle. */
  private async refuseCycles(groupIds: readonly string[]): Promise<void> {
    const seen = new Set<string>(groupIds);
    let frontier = [...groupIds];
    while (frontier.length > 0) {
      const children = await this.session.groups.childGroups(this.tenantId, frontier);
      if (children.includes(this.groupId)) {
        throw new InvalidValueError('Adding this group would create a cycle of nested groups.');
      }
      frontier = children.filter((id) => !seen.has(id));
      for (const id of frontier) seen.add(id);
    }
  }

  async add(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const memberships = await this.resolve(ids);
    const existing = await this.session.groups.membershipIdsAmong(this.tenantId, this.groupId, ids);
    const fresh = memberships.filter((membership) => !existing.has(membership.value));
    await this.session.groups.addMemberships(this.tenantId, this.groupId, fresh);
    this.added.push(...fresh.map((membership) => membership.value));
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const existing = await this.session.groups.membershipIdsAmong(this.tenantId, this.groupId, ids);
    const gone = ids.filter((id) => existing.has(id));
    await this.session.groups.removeMemberships(this.tenantId, this.groupId, gone);
    this.removed.push(...gone);
  }

  /** Makes the membership exactly `ids`. */
  async replace(ids: readonly string[]): Promise<void> {
    await this.resolve(ids);
    const current = new Set((await allMemberships(this.session, this.tenantId, this.groupId)).map((membership) => membership.value));
    const wanted = new Set(ids);
    await this.remove([...current].filter((id) => !wanted.has(id)));
    await this.add(ids.filter((id) => !current.has(id)));
  }

  /** Runs the deferred `members` operations of a PATCH, in order (RFC 7644 §3.5.2). */
  async apply(operations: readonly DeferredOperation[]): Promise<void> {
    for (const operation of operations) {
      switch (operation.op) {
        case 'add':
          await this.add(membershipIdsOf(operation.value));
          break;
        case 'replace':
          if (operation.filter === undefined) await this.replace(membershipIdsOf(operation.value));
          else {
            await this.remove(await this.selected(operation.filter));
            await this.add(membershipIdsOf(operation.value));
          }
          break;
        case 'remove':
          if (operation.filter !== undefined) await this.remove(await this.selected(operation.filter));
          else if (operation.value !== undefined) await this.remove(membershipIdsOf(operation.value));
          else await this.remove((await allMemberships(this.session, this.tenantId, this.groupId)).map((membership) => membership.value));
          break;
      }
    }
  }

  /** The member ids a value filter selects: directly for `value eq` filters, else by evaluating each member. */
  private async selected(filter: FilterNode): Promise<string[]> {
    const direct = idsSelectedBy(filter);
    if (direct !== undefined) return direct;
    if (membersAttribute === undefined) return [];
    const memberships = await allMemberships(this.session, this.tenantId, this.groupId);
    return memberships
      .filter((membership) => evaluateValueFilter(filter, { value: membership.value, type: membership.type, ...(membership.display === null ? {} : { display: membership.display }) }, membersAttribute))
      .map((membership) => membership.value);
  }
}
