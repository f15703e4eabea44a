import { userResourceType } from '../schema/registry.js';
import { NotFoundError, UniquenessError } from '../scim/errors.js';
import { isJsonObject, jsonEqual } from '../scim/json.js';
import { URN } from '../schema/urns.js';
import { checkImmutable } from '../scim/resource/immutable.js';
import { applyPatch, readPatchRequest } from '../scim/patch/index.js';
import { readResourceInput, type ReadInputOptions } from '../scim/resource/read-input.js';
import { checkPatchValueCounts, checkResourceLimits } from '../scim/resource/resource-limits.js';
import { plainStorage, type ProvisioningPolicy } from '../policy/provisioning-policy.js';
import type { UserGroupRecord, UserRecord } from '../store/records.js';
import type { Store, StoreSession, UserWithGroups } from '../store/store.js';
import { newId, now } from './clock.js';
import { recordUndeclared } from './undeclared-attributes.js';
import { userChangeEvent, userEvent } from '../policy/resource-events.js';
import { removedFromGroupsEvents } from './events.js';
import type { ScimContext } from './context.js';
import { withCursorErrors, type ListPage, type ListParams } from './list.js';
import { userNameLookupKey } from './user-lookup.js';
import { ResourceWrites, type AttributeChange, type ResourceKind } from './resource-writes.js';
import { eraseUser } from './erasure.js';

/** A user's enterprise manager (RFC 7643 §4.3), resolved once by the service. */
export interface ManagerView {
  /** The manager's id, as the user's `manager.value` names it. */
  readonly value: string;
  /** The manager's display name, when the manager is a live user of the tenant. */
  readonly displayName?: string;
}

/** A user as SCIM shows it: the stored record, its direct groups, and its manager. */
export interface UserView {
  readonly record: UserRecord;
  readonly groups: readonly UserGroupRecord[];
  /** Present when the record names a manager. */
  readonly manager?: ManagerView;
}

/** The enterprise extension's manager id of a user, if any. */
function managerIdOf(record: UserRecord): string | undefined {
  const extension = record.data[URN.enterpriseUser];
  const manager = isJsonObject(extension) ? extension.manager : undefined;
  return isJsonObject(manager) && typeof manager.value === 'string' ? manager.value : undefined;
}

/** The view of a user read with its groups and its manager's display. */
function viewOf(found: UserWithGroups): UserView {
  const { record, groups } = found;
  const value = managerIdOf(record);
  if (value === undefined) return { record, groups };
  const displayName = found.manager?.id === value ? found.manager.displayName : undefined;
  return { record, groups, manager: { value, ...(displayName === undefined ? {} : { displayName }) } };
}

function userNameTaken(userName: string): string {
  return `A user with userName "${userName}" already exists.`;
}

const USERS: ResourceKind<UserRecord> = {
  name: 'User',
  read: (session, tenantId, id, forUpdate) => (forUpdate ? session.users.getForUpdate(tenantId, id) : session.users.get(tenantId, id)),
  // Users deleted through SCIM are archived: 404 to SCIM, restorable by a create.
  live: (record) => record.deletedAt === null,
  taken: (record) => userNameTaken(record.userName),
};

/** SCIM /Users: every write runs in one transaction with its events and the tenant's policy. */
export class UserService {
  private readonly writes: ResourceWrites<UserRecord>;

  constructor(
    private readonly store: Store,
    private readonly policy: ProvisioningPolicy = plainStorage,
  ) {
    this.writes = new ResourceWrites(store, USERS);
  }

  /** `undeclared` collects the attributes the tenant's schemas do not declare (ignored, and counted). */
  private inputOptions(context: ScimContext, undeclared: string[]): ReadInputOptions {
    const { settings } = context.tenant;
    return { registry: context.registry, resourceType: userResourceType, strict: settings.strictAttributes, requiredAttributes: settings.requiredAttributes, undeclared };
  }

