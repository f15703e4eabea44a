import type { NewPendingChange } from '../store/member-store.js';
import type { PolicyContext } from './policy-context.js';
import { FULL_SCOPE, reconcileUser } from './reconcile.js';

/**
 * Automatic sync off (seed 003): SCIM writes are stored as the IdP's view, and the member
 * changes they imply wait in `pending_changes`, in the order they arrived. Sync brings each
 * queued user's member up to date from the current SCIM state, users in the order of their
 * first queued change (so seats go first come, first served), then empties the queue.
 */

/** Users are read from the queue this many at a time. */
const BATCH = 500;

/** Queues member changes behind the tenant lock (which orders them across processes). */
export async function queueChanges(context: PolicyContext, changes: readonly NewPendingChange[]): Promise<void> {
  if (changes.length === 0) return;
  await context.tx.members.lockTenant(context.tenantId);
  await context.tx.pendingChanges.append(context.tenantId, changes, context.at);
}

/** Applies every queued change; returns how many changes there were. */
export async function applyPending(context: PolicyContext): Promise<number> {
  const { tx, tenantId } = context;
  await tx.members.lockTenant(tenantId);
  const upto = await tx.pendingChanges.lastSeq(tenantId);
  if (upto === 0) return 0;
  let after = 0;
  for (;;) {
    const users = await tx.pendingChanges.usersInOrder(tenantId, after, upto, BATCH);
    for (const { userId } of users) await reconcileUser(context, userId, FULL_SCOPE);
    const last = users.at(-1);
    if (last === undefined || users.length < BATCH) break;
    after = last.seq;
  }
  return tx.pendingChanges.removeUpTo(tenantId, upto);
}
