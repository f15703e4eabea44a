import { pendingDiscardedEvent } from '../policy/member-events.js';
import { applyPending, type SyncOutcome } from '../policy/pending.js';
import type { PendingChangeRecord } from '../store/member-store.js';
import type { Store, StoreSession } from '../store/store.js';
import { now } from './clock.js';
import { NotFound } from './errors.js';
import { describeSynced, type PendingMemberChange } from './pending-preview.js';
import { settingsIn } from './tenant-settings.js';

/** What "Sync now" would do, member by member, as of queued change `upTo`. */
export interface PendingPreview {
  /** The last queued change the preview covers: pass it to sync to apply exactly this. */
  readonly upTo: number;
  /** Queued changes up to `upTo`. */
  readonly total: number;
  /** Members those changes concern: the count sync reports. */
  readonly members: number;
  /** The first `limit` members in the order sync applies them. */
  readonly entries: readonly PendingMemberChange[];
}

export interface SyncResult {
  /** Queued changes applied (and removed from the queue). */
  readonly applied: number;
  /** Members brought up to date. */
  readonly members: number;
  readonly upTo: number;
}

/** Thrown to roll back a preview's transaction, carrying what it saw. */
class PreviewDone extends Error {
  constructor(readonly preview: PendingPreview) {
    super('preview rolled back');
  }
}

function resultOf(outcome: SyncOutcome): SyncResult {
  return { applied: outcome.changes, members: outcome.members.length, upTo: outcome.upTo };
}

/**
 * The member changes waiting while a tenant's automatic sync is off (seed 003): listed,
 * previewed member by member (sync run and rolled back, so the preview is what sync does),
 * applied all at once or for one member, or discarded for one member.
 */
export class PendingChangeService {
  constructor(private readonly store: Store) {}

  private async existing(tenantId: string): Promise<void> {
    if ((await this.store.read.tenants.get(tenantId)) === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
  }

  /** Queued changes after `afterSeq`, oldest first, and how many are queued in all. */
  async list(tenantId: string, afterSeq: number, limit: number): Promise<{ changes: readonly PendingChangeRecord[]; total: number }> {
    await this.existing(tenantId);
    const [changes, total] = await Promise.all([this.store.read.pendingChanges.list(tenantId, afterSeq, limit), this.store.read.pendingChanges.count(tenantId)]);
    return { changes, total };
  }

  /** Runs sync in a transaction that is rolled back, and says what it did to the first `limit` members. */
  async preview(tenantId: string, limit: number): Promise<PendingPreview> {
    try {
      await this.store.transaction(async (tx) => {
        const settings = await settingsIn(tx, tenantId);
        await tx.members.lockTenant(tenantId);
        const upTo = await tx.pendingChanges.lastSeq(tenantId);
        const [total, members] = await Promise.all([tx.pendingChanges.count(tenantId), tx.pendingChanges.countUsers(tenantId, upTo)]);
        const queued = new Map<string, readonly PendingChangeRecord[]>();
        // Users sync in the order of their first change, so the first `limit` of them come out the same alone.
        const outcome = await applyPending({ tx, tenantId, settings, at: now() }, { upTo, maxUsers: limit, before: async (userId) => void queued.set(userId, await tx.pendingChanges.listForUser(tenantId, userId, upTo)) });
        const entries = await describeSynced(tx, tenantId, outcome.members, (userId) => queued.get(userId) ?? []);
        throw new PreviewDone({ upTo, total, members, entries });
      });
    } catch (error) {
      if (error instanceof PreviewDone) return error.preview;
      throw error;
    }
    throw new Error('unreachable: a preview always rolls back');
  }

  /** Applies the queued changes up to `upTo` (default: all) in one transaction. */
  async sync(tenantId: string, upTo?: number): Promise<SyncResult> {
    return this.store.transaction(async (tx) => resultOf(await applyPending({ tx, tenantId, settings: await settingsIn(tx, tenantId), at: now() }, upTo === undefined ? {} : { upTo })));
  }

  /** Applies one member's queued changes; 404 when it has none. */
  async applyOne(tenantId: string, userId: string): Promise<SyncResult> {
    return this.store.transaction(async (tx) => {
      const outcome = await applyPending({ tx, tenantId, settings: await settingsIn(tx, tenantId), at: now() }, { userId });
      if (outcome.changes === 0) throw this.nothingQueued(userId);
      return resultOf(outcome);
    });
  }

  /** Drops one member's queued changes unapplied (the member stays as it is), with a `pending.discarded` event. */
  async discard(tenantId: string, userId: string): Promise<{ discarded: number }> {
    return this.store.transaction(async (tx: StoreSession) => {
      await settingsIn(tx, tenantId);
      await tx.members.lockTenant(tenantId);
      const queued = await tx.pendingChanges.listForUser(tenantId, userId, await tx.pendingChanges.lastSeq(tenantId));
      if (queued.length === 0) throw this.nothingQueued(userId);
      const discarded = await tx.pendingChanges.removeForUser(tenantId, userId, queued.at(-1)?.seq ?? 0);
      const member = await tx.members.get(tenantId, userId);
      const userName = member?.userName ?? queued.map((change) => change.detail.userName).find((name): name is string => typeof name === 'string') ?? null;
      await tx.events.append(tenantId, [pendingDiscardedEvent(tenantId, userId, userName, discarded)], now());
      return { discarded };
    });
  }

  private nothingQueued(userId: string): NotFound {
    return new NotFound(`No change is waiting for user ${userId}.`);
  }
}
