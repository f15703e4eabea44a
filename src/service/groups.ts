import { groupResourceType } from '../schema/registry.js';
import { isJsonObject, jsonEqual, type JsonObject } from '../scim/json.js';
import { applyPatch, readPatchRequest } from '../scim/patch/index.js';
import { checkImmutable } from '../scim/resource/immutable.js';
import { readResourceInput, type ReadInputOptions } from '../scim/resource/read-input.js';
import { checkResourceLimits } from '../scim/resource/resource-limits.js';
import { plainStorage, type ProvisioningPolicy } from '../policy/provisioning-policy.js';
import type { GroupRecord, MemberName, MembershipRecord } from '../store/records.js';
import type { Store, StoreSession } from '../store/store.js';
import { newId, now } from './clock.js';
import { groupChangeEvent, groupEvent } from '../policy/resource-events.js';
import { membershipEvents, removedFromGroupsEvents } from './events.js';
import type { ScimContext } from './context.js';
import { GroupMembership, allMemberships, membershipIdsOf, membershipPages, type MembershipChange } from './group-memberships.js';
import { withCursorErrors, type ListPage, type ListParams } from './list.js';
import { ResourceWrites, type AttributeChange, type ResourceKind } from './resource-writes.js';

/** A group as SCIM shows it; `members` is undefined when the request excluded them. */
export interface GroupView {
  readonly record: GroupRecord;
  readonly members: readonly MembershipRecord[] | undefined;
}

/** How much of a group a read or write returns. */
export interface GroupReadOptions {
  /** False skips member work entirely (`excludedAttributes=members`, PATCH answered with 204). */
  readonly withMemberships: boolean;
}

const WITH_MEMBERSHIPS: GroupReadOptions = { withMemberships: true };

/** Whether a request body names `members` at all (`"members": []` and `null` do: they empty the group). */
function mentionsMembers(body: unknown): boolean {
  return isJsonObject(body) && Object.keys(body).some((key) => /(^|:)members$/i.test(key));
}

/**
 * Splits the coerced `members` out of a group body: they live in their own table.
 * `membershipIds` is undefined when the body did not mention members.
 */
function splitMemberships(data: JsonObject, body: unknown): { data: JsonObject; membershipIds: readonly string[] | undefined } {
  const { members, ...rest } = data;
  return { data: rest, membershipIds: mentionsMembers(body) ? membershipIdsOf(members) : undefined };
}

const GROUPS: ResourceKind<GroupRecord> = {
  name: 'Group',
  read: (session, tenantId, id, forUpdate) => (forUpdate ? session.groups.getForUpdate(tenantId, id) : session.groups.get(tenantId, id)),
  live: () => true,
  // Group displayName is unique per tenant (migration 004).
  taken: (record) => `A group with displayName "${record.displayName}" already exists.`,
};

/** The names membership events carry, of the members a change added or removed (they still exist: read in the change's transaction). */
function memberNamesOf(tx: StoreSession, tenantId: string, change: MembershipChange): Promise<ReadonlyMap<string, MemberName>> {
  return tx.groups.memberNames(tenantId, [...change.added, ...change.removed]);
}

/** SCIM /Groups: memberships are changed with set-based statements, never member by member. */
export class GroupService {
  private readonly writes: ResourceWrites<GroupRecord>;

  constructor(
    private readonly store: Store,
    private readonly policy: ProvisioningPolicy = plainStorage,
  ) {
    this.writes = new ResourceWrites(store, GROUPS);
  }

  private inputOptions(context: ScimContext): ReadInputOptions {
    return { registry: context.registry, resourceType: groupResourceType, strict: context.tenant.settings.strictAttributes };
  }

  async create(context: ScimContext, body: unknown): Promise<GroupView> {
    const { data, membershipIds } = splitMemberships(readResourceInput(body, this.inputOptions(context)), body);
    checkResourceLimits(data, 'Group', context.limits);
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
    return this.writes.create(context, async (tx, tenant) => {
      const membership = new GroupMembership(tx, tenantId, record.id);
      await this.writes.unique(record, () => tx.groups.insert(record));
      // Unknown member ids fail here, and the transaction takes the group back with them.
      await membership.add(membershipIds ?? []);
      await tx.events.append(tenantId, [groupEvent('group.created', record), ...membershipEvents(record, membership.change(), await memberNamesOf(tx, tenantId, membership.change()))], at);
      await this.policy.afterMembershipChange(tx, tenant, record, membership.change());
      return this.view(tx, record, WITH_MEMBERSHIPS);
    });
  }

  async get(context: ScimContext, id: string, options: GroupReadOptions = WITH_MEMBERSHIPS): Promise<GroupView> {
    return this.view(this.store.read, await this.writes.find(this.store.read, context, id), options);
  }

