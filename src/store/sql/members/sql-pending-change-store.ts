import type { Kysely, Selectable } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import type { NewPendingChange, PendingChangeKind, PendingChangeRecord, PendingChangeStore } from '../../member-store.js';
import { decodeJson, type Database } from '../database.js';
import type { PendingChangesTable } from '../member-tables.js';

function toRecord(row: Selectable<PendingChangesTable>): PendingChangeRecord {
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    userId: row.user_id,
    kind: row.kind as PendingChangeKind,
    detail: decodeJson<JsonObject>(row.detail),
    createdAt: row.created_at,
  };
}

export class SqlPendingChangeStore implements PendingChangeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(tenantId: string, changes: readonly NewPendingChange[], at: string): Promise<void> {
    if (changes.length === 0) return;
    // The caller holds the tenant lock, so max + 1 cannot be taken twice.
    const last = await this.lastSeq(tenantId);
    await this.db
      .insertInto('pending_changes')
      .values(
        changes.map((change, index) => ({
          tenant_id: tenantId,
          seq: last + index + 1,
          user_id: change.userId,
          kind: change.kind,
          detail: JSON.stringify(change.detail),
          created_at: at,
        })),
      )
      .execute();
  }

  async list(tenantId: string, afterSeq: number, limit: number): Promise<readonly PendingChangeRecord[]> {
    const rows = await this.db
      .selectFrom('pending_changes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async listForUser(tenantId: string, userId: string, uptoSeq: number): Promise<readonly PendingChangeRecord[]> {
    const rows = await this.db
      .selectFrom('pending_changes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('seq', '<=', uptoSeq)
      .orderBy('seq')
      .execute();
    return rows.map(toRecord);
  }

  async removeForUser(tenantId: string, userId: string, uptoSeq: number): Promise<number> {
    const result = await this.db.deleteFrom('pending_changes').where('tenant_id', '=', tenantId).where('user_id', '=', userId).where('seq', '<=', uptoSeq).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async count(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('pending_changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countUsers(tenantId: string, uptoSeq: number): Promise<number> {
    const row = await this.db
      .selectFrom('pending_changes')
      .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('seq', '<=', uptoSeq)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async lastSeq(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('pending_changes')
      .select((eb) => eb.fn.max('seq').as('last'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last);
  }

  async usersInOrder(tenantId: string, afterSeq: number, uptoSeq: number, limit: number): Promise<readonly { userId: string; seq: number }[]> {
    const rows = await this.db
      .selectFrom('pending_changes')
      .select((eb) => ['user_id', eb.fn.min('seq').as('first')])
      .where('tenant_id', '=', tenantId)
      .where('seq', '<=', uptoSeq)
      .groupBy('user_id')
      .having((eb) => eb.fn.min('seq'), '>', afterSeq)
      .orderBy('first')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ userId: row.user_id, seq: Number(row.first) }));
  }

  async removeUpTo(tenantId: string, uptoSeq: number): Promise<number> {
    const result = await this.db.deleteFrom('pending_changes').where('tenant_id', '=', tenantId).where('seq', '<=', uptoSeq).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
