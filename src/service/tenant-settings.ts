import { Value } from 'typebox/value';
import { extensionSchemaProblems, registryFor, unknownAttributePaths } from '../policy/extension-schemas.js';
import { usersInGroups } from '../policy/group-users.js';
import { scimEnabledEvent } from '../policy/member-events.js';
import { applyPending, queueChanges } from '../policy/pending.js';
import type { PolicyContext } from '../policy/policy-context.js';
import { reassign } from '../policy/reconcile.js';
import { unmanageRoles } from '../policy/scim-setup.js';
import { disableScim } from '../policy/scim-setup.js';
import { SettingsPatch, type SettingsPatchJson } from '../policy/settings-schema.js';
import type { TenantSettings } from '../policy/settings-schema.js';
import { roleOfGroup, rolesMapped, settingsOf } from '../policy/settings.js';
import type { JsonObject } from '../scim/json.js';
import type { TokenCache } from './token-cache.js';
import type { Store, StoreSession } from '../store/store.js';
import { now } from './clock.js';
import { Invalid, NotFound } from './errors.js';
import { PolicyError } from './policy-errors.js';

/**
 * A tenant's settings as a management service reads them, where the tenant enters the
 * request (inside the caller's transaction when `session` is one); 404 for unknown tenants.
 */
export async function settingsIn(session: StoreSession, tenantId: string): Promise<TenantSettings> {
  const tenant = await session.tenants.get(tenantId);
  if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
  return settingsOf(tenant.settings);
}

/** Checks a settings patch against its JSON Schema (the API has done so already; the CLI has not). */
export function checkSettingsPatch(patch: unknown): SettingsPatchJson {
  if (Value.Check(SettingsPatch, patch)) return patch;
  // `anyOf` repeats its branches' errors, `additionalProperties` the `false` schema's.
  const problems = [...Value.Errors(SettingsPatch, patch)]
    .filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'additionalProperties')
    .map((error) => `${error.instancePath === '' ? 'settings' : error.instancePath.slice(1)}: ${error.keyword === 'boolean' ? 'is not a setting' : error.message}`);
  throw new PolicyError('VALIDATION_FAILED', `Invalid settings: ${[...new Set(problems)].join('; ')}.`);
}

/** Groups whose role or access-group standing differs between two settings. */
function changedGroups(before: TenantSettings, after: TenantSettings): Set<string> {
  const ids = new Set<string>();
  const candidates = new Set([...(before.adminGroupId === null ? [] : [before.adminGroupId]), ...(after.adminGroupId === null ? [] : [after.adminGroupId]), ...Object.keys(before.roleMappings), ...Object.keys(after.roleMappings)]);
  for (const id of candidates) if (roleOfGroup(before, id) !== roleOfGroup(after, id)) ids.add(id);
  // An access group's priority is its position, so any change of the list concerns every one.
  if (JSON.stringify(before.accessGroupIds) !== JSON.stringify(after.accessGroupIds)) for (const id of [...before.accessGroupIds, ...after.accessGroupIds]) ids.add(id);
  return ids;
}

/** Whether a change concerns members whatever their groups: roles from every group, their ranking, or hand-set admins. */
function rankingChanged(before: TenantSettings, after: TenantSettings): boolean {
  return before.groupsAsRoles !== after.groupsAsRoles || before.adminGroupOnly !== after.adminGroupOnly || JSON.stringify(before.roleOrder) !== JSON.stringify(after.roleOrder);
}

/** Members are read this many at a time when every one is recomputed. */
const PAGE = 500;

/**
 * Recomputes every member's roles. While automatic sync is off, SCIM members are queued (their
 * groups may have changes waiting); members made by hand have no IdP state to wait for.
 */
async function remapEveryMember(context: PolicyContext): Promise<void> {
  const { tx, tenantId } = context;
  for (let after: string | undefined; ; ) {
    const page = await tx.members.list(tenantId, { after, limit: PAGE });
    const queued = context.settings.autoSync ? [] : page.filter((member) => member.scimManaged);
    await reassign(context, page.filter((member) => context.settings.autoSync || !member.scimManaged).map((member) => member.userId));
    await queueChanges(context, queued.map((member) => ({ userId: member.userId, kind: 'mappings', detail: {} })));
    if (page.length < PAGE) return;
    after = page.at(-1)?.userId;
  }
}

