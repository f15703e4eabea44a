import { userResourceType } from '../schema/registry.js';
import { NotFoundError, UniquenessError } from '../scim/errors.js';
import { isJsonObject, jsonEqual, type JsonObject } from '../scim/json.js';
import { URN } from '../schema/urns.js';
import { checkImmutable } from '../scim/resource/immutable.js';
import { applyPatch, readPatchRequest } from '../scim/patch/index.js';
import { readResourceInput, type ReadInputOptions } from '../scim/resource/read-input.js';
import { deletePolicyOf } from '../policy/deprovisioning.js';
import { plainStorage, type ProvisioningPolicy } from '../policy/provisioning-policy.js';
import type { UserGroupRecord, UserRecord } from '../store/records.js';
import { UniqueViolation, type Store, type StoreSession } from '../store/store.js';
import { newId, now } from './clock.js';
import { userChangeEvent, userEvent } from './events.js';
import type { ScimContext } from './context.js';
import { withCursorErrors, type ListPage, type ListParams } from './list.js';
import { checkIfMatch } from './preconditions.js';

/** A user as SCIM shows it: the stored record, its direct groups, and its manager's name. */
export interface UserView {
  readonly record: UserRecord;
  readonly groups: readonly UserGroupRecord[];
  /** The enterprise manager's display name, when the manager is a live user of the tenant. */
  readonly managerName?: string;
}

/** The enterprise extension's manager id of a user, if any. */
function managerIdOf(record: UserRecord): string | undefined {
  const extension = record.data[URN.enterpriseUser];
  const manager = isJsonObject(extension) ? extension.manager : undefined;
  return isJsonObject(manager) && typeof manager.value === 'string' ? manager.value : undefined;
}