  /**
   * Creates a user, or restores the archived user with the same userName (else externalId)
   * under its old id. 409 uniqueness when a live user has the userName.
   */
  async create(context: ScimContext, body: unknown, readBack = true): Promise<UserView> {
    const undeclared: string[] = [];
    const data = readResourceInput(body, this.inputOptions(context, undeclared));
    checkResourceLimits(data, 'User', context.limits);
    const tenantId = context.tenant.id;
    const userName = data.userName as string;
    const externalId = typeof data.externalId === 'string' ? data.externalId : null;
    const active = data.active !== false;
    const at = now();
    return this.writes.create(context, async (tx, tenant) => {
      const candidate = await tx.users.findCreateCandidate(tenantId, userName, externalId);
      // Only a user with the userName can be live here.
      if (candidate !== undefined && candidate.deletedAt === null) throw new UniquenessError(userNameTaken(userName));
      // Concurrent creates can find the same archived user: its row lock lets one restore it,
      // and the others, reading it live afterwards, create anew and meet the unique index (409).
      const locked = candidate === undefined ? undefined : await tx.users.getForUpdate(tenantId, candidate.id);
      const archived = locked?.deletedAt === null ? undefined : locked;
      if (archived !== undefined) {
        const proposed: UserRecord = { ...archived, userName, externalId, active, deletedAt: null, lastModified: at, version: archived.version + 1, data: { ...data, active } };
        const written = await this.policy.beforeUserWrite(tx, tenant, archived, proposed);
        await this.writes.unique(written.record, () => tx.users.update(written.record, archived));
        await tx.events.append(tenantId, [userEvent('user.restored', written.record)], at);
        await this.policy.afterUserWrite(tx, tenant, archived, written);
        await recordUndeclared(tx, tenantId, undeclared, written.record.id, at);
        return this.shown(tx, tenantId, written.record, readBack);
      }
      const proposed: UserRecord = { tenantId, id: newId(), userName, externalId, active, deletedAt: null, created: at, lastModified: at, version: 1, data: { ...data, active } };
      const written = await this.policy.beforeUserWrite(tx, tenant, undefined, proposed);
      await this.writes.unique(written.record, () => tx.users.insert(written.record));
      await tx.events.append(tenantId, [userEvent('user.created', written.record)], at);
      await this.policy.afterUserWrite(tx, tenant, undefined, written);
      await recordUndeclared(tx, tenantId, undeclared, written.record.id, at);
      // A user created just now is in no group: its view needs no membership read.
      return this.shown(tx, tenantId, written.record, readBack, true);
    });
  }

  /** A live user; 404 for unknown ids and for users deleted through SCIM. */
  async get(context: ScimContext, id: string): Promise<UserView> {
    // The row, its groups and its manager's name in one statement (the read every IdP makes).
    const found = await this.store.read.users.getWithGroups(context.tenant.id, id);
    if (found === undefined || !USERS.live(found.record)) throw new NotFoundError(`User ${id} not found.`);
    return viewOf(found);
  }

  async list(context: ScimContext, params: ListParams): Promise<ListPage<UserView>> {
    // `userName eq "…"`, the IdPs' lookup, reads its one user (or none) in one statement; the
    // answer is the general list's: the total, and the user when the page starts at the first.
    const userNameKey = params.cursor === undefined && params.sort === undefined ? userNameLookupKey(params.filter, context.registry) : undefined;
    if (userNameKey !== undefined) {
      const found = await this.store.read.users.findLiveWithGroups(context.tenant.id, userNameKey);
      if (found === undefined) return { total: 0, views: [] };
      return { total: 1, views: params.offset === 0 && params.limit > 0 ? [viewOf(found)] : [] };
    }
    const result = await withCursorErrors(() => this.store.read.users.list(context.tenant.id, { registry: context.registry, ...params }));
    return { ...result, views: await this.views(this.store.read, context.tenant.id, result.rows) };
  }

  /**
   * The written user's view; without `readBack` (nothing of it is shown: /Bulk), its record
   * alone. `ungrouped`: the user is known to be in no group (just created).
   */
  private shown(session: StoreSession, tenantId: string, record: UserRecord, readBack: boolean, ungrouped = false): Promise<UserView> {
    return readBack ? this.one(session, tenantId, record, ungrouped) : Promise.resolve({ record, groups: [] });
  }

  private async one(session: StoreSession, tenantId: string, record: UserRecord, ungrouped: boolean): Promise<UserView> {
    const [view] = await this.views(session, tenantId, [record], ungrouped ? [] : undefined);
    return view ?? { record, groups: [] };
  }

  /** Adds what users show beyond their row (groups, manager), a batch of users at a time; `known`: their groups, already read. */
  private async views(session: StoreSession, tenantId: string, records: readonly UserRecord[], known?: readonly UserGroupRecord[]): Promise<UserView[]> {
    const groups = known ?? (await session.users.groupsOf(tenantId, records.map((record) => record.id)));
    const byUser = new Map<string, UserGroupRecord[]>();
    for (const group of groups) byUser.set(group.userId, [...(byUser.get(group.userId) ?? []), group]);
    const managerIds = records.map(managerIdOf);
    const names = await session.users.displayNames(tenantId, managerIds.filter((id) => id !== undefined));
    return records.map((record, index) => {
      const value = managerIds[index];
      const displayName = value === undefined ? undefined : names.get(value);
      const manager: ManagerView | undefined = value === undefined ? undefined : { value, ...(displayName === undefined ? {} : { displayName }) };
      return { record, groups: byUser.get(record.id) ?? [], ...(manager === undefined ? {} : { manager }) };
    });
  }