/** Group ids the patch names that the tenant does not have. */
async function unknownGroups(tx: StoreSession, tenantId: string, patch: SettingsPatchJson): Promise<string[]> {
  const named = new Set([...(typeof patch.adminGroupId === 'string' ? [patch.adminGroupId] : []), ...Object.keys(patch.roleMappings ?? {}), ...(patch.accessGroupIds ?? [])]);
  const unknown: string[] = [];
  for (const id of named) if ((await tx.groups.get(tenantId, id)) === undefined) unknown.push(id);
  return unknown;
}

/**
 * A tenant's provisioning policies (docs/policies.md): read with their defaults, and changed
 * with their consequences in the same transaction: disabling SCIM tears its setup down,
 * changed group mappings recompute the roles of the groups' members (or queue them while
 * automatic sync is off), and turning automatic sync back on applies what was queued.
 */
export class TenantSettingsService {
  constructor(
    private readonly store: Store,
    /** Forgets the tenant's tokens once a change commits: SCIM disabled stops them at once. */
    private readonly tokenCache: TokenCache,
  ) {}

  get(tenantId: string): Promise<TenantSettings> {
    return settingsIn(this.store.read, tenantId);
  }

  /** Applies a partial update (keys given replace the current values); returns the settings now in force. */
  async update(tenantId: string, input: unknown): Promise<TenantSettings> {
    const patch = checkSettingsPatch(input);
    const updated = await this.store.transaction(async (tx) => {
      await tx.members.lockTenant(tenantId);
      const tenant = await tx.tenants.get(tenantId);
      if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
      const before = settingsOf(tenant.settings);
      let stored: JsonObject = { ...tenant.settings, ...(patch as JsonObject) };
      const after = settingsOf(stored);
      await this.validate(tx, tenantId, patch, after);
      const context: PolicyContext = { tx, tenantId, settings: after, at: now() };
      if (before.scimEnabled && !after.scimEnabled) {
        stored = await disableScim(context, stored);
      } else {
        if (!before.scimEnabled && after.scimEnabled) await tx.events.append(tenantId, [scimEnabledEvent(tenantId)], context.at);
        await this.remap(context, before, after);
        if (!before.autoSync && after.autoSync) await applyPending(context);
      }
      // Attributes declared now are no longer undeclared.
      if (patch.extensionSchemas !== undefined) await tx.undeclaredAttributes.forget(tenantId, after.extensionSchemas.flatMap((schema) => schema.attributes.map((attribute) => `${schema.id}:${attribute.name}`)));
      await tx.tenants.updateSettings(tenantId, stored);
      return settingsOf(stored);
    });
    this.tokenCache.forgetTenant(tenantId);
    return updated;
  }

  private async validate(tx: StoreSession, tenantId: string, patch: SettingsPatchJson, after: TenantSettings): Promise<void> {
    const problems = extensionSchemaProblems(after.extensionSchemas);
    if (problems.length > 0) throw new Invalid(`Invalid extensionSchemas: ${problems.join(' ')}`);
    const unknownPaths = unknownAttributePaths(after.requiredAttributes, registryFor(after));
    if (unknownPaths.length > 0) throw new Invalid(`requiredAttributes names attributes the User schemas do not define: ${unknownPaths.join(', ')}.`);
    if (after.inactiveAttribute !== null && unknownAttributePaths([after.inactiveAttribute], registryFor(after)).length > 0) {
      throw new Invalid(`inactiveAttribute names an attribute the User schemas do not define: ${after.inactiveAttribute}.`);
    }
    if (after.adminGroupOnly && after.adminGroupId === null) throw new Invalid('adminGroupOnly needs an adminGroupId: without an admin group nobody could be admin.');
    const unknown = await unknownGroups(tx, tenantId, patch);
    if (unknown.length > 0) throw new Invalid(`The tenant has no SCIM group ${unknown.join(', ')}.`);
  }

  /**
   * Recomputes (or queues) the roles and access groups of the members of groups whose mapping
   * changed; of every member when what ranks or gives roles across groups changed.
   */
  private async remap(context: PolicyContext, before: TenantSettings, after: TenantSettings): Promise<void> {
    if (rolesMapped(before) && !rolesMapped(after)) await unmanageRoles(context);
    if (rankingChanged(before, after)) {
      await remapEveryMember(context);
      return;
    }
    const groups = changedGroups(before, after);
    if (groups.size === 0) return;
    const userIds = await usersInGroups(context.tx, context.tenantId, groups);
    if (after.autoSync) await reassign(context, userIds);
    else await queueChanges(context, userIds.map((userId) => ({ userId, kind: 'mappings', detail: {} })));
  }
}