  /** The members of a group a page at a time (for streaming a large group's read). */
  membershipPages(context: ScimContext, id: string): AsyncGenerator<readonly MembershipRecord[]> {
    return membershipPages(this.store.read, context.tenant.id, id);
  }

  async list(context: ScimContext, params: ListParams, options: GroupReadOptions = WITH_MEMBERSHIPS): Promise<ListPage<GroupView>> {
    const result = await withCursorErrors(() => this.store.read.groups.list(context.tenant.id, { registry: context.registry, ...params }));
    const views: GroupView[] = [];
    for (const record of result.rows) views.push(await this.view(this.store.read, record, options));
    return { ...result, views };
  }

  /**
   * PUT: replaces the group's attributes. A body with `members` replaces the membership with
   * exactly that set; a body without `members` leaves the membership as it is, so that a
   * partial body never empties a group by accident (`"members": []` empties it).
   */
  async replace(context: ScimContext, id: string, body: unknown, ifMatch?: string): Promise<GroupView> {
    const { data, membershipIds } = splitMemberships(readResourceInput(body, this.inputOptions(context)), body);
    checkResourceLimits(data, 'Group', context.limits);
    return this.write(context, id, ifMatch, WITH_MEMBERSHIPS, async (before, membership) => {
      checkImmutable(before.data, data, context.registry, groupResourceType);
      if (membershipIds !== undefined) await membership.replace(membershipIds);
      return { data, changed: !jsonEqual(data, before.data) };
    });
  }

  /**
   * PATCH (RFC 7644 §3.5.2): attribute operations are applied to the group's JSON; operations
   * on `members` run as set-based statements, so their cost follows the members named.
   */
  async patch(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, options: GroupReadOptions): Promise<GroupView> {
    const operations = readPatchRequest(body, context.limits?.patchOperations);
    return this.write(context, id, ifMatch, options, async (before, membership) => {
      const result = applyPatch(before.data, operations, { ...this.inputOptions(context), deferredAttributes: ['members'] });
      if (result.changed) checkResourceLimits(result.resource, 'Group', context.limits);
      await membership.apply(result.deferred);
      return { data: result.resource, changed: result.changed };
    });
  }

  async remove(context: ScimContext, id: string, ifMatch?: string): Promise<void> {
    const tenantId = context.tenant.id;
    await this.writes.update(context, id, ifMatch, async (tx, before, tenant) => {
      await this.policy.beforeGroupRemove(tx, tenant, before);
      // Its memberships in other groups end with it: one group.member_removed each.
      const parents = await tx.users.groupsOf(tenantId, [id]);
      const at = now();
      await tx.members.touchMembersOf(tenantId, [id], at);
      await tx.groups.remove(tenantId, id);
      await tx.events.append(tenantId, [...removedFromGroupsEvents(tenantId, { id, type: 'Group', name: before.displayName }, parents), groupEvent('group.deleted', before)], at);
    });
  }

  /**
   * One write of a group in one transaction: `change` computes the new attributes and makes
   * membership changes; the version moves only when something changed.
   */
  private write(
    context: ScimContext,
    id: string,
    ifMatch: string | undefined,
    options: GroupReadOptions,
    change: (before: GroupRecord, membership: GroupMembership) => Promise<AttributeChange>,
  ): Promise<GroupView> {
    const tenantId = context.tenant.id;
    return this.writes.update(context, id, ifMatch, async (tx, before, tenant) => {
      const membership = new GroupMembership(tx, tenantId, id);
      const { data, changed: dataChanged } = await change(before, membership);
      const members = membership.change();
      if (!dataChanged && members.added.length === 0 && members.removed.length === 0) return this.view(tx, before, options);
      const after: GroupRecord = {
        ...before,
        displayName: data.displayName as string,
        externalId: typeof data.externalId === 'string' ? data.externalId : null,
        lastModified: now(),
        version: before.version + 1,
        data,
      };
      await this.writes.unique(after, () => tx.groups.update(after));
      const events = [...(dataChanged ? [groupChangeEvent(before, after)] : []), ...membershipEvents(after, members, await memberNamesOf(tx, tenantId, members))];
      await tx.events.append(tenantId, events, after.lastModified);
      const renamed = before.displayName !== after.displayName;
      if (members.added.length > 0 || members.removed.length > 0 || renamed) await this.policy.afterMembershipChange(tx, tenant, after, { ...members, renamed });
      return this.view(tx, after, options);
    });
  }

  private async view(session: StoreSession, record: GroupRecord, options: GroupReadOptions): Promise<GroupView> {
    return { record, members: options.withMemberships ? await allMemberships(session, record.tenantId, record.id) : undefined };
  }
}
