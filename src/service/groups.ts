import { groupResourceType } from '../schema/registry.js';
import { NotFoundError, UniquenessError } from '../scim/errors.js';
import { isJsonObject, jsonEqual, type JsonObject } from '../scim/json.js';
import { applyPatch, readPatchRequest } from '../scim/patch/index.js';
import { checkImmutable } from '../scim/resource/immutable.js';
import { readResourceInput, type ReadInputOptions } from '../scim/resource/read-input.js';
import { plainStorage, type ProvisioningPolicy } from '../policy/provisioning-policy.js';
import type { GroupRecord, MembershipRecord } from '../store/records.js';
import { UniqueViolation, type Store, type StoreSession } from '../store/store.js';
import { newId, now } from './clock.js';
import { groupChangeEvent, groupEvent, membershipEvents } from './events.js';
import type { ScimContext } from './context.js';
import { GroupMembership, allMemberships, membershipIdsOf, membershipPages } from './group-memberships.js';
import { checkIfMatch } from './preconditions.js';
import { withCursorErrors, type ListPage, type ListParams } from './list.js';

/** A group as SCIM shows it; `memberships` is undefined when the request excluded `members`. */
export interface GroupView {
  readonly record: GroupRecord;
  readonly memberships: readonly MembershipRecord[] | undefined;
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

/** Group displayName is unique per tenant (migration 004): a clash is 409 uniqueness. */
async function uniqueName(write: () => Promise<void>, displayName: string): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof UniqueViolation) throw new UniquenessError(`A group with displayName "${displayName}" already exists.`);
    throw error;
  }
}

/** SCIM /Groups: memberships are changed with set-based statements, never member by member. */
export class GroupService {
  constructor(
    private readonly store: Store,
    private readonly policy: ProvisioningPolicy = plainStorage,
  ) {}

  private inputOptions(context: ScimContext): ReadInputOptions {
    return { registry: context.registry, resourceType: groupResourceType, strict: context.tenant.settings.strictAttributes === true };
  }

  async create(context: ScimContext, body: unknown): Promise<GroupView> {
    const { data, membershipIds } = splitMemberships(readResourceInput(body, this.inputOptions(context)), body);
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
      const membership = new GroupMembership(tx, tenantId, record.id);
      await uniqueName(() => tx.groups.insert(record), record.displayName);
      // Unknown member ids fail here, and the transaction takes the group back with them.
      await membership.add(membershipIds ?? []);
      await tx.events.append(tenantId, [groupEvent('group.created', record), ...membershipEvents(record, membership.change())], at);
      await this.policy.afterMembershipChange(tx, context.tenant, record, membership.change());
      return this.view(tx, record, WITH_MEMBERSHIPS);
    });
  }

  async get(context: ScimContext, id: string, options: GroupReadOptions = WITH_MEMBERSHIPS): Promise<GroupView> {
    return this.view(this.store.read, await this.find(this.store.read, context, id), options);
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
    return this.write(context, id, ifMatch, WITH_MEMBERSHIPS, async (before, membership) => {
      checkImmutable(before.data, data, context.registry, groupResourceType);
      if (membershipIds !== undefined) await membership.replace(membershipIds);
      return data;
    });
  }

  /**
   * PATCH (RFC 7644 §3.5.2): attribute operations are applied to the group's JSON; operations
   * on `members` run as set-based statements, so their cost follows the members named.
   */
  async patch(context: ScimContext, id: string, body: unknown, ifMatch: string | undefined, options: GroupReadOptions): Promise<GroupView> {
    const operations = readPatchRequest(body);
    return this.write(context, id, ifMatch, options, async (before, membership) => {
      const result = applyPatch(before.data, operations, { ...this.inputOptions(context), deferredAttributes: ['members'] });
      await membership.apply(result.deferred);
      return result.resource;
    });
  }

  async remove(context: ScimContext, id: string, ifMatch?: string): Promise<void> {
    const tenantId = context.tenant.id;
    await this.store.transaction(async (tx) => {
      const before = await this.find(tx, context, id, true);
      checkIfMatch(ifMatch, before.version);
      await this.policy.beforeGroupRemove(tx, context.tenant, before);
      await tx.groups.remove(tenantId, id);
      await tx.events.append(tenantId, [groupEvent('group.deleted', before)], now());
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
    change: (before: GroupRecord, membership: GroupMembership) => Promise<JsonObject>,
  ): Promise<GroupView> {
    const tenantId = context.tenant.id;
    return this.store.transaction(async (tx) => {
      const before = await this.find(tx, context, id, true);
      checkIfMatch(ifMatch, before.version);
      const membership = new GroupMembership(tx, tenantId, id);
      const data = await change(before, membership);
      const delta = membership.change();
      const dataChanged = !jsonEqual(data, before.data);
      if (!dataChanged && delta.added.length === 0 && delta.removed.length === 0) return this.view(tx, before, options);
      const after: GroupRecord = {
        ...before,
        displayName: data.displayName as string,
        externalId: typeof data.externalId === 'string' ? data.externalId : null,
        lastModified: now(),
        version: before.version + 1,
        data,
      };
      await uniqueName(() => tx.groups.update(after), after.displayName);
      const events = [...(dataChanged ? [groupChangeEvent(before, after)] : []), ...membershipEvents(after, delta)];
      await tx.events.append(tenantId, events, after.lastModified);
      if (delta.added.length > 0 || delta.removed.length > 0) await this.policy.afterMembershipChange(tx, context.tenant, after, delta);
      return this.view(tx, after, options);
    });
  }

  private async view(session: StoreSession, record: GroupRecord, options: GroupReadOptions): Promise<GroupView> {
    return { record, memberships: options.withMemberships ? await allMemberships(session, record.tenantId, record.id) : undefined };
  }

  /** A group; `forUpdate` (writes) locks its row until commit, so that writes of one group take turns (see UserService.find). */
  private async find(session: StoreSession, context: ScimContext, id: string, forUpdate = false): Promise<GroupRecord> {
    const record = await (forUpdate ? session.groups.getForUpdate(context.tenant.id, id) : session.groups.get(context.tenant.id, id));
    if (record === undefined) throw new NotFoundError(`Group ${id} not found.`);
    return record;
  }
}
