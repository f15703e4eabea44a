import type { NewPendingChange, TenantMemberRecord } from '../store/member-store.js';
import type { PolicyContext } from './policy-context.js';
import { FULL_SCOPE, reconcileUser } from './reconcile.js';

/**
 * Automatic sync off (seed 003): SCIM writes are stored as the IdP's view, and the member
 * changes they imply wait in `pending_changes`, in the order they arrived. Sync brings each
 * queued user's member up to date from the current SCIM state, users in the order of their
 * first queued change (so seats go first come, first served), then removes what it applied.
 */

/** Users are read from the queue this many at a time. */
const BATCH = 500;

/** Queues member changes behind the tenant lock (which orders them across processes). */
export async function queueChanges(context: PolicyContext, changes: readonly NewPendingChange[]): Promise<void> {
  if (changes.length === 0) return;
  await context.tx.members.lockTenant(context.tenantId);
  await context.tx.pendingChanges.append(context.tenantId, changes, context.at);
}

/** One queued user's member before and after sync (undefined: no member). */
export interface SyncedMember {
  readonly userId: string;
  /** Its first queued change: the order sync applies users in. */
  readonly firstSeq: number;
  readonly before: TenantMemberRecord | undefined;
  readonly after: TenantMemberRecord | undefined;
}

export interface SyncOutcome {
  /** The last queued change covered (0 when none was queued). */
  readonly upTo: number;
  /** How many queued changes were applied (and removed from the queue). */
  readonly changes: number;
  /** Each user whose changes were applied, in the order they were. */
  readonly members: readonly SyncedMember[];
}

/**
 * Applies the queued changes up to `upTo` (default: every one), or only `userId`'s: each user
 * they name is reconciled once with the current SCIM state, then those changes leave the
 * queue. A user's changes after `upTo` stay queued (reconciling again later is harmless).
 */
export interface ApplyOptions {
  readonly upTo?: number;
  /** Only this user's changes. */
  readonly userId?: string;
  /** Stop after this many users, leaving the queue as it is (a preview, rolled back after). */
  readonly maxUsers?: number;
  /** Called before each user is reconciled (a preview reads its queued changes). */
  readonly before?: (userId: string) => Promise<void>;
}

export async function applyPending(context: PolicyContext, options: ApplyOptions = {}): Promise<SyncOutcome> {
  const { tx, tenantId } = context;
  await tx.members.lockTenant(tenantId);
  const last = await tx.pendingChanges.lastSeq(tenantId);
  const upto = Math.min(options.upTo ?? last, last);
  if (upto === 0) return { upTo: 0, changes: 0, members: [] };
  const members: SyncedMember[] = [];
  const reconcile = async (userId: string, firstSeq: number): Promise<void> => {
    await options.before?.(userId);
    const before = await tx.members.get(tenantId, userId);
    await reconcileUser(context, userId, FULL_SCOPE);
    members.push({ userId, firstSeq, before, after: await tx.members.get(tenantId, userId) });
  };
  if (options.userId !== undefined) {
    const first = (await tx.pendingChanges.listForUser(tenantId, options.userId, upto))[0];
    if (first === undefined) return { upTo: upto, changes: 0, members: [] };
    await reconcile(options.userId, first.seq);
    return { upTo: upto, changes: await tx.pendingChanges.removeForUser(tenantId, options.userId, upto), members };
  }
  const maxUsers = options.maxUsers ?? Number.POSITIVE_INFINITY;
  let after = 0;
  while (members.length < maxUsers) {
    const users = await tx.pendingChanges.usersInOrder(tenantId, after, upto, Math.min(BATCH, maxUsers - members.length));
    for (const { userId, seq } of users) await reconcile(userId, seq);
    const lastUser = users.at(-1);
    if (lastUser === undefined || users.length < BATCH) break;
    after = lastUser.seq;
  }
  if (options.maxUsers !== undefined) return { upTo: upto, changes: 0, members };
  return { upTo: upto, changes: await tx.pendingChanges.removeUpTo(tenantId, upto), members };
}