  /** PUT: replaces every writable attribute (RFC 7644 §3.5.1). */
  async replace(context: ScimContext, id: string, body: unknown, ifMatch?: string, readBack = true): Promise<UserView> {
    const undeclared: string[] = [];
    const data = readResourceInput(body, this.inputOptions(context, undeclared));
    checkResourceLimits(data, 'User', context.limits);
    return this.write(context, id, ifMatch, readBack, undeclared, (before) => {
      checkImmutable(before.data, data, context.registry, userResourceType);
      // `active` is not asserted by a PUT that omits it; the user keeps its status.
      const next = { ...data, active: typeof data.active === 'boolean' ? data.active : before.active };
      return { data: next, changed: !jsonEqual(next, before.data) };
    });
  }

  /** PATCH (RFC 7644 §3.5.2): all operations apply, or none. */
  async patch(context: ScimContext, id: string, body: unknown, ifMatch?: string, readBack = true): Promise<UserView> {
    const operations = readPatchRequest(body, context.limits?.patchOperations);
    checkPatchValueCounts(operations.map((operation) => operation.value), context.limits);
    const undeclared: string[] = [];
    return this.write(context, id, ifMatch, readBack, undeclared, (before) => {
      const result = applyPatch(before.data, operations, this.inputOptions(context, undeclared));
      if (result.changed) checkResourceLimits(result.resource, 'User', context.limits);
      return { data: result.resource, changed: result.changed };
    });
  }

  /**
   * One change of a live user in one transaction, with its event. The version and
   * lastModified move only when the attributes changed (RFC 7644 §3.5.2.1).
   */
  private write(context: ScimContext, id: string, ifMatch: string | undefined, readBack: boolean, undeclared: readonly string[], change: (before: UserRecord) => AttributeChange): Promise<UserView> {
    const tenantId = context.tenant.id;
    return this.writes.update(context, id, ifMatch, async (tx, before, tenant) => {
      const { data, changed } = change(before);
      await recordUndeclared(tx, tenantId, undeclared, id, now());
      if (!changed) return this.shown(tx, tenantId, before, readBack);
      const proposed: UserRecord = {
        ...before,
        userName: data.userName as string,
        externalId: typeof data.externalId === 'string' ? data.externalId : null,
        active: data.active !== false,
        lastModified: now(),
        version: before.version + 1,
        data,
      };
      const written = await this.policy.beforeUserWrite(tx, tenant, before, proposed);
      const after = written.record;
      await this.writes.unique(after, () => tx.users.update(after, before));
      await tx.events.append(tenantId, [userChangeEvent(before, after)], after.lastModified);
      await this.policy.afterUserWrite(tx, tenant, before, written);
      return this.shown(tx, tenantId, after, readBack);
    });
  }

  /** DELETE: archives (default) or removes the user for good, per the tenant's deletePolicy. */
  async remove(context: ScimContext, id: string, ifMatch?: string): Promise<void> {
    const tenantId = context.tenant.id;
    await this.writes.update(context, id, ifMatch, async (tx, before, tenant) => {
      const at = now();
      const groups = await tx.users.groupsOf(tenantId, [id]);
      await tx.groups.removeFromAllGroups(tenantId, id);
      const hard = tenant.settings.deletePolicy === 'hard';
      await tx.events.append(tenantId, removedFromGroupsEvents(tenantId, { id, type: 'User', name: before.userName }, groups, hard), at);
      if (hard) {
        await tx.users.remove(tenantId, id);
        await tx.events.append(tenantId, [userEvent('user.deleted', before, { archived: false })], at);
        await this.policy.afterUserRemove(tx, tenant, before, true);
        // Removed for good: nothing personal of it stays in the outbox or the log.
        await eraseUser(tx, before, at);
        return;
      }
      const archived: UserRecord = { ...before, active: false, deletedAt: at, lastModified: at, version: before.version + 1, data: { ...before.data, active: false } };
      await tx.users.update(archived);
      await tx.events.append(tenantId, [userEvent('user.deleted', archived, { archived: true })], at);
      await this.policy.afterUserRemove(tx, tenant, before, false);
    });
  }
}
