import type { Kysely } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import type { TenantRecord, TokenRecord } from '../../records.js';
import type { TenantStore, TokenStore } from '../../store.js';
import { decodeJson, type ApiTokensTable, type Database, type TenantsTable } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { translateUniqueKeyError } from '../unique-key-error.js';
import { purgeTenantRows } from './sql-tenant-purge.js';

function toTenant(row: TenantsTable): TenantRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, settings: decodeJson<JsonObject>(row.settings), externalId: row.external_id };
}

function toToken(row: ApiTokensTable): TokenRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

export class SqlTenantStore implements TenantStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  async insert(tenant: TenantRecord): Promise<void> {
    await translateUniqueKeyError(this.adapter, () =>
      this.db
        .insertInto('tenants')
        .values({
          id: tenant.id,
          name: tenant.name,
          created_at: tenant.createdAt,
          settings: JSON.stringify(tenant.settings),
          event_seq: 0,
          event_position: 0,
          external_id: tenant.externalId ?? null,
        })
        .execute(),
    );
  }

  async get(id: string): Promise<TenantRecord | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    return row === undefined ? undefined : toTenant(row);
  }

  async list(filter: { readonly externalId?: string } = {}): Promise<readonly TenantRecord[]> {
    let query = this.db.selectFrom('tenants').selectAll().where('deleted_at', 'is', null);
    if (filter.externalId !== undefined) query = query.where('external_id', '=', filter.externalId);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(toTenant);
  }

  async rename(id: string, name: string): Promise<void> {
    await this.db.updateTable('tenants').set({ name }).where('id', '=', id).execute();
  }

  async updateSettings(id: string, settings: JsonObject): Promise<void> {
    await this.db.updateTable('tenants').set({ settings: JSON.stringify(settings) }).where('id', '=', id).execute();
  }

  async setExternalId(id: string, externalId: string | null): Promise<void> {
    await translateUniqueKeyError(this.adapter, () => this.db.updateTable('tenants').set({ external_id: externalId }).where('id', '=', id).execute());
  }

  async markDeleted(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('tenants')
      .set({ deleted_at: at, external_id: null })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async awaitingPurge(): Promise<readonly string[]> {
    const rows = await this.db.selectFrom('tenants').select('id').where('deleted_at', 'is not', null).where('purged_at', 'is', null).orderBy('deleted_at').execute();
    return rows.map((row) => row.id);
  }

  async purgeBatch(id: string, limit: number, at: string): Promise<number> {
    const removed = await purgeTenantRows(this.db, id, limit);
    if (removed === 0) await this.db.updateTable('tenants').set({ purged_at: at }).where('id', '=', id).where('deleted_at', 'is not', null).execute();
    return removed;
  }
}

export class SqlTokenStore implements TokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  async insert(token: TokenRecord, tokenHash: string): Promise<void> {
    await translateUniqueKeyError(this.adapter, () =>
      this.db
        .insertInto('api_tokens')
        .values({
          tenant_id: token.tenantId,
          id: token.id,
          name: token.name,
          token_hash: tokenHash,
          created_at: token.createdAt,
          last_used_at: token.lastUsedAt,
          expires_at: token.expiresAt,
          revoked_at: token.revokedAt,
        })
        .execute(),
    );
  }

  async findByHash(tokenHash: string): Promise<{ token: TokenRecord; tokenHash: string } | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? undefined : { token: toToken(row), tokenHash: row.token_hash };
  }

  async list(tenantId: string): Promise<readonly TokenRecord[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toToken);
  }

  async revoke(tenantId: string, tokenId: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async expire(tenantId: string, tokenId: string, expiresAt: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ expires_at: expiresAt })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', tokenId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touch(tenantId: string, tokenId: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('tenant_id', '=', tenantId).where('id', '=', tokenId).execute();
  }
}