/** SCIM /Users: every write runs in one transaction with its events and the tenant's policy. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly policy: ProvisioningPolicy = plainStorage,
  ) {}

  private inputOptions(context: ScimContext): ReadInputOptions {
    const settings = context.tenant.settings;
    const required = Array.isArray(settings.requiredAttributes) ? settings.requiredAttributes.filter((item): item is string => typeof item === 'string') : [];
    return { registry: context.registry, resourceType: userResourceType, strict: settings.strictAttributes === true, requiredAttributes: required };
  }

  /**
   * Creates a user, or restores the archived user with the same userName (else externalId)
   * under its old id. 409 uniqueness when a live user has the userName.
   */
  async create(context: ScimContext, body: unknown): Promise<UserView> {
    const data = readResourceInput(body, this.inputOptions(context));
    const tenantId = context.tenant.id;
    const userName = data.userName as string;
    const externalId = typeof data.externalId === 'string' ? data.externalId : null;
    const active = data.active !== false;
    const at = now();
    return this.store.transaction(async (tx) => {
      const sameName = await tx.users.findByUserName(tenantId, userName);
      if (sameName !== undefined && sameName.deletedAt === null) {
        throw new UniquenessError(`A user with userName "${userName}" already exists.`);
      }
      const candidate = sameName ?? (externalId === null ? undefined : await tx.users.findDeletedByExternalId(tenantId, externalId));
      // Concurrent creates can find the same archived user: its row lock lets one restore it,
      // and the others, reading it live afterwards, create anew and meet the unique index (409).
      const locked = candidate === undefined ? undefined : await tx.users.getForUpdate(tenantId, candidate.id);
      const archived = locked?.deletedAt === null ? undefined : locked;
      if (archived !== undefined) {
        const proposed: UserRecord = { ...archived, userName, externalId, active, deletedAt: null, lastModified: at, version: archived.version + 1, data: { ...data, active } };
        const restored = await this.policy.beforeUserWrite(tx, context.tenant, archived, proposed);
        await this.refuseDuplicateUserName(() => tx.users.update(restored), userName);
        await tx.events.append(tenantId, [userEvent('user.restored', restored)], at);
        await this.policy.afterUserWrite(tx, context.tenant, archived, restored);
        return this.one(tx, tenantId, restored);
      }
      const proposed: UserRecord = { tenantId, id: newId(), userName, externalId, active, deletedAt: null, created: at, lastModified: at, version: 1, data: { ...data, active } };
      const record = await this.policy.beforeUserWrite(tx, context.tenant, undefined, proposed);
      await this.refuseDuplicateUserName(() => tx.users.insert(record), userName);
      await tx.events.append(tenantId, [userEvent('user.created', record)], at);
      await this.policy.afterUserWrite(tx, context.tenant, undefined, record);
      return this.one(tx, tenantId, record);
    });
  }

  /** A live user; 404 for unknown ids and for users deleted through SCIM. */
  async get(context: ScimContext, id: string): Promise<UserView> {
    const record = await this.find(this.store.read, context, id);
    const [view] = await this.views(this.store.read, context.tenant.id, [record]);
    if (view === undefined) throw new NotFoundError(`User ${id} not found.`);
    return view;
  }

  async list(context: ScimContext, params: ListParams): Promise<ListPage<UserView>> {
    const result = await withCursorErrors(() => this.store.read.users.list(context.tenant.id, { registry: context.registry, ...params }));
    return { ...result, views: await this.views(this.store.read, context.tenant.id, result.rows) };
  }

  private async one(session: StoreSession, tenantId: string, record: UserRecord): Promise<UserView> {
    const [view] = await this.views(session, tenantId, [record]);
    return view ?? { record, groups: [] };
  }

  /** Adds what users show beyond their row (groups, manager name), a batch of users at a time. */
  private async views(session: StoreSession, tenantId: string, records: readonly UserRecord[]): Promise<UserView[]> {
    const groups = await session.users.groupsOf(tenantId, records.map((record) => record.id));
    const byUser = new Map<string, UserGroupRecord[]>();
    for (const group of groups) byUser.set(group.userId, [...(byUser.get(group.userId) ?? []), group]);
    const managerIds = records.flatMap((record) => managerIdOf(record) ?? []);
    const names = await session.users.displayNames(tenantId, managerIds);
    return records.map((record) => {
      const managerName = names.get(managerIdOf(record) ?? '');
      return { record, groups: byUser.get(record.id) ?? [], ...(managerName === undefined ? {} : { managerName }) };
    });
  }

  /** PUT: replaces every writable attribute (RFC 7644 §3.5.1). */
  async replace(context: ScimContext, id: string, body: unknown, ifMatch?: string): Promise<UserView> {
    const data = readResourceInput(body, this.inputOptions(context));
    return this.write(context, id, ifMatch, (before) => {
      checkImmutable(before.data, data, context.registry, userResourceType);
      // `active` is not asserted by a PUT that omits it; the user keeps its status.
      return { ...data, active: typeof data.active === 'boolean' ? data.active : before.active };
    });
  }

  /** PATCH (RFC 7644 §3.5.2): all operations apply, or none. */
  async patch(context: ScimContext, id: string, body: unknown, ifMatch?: string): Promise<UserView> {
    const operations = readPatchRequest(body);
    return this.write(context, id, ifMatch, (before) => applyPatch(before.data, operations, this.inputOptions(context)).resource);
  }

  /**
   * One change of a live user in one transaction, with its event. The version and
   * lastModified move only when the attributes changed (RFC 7644 §3.5.2.1).
   */
  private write(context: ScimContext, id: string, ifMatch: string | undefined, change: (before: UserRecord) => JsonObject): Promise<UserView> {
    const tenantId = context.tenant.id;
    return this.store.transaction(async (tx) => {
      const before = await this.find(tx, context, id, true);
      checkIfMatch(ifMatch, before.version);
      const data = change(before);
      if (jsonEqual(data, before.data)) return this.one(tx, tenantId, before);
      const userName = data.userName as string;
      const proposed: UserRecord = {
        ...before,
        userName,
        externalId: typeof data.externalId === 'string' ? data.externalId : null,
        active: data.active !== false,
        lastModified: now(),
        version: before.version + 1,
        data,
      };
      const after = await this.policy.beforeUserWrite(tx, context.tenant, before, proposed);
      await this.refuseDuplicateUserName(() => tx.users.update(after), userName);
      await tx.events.append(tenantId, [userChangeEvent(before, after)], after.lastModified);
      await this.policy.afterUserWrite(tx, context.tenant, before, after);
      return this.one(tx, tenantId, after);
    });
  }

  /** DELETE: archives (default) or removes the user for good, per the tenant's deletePolicy. */
  async remove(context: ScimContext, id: string, ifMatch?: string): Promise<void> {
    const tenantId = context.tenant.id;
    const policy = deletePolicyOf(context.tenant.settings);
    await this.store.transaction(async (tx) => {
      const before = await this.find(tx, context, id, true);
      checkIfMatch(ifMatch, before.version);
      const at = now();
      await tx.groups.removeFromAllGroups(tenantId, id);
      if (policy === 'hard') {
        await tx.users.remove(tenantId, id);
        await tx.events.append(tenantId, [userEvent('user.deleted', before, { archived: false })], at);
        await this.policy.afterUserRemove(tx, context.tenant, before, true);
        return;
      }
      const archived: UserRecord = { ...before, active: false, deletedAt: at, lastModified: at, version: before.version + 1, data: { ...before.data, active: false } };
      await tx.users.update(archived);
      await tx.events.append(tenantId, [userEvent('user.deleted', archived, { archived: true })], at);
      await this.policy.afterUserRemove(tx, context.tenant, before, false);
    });
  }

  /**
   * A live user. `forUpdate` (writes, inside their transaction) locks the row until commit, so
   * that two writes of one user take turns even from two processes: the second reads the
   * first's result, which keeps If-Match and read-modify-write (PATCH) from losing an update.
   */
  private async find(session: StoreSession, context: ScimContext, id: string, forUpdate = false): Promise<UserRecord> {
    const record = await (forUpdate ? session.users.getForUpdate(context.tenant.id, id) : session.users.get(context.tenant.id, id));
    if (record === undefined || record.deletedAt !== null) throw new NotFoundError(`User ${id} not found.`);
    return record;
  }

  private async refuseDuplicateUserName(write: () => Promise<void>, userName: string): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (error instanceof UniqueViolation) throw new UniquenessError(`A user with userName "${userName}" already exists.`);
      throw error;
    }
  }
}
