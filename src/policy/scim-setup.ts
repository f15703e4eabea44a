import type { JsonObject } from '../scim/json.js';
import { releaseAssignment, withRoles } from './assignments.js';
import { groupEvent, userChangeEvent, userEvent } from './resource-events.js';
import type { MemberMark, TenantMemberRecord } from '../store/member-store.js';
import type { NewEvent } from '../store/records.js';
import { memberUnlinkedEvent, scimDisabledEvent } from './member-events.js';
import type { PolicyContext } from './policy-context.js';
import { saveMember } from './reconcile.js';

/**
 * Turning SCIM off for a tenant (seed 000) and deleting its SCIM setup (seed 002), inside the
 * caller's transaction, with the tenant locked. Every resource it changes gets its own event,
 * written with the batch that changes it (docs/events.md), so a copy following the feed
 * applies the teardown without reading the tenant again; `scim.disabled` closes it with counts.
 */

/** Members, users and groups are changed this many at a time. */
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

async function append(context: PolicyContext, events: readonly NewEvent[]): Promise<void> {
  if (events.length > 0) await context.tx.events.append(context.tenantId, events, context.at);
}

/** Runs `change` on every member with `mark`, a page at a time (changed members may leave the mark). */
async function eachMarked(context: PolicyContext, mark: MemberMark, change: (member: TenantMemberRecord) => Promise<void>): Promise<void> {
  for (let after: string | null = null; ; ) {
    const page = await context.tx.members.listMarked(context.tenantId, mark, after, PAGE);
    for (const member of page) await change(member);
    if (page.length < PAGE) return;
    after = page.at(-1)?.userId ?? null;
  }
}

/** Runs a batch of the store's teardown until one comes back short; returns how many it changed. */
async function inBatches<T>(batch: () => Promise<readonly T[]>, eventsOf: (changed: readonly T[]) => NewEvent[], context: PolicyContext): Promise<number> {
  let total = 0;
  for (;;) {
    const changed = await batch();
    await append(context, eventsOf(changed));
    total += changed.length;
    if (changed.length < PAGE) return total;
  }
}

/** No role mapping is left: roles SCIM set become hand-editable, each with `member.role_changed`. */
export async function unmanageRoles(context: PolicyContext): Promise<void> {
  await eachMarked(context, 'roleManaged', async (member) => {
    // The roles stay what they are, and the role in force becomes the one set by hand.
    await saveMember(context, member, { ...member, roleManaged: false, handRole: member.role }, 'system');
  });
}

/**
 * SCIM-given roles and access groups go with the groups: SCIM-given roles fall back to
 * `member`, and every role becomes hand-editable. Then, if no active admin is left, the
 * tenant's creator becomes admin.
 */
async function releaseRoles(context: PolicyContext): Promise<boolean> {
  const { tx, tenantId } = context;
  await eachMarked(context, 'assigned', async (member) => {
    await saveMember(context, member, releaseAssignment(member, context.settings), 'system');
  });
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
  // Every group goes, so each group.deleted takes its members and its own memberships with it.
  const groupsRemoved = await inBatches(() => tx.scimSetup.deleteGroups(tenantId, PAGE, at), (groups) => groups.map((group) => groupEvent('group.deleted', group)), context);
  const externalIdsCleared = await inBatches(
    () => tx.scimSetup.clearUserExternalIds(tenantId, at, PAGE),
    (users) => users.map(({ before, after }) => userChangeEvent(before, after)),
    context,
  );
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
  await append(context, [scimDisabledEvent(context.tenantId, { ...summary, setupDeleted: false })]);
  return { ...stored, ...NO_GROUP_SETTINGS, scimEnabled: false };
}

/**
 * Deletes the SCIM setup: what disabling does, and the SCIM users themselves (`user.deleted`,
 * removed for good); members stay (with their data), no longer provisioned by SCIM
 * (`member.unlinked`). The caller has checked that no SCIM-provisioned member is active.
 */
export async function deleteScimSetup(context: PolicyContext, stored: JsonObject): Promise<JsonObject> {
  const { tx, tenantId, at } = context;
  const summary = await teardown(context);
  const usersDeleted = await inBatches(() => tx.scimSetup.deleteUsers(tenantId, PAGE), (users) => users.map((user) => userEvent('user.deleted', user, { archived: false })), context);
  await eachMarked(context, 'scimManaged', async (member) => {
    const unlinked = { ...member, scimManaged: false, formerlyScimManaged: true, updatedAt: at };
    await tx.members.update(unlinked, member.roles);
    await append(context, [memberUnlinkedEvent(unlinked)]);
  });
  await append(context, [scimDisabledEvent(tenantId, { ...summary, usersDeleted, setupDeleted: true })]);
  return { ...stored, ...NO_GROUP_SETTINGS, scimEnabled: false };
}
