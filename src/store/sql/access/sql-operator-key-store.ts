import type { Kysely } from 'kysely';
import type { OperatorKeyRecord } from '../../records.js';
import type { OperatorKeyStore } from '../../store.js';
import type { Database, OperatorKeysTable } from '../database.js';

function toKey(row: OperatorKeysTable): OperatorKeyRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

export class SqlOperatorKeyStore implements OperatorKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(key: OperatorKeyRecord, keyHash: string): Promise<void> {
    await this.db
      .insertInto('operator_keys')
      .values({ id: key.id, name: key.name, key_hash: keyHash, created_at: key.createdAt, last_used_at: key.lastUsedAt, revoked_at: key.revokedAt })
      .execute();
  }

  async insertUnlessPresent(key: OperatorKeyRecord, keyHash: string): Promise<boolean> {
    const result = await this.db
      .insertInto('operator_keys')
      .values({ id: key.id, name: key.name, key_hash: keyHash, created_at: key.createdAt, last_used_at: key.lastUsedAt, revoked_at: key.revokedAt })
      .onConflict((conflict) => conflict.column('key_hash').doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async findByHash(keyHash: string): Promise<{ key: OperatorKeyRecord; keyHash: string } | undefined> {
    const row = await this.db.selectFrom('operator_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
    return row === undefined ? undefined : { key: toKey(row), keyHash: row.key_hash };
  }

  async list(): Promise<readonly OperatorKeyRecord[]> {
    return (await this.db.selectFrom('operator_keys').selectAll().orderBy('created_at').orderBy('id').execute()).map(toKey);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('operator_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('operator_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
