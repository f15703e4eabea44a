import { applyPending } from '../policy/pending.js';
import type { PendingChangeRecord } from '../store/member-store.js';
import type { Store } from '../store/store.js';
import { now } from './clock.js';
import { NotFound } from './errors.js';
import { settingsIn } from './tenant-settings.js';

/**
 * The member changes waiting while a tenant's automatic sync is off (seed 003), and the
 * admin's "sync now" that applies them in order.
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

  /** Applies every queued change in one transaction; returns how many were applied. */
  async sync(tenantId: string): Promise<number> {
    return this.store.transaction(async (tx) => {
      await tx.members.lockTenant(tenantId);
      return applyPending({ tx, tenantId, settings: await settingsIn(tx, tenantId), at: now() });
    });
  }
}
