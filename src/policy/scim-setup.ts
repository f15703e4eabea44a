import type { JsonObject } from '../scim/json.js';
import { releaseAssignment, withRoles } from './assignments.js';
import { scimDisabledEvent } from './member-events.js';
import type { PolicyContext } from './policy-context.js';
import { saveMember } from './reconcile.js';

/**
 * Turning SCIM off for a tenant (seed 000) and deleting its SCIM setup (seed 002), inside the
 * caller's transaction, with the tenant locked.
 */

/** Members are read this many at a time. */
const PAGE = 500;

/** The settings that name SCIM groups, emptied when the groups go. */
const NO_GROUP_SETTINGS: JsonObject = { adminGroupId: null, roleMappings: {}, accessGroupIds: [], adminGroupOnly: false };

/** What a teardown did, as the `scim.disabled` event reports it. */
interface Teardown {
  readonly tokensDeleted: number;
  readonly groupsRemoved: number;
  readonly externalIdsCleared: number;
  readonly pendingDiscarded: number;
  readonly creatorPromoted: boolean;
}

/**
 * SCIM-given roles and access groups go with the groups: SCIM-given roles fall back to
 * `member`, and every role becomes hand-editable. Then, if no active admin is left, the
 * tenant's creator becomes admin.
 */
async function releaseRoles(context: PolicyContext): Promise<boolean> {
  const { tx, tenantId } = context;
  for (let after: string | null = null; ; ) {
    const page = await tx.members.listAssigned(tenantId, after, PAGE);
    for (const member of page) {
      await saveMember(context, member, releaseAssignment(member, context.settings), 'system');
    }
    if (page.length < PAGE) break;
    after = page.at(-1)?.userId ?? null;
  }
  if ((await tx.members.countActiveWithRole(tenantId, 'admin')) > 0) return false;
  const creator = await tx.members.creator(tenantId);
  if (creator === undefined || creator.role === 'admin') return false;
  await saveMember(context, creator, { ...withRoles(creator, ['admin'], context.settings), handRole: 'admin', roleManaged: false }, 'system');
  return true;
}

async function teardown(context: PolicyContext): Promise<Teardown> {
  const { tx, tenantId, at } = context;
  const tokensDeleted = await tx.scimSetup.deleteTokens(tenantId);
  // Changes the IdP sent while sync was off are dropped with the SCIM setup they came through.
  const pendingDiscarded = await tx.pendingChanges.removeUpTo(tenantId, await tx.pendingChanges.lastSeq(tenantId));
  const creatorPromoted = await releaseRoles(context);
  const groupsRemoved = await tx.scimSetup.deleteGroups(tenantId);
  const externalIdsCleared = await tx.scimSetup.clearUserExternalIds(tenantId, at);
  return { tokensDeleted, groupsRemoved, externalIdsCleared, pendingDiscarded, creatorPromoted };
}

/**
 * Disables SCIM: deletes every token, removes SCIM groups and memberships (and the roles and
 * access groups they gave), clears externalIds, drops pending changes, and promotes the
 * creator when no admin is left. Members stay as they are otherwise: active, with their
 * sign-in method. Returns the stored settings to write.
 */
export async function disableScim(context: PolicyContext, stored: JsonObject): Promise<JsonObject> {
  const summary = await teardown(context);
  await context.tx.events.append(context.tenantId, [scimDisabledEvent(context.tenantId, { ...summary, setupDeleted: false })], context.at);
  return { ...stored, ...NO_GROUP_SETTINGS, scimEnabled: false };
}

/**
 * Deletes the SCIM setup: what disabling does, and the SCIM users themselves; members stay
 * (with their data), no longer marked as provisioned by SCIM. The caller has checked that no
 * SCIM-provisioned member is active.
 */
export async function deleteScimSetup(context: PolicyContext, stored: JsonObject): Promise<JsonObject> {
  const summary = await teardown(context);
  const usersDeleted = await context.tx.scimSetup.deleteUsers(context.tenantId);
  await context.tx.members.unmanageAll(context.tenantId);
  await context.tx.events.append(context.tenantId, [scimDisabledEvent(context.tenantId, { ...summary, usersDeleted, setupDeleted: true })], context.at);
  return { ...stored, ...NO_GROUP_SETTINGS, scimEnabled: false };
}
