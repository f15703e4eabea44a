import type { Kysely } from 'kysely';
import type { SetupLinkRecord, SetupLinkStore } from '../../console-store.js';
import type { Database, SetupLinksTable } from '../database.js';

function toLink(row: SetupLinksTable): SetupLinkRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    note: row.note,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Setup links on SQL (both engines). */
export class SqlSetupLinkStore implements SetupLinkStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(link: SetupLinkRecord, linkHash: string): Promise<void> {
    await this.db
      .insertInto('setup_links')
      .values({
        tenant_id: link.tenantId,
        id: link.id,
        link_hash: linkHash,
        note: link.note,
        created_at: link.createdAt,
        expires_at: link.expiresAt,
        revoked_at: link.revokedAt,
        last_used_at: link.lastUsedAt,
      })
      .execute();
  }

  async findByHash(linkHash: string): Promise<{ link: SetupLinkRecord; linkHash: string } | undefined> {
    const row = await this.db.selectFrom('setup_links').selectAll().where('link_hash', '=', linkHash).where('revoked_at', 'is', null).executeTakeFirst();
    return row === undefined ? undefined : { link: toLink(row), linkHash: row.link_hash };
  }

  async list(tenantId: string): Promise<readonly SetupLinkRecord[]> {
    const rows = await this.db.selectFrom('setup_links').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(toLink);
  }

  async revoke(tenantId: string, id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('setup_links')
      .set({ revoked_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touch(tenantId: string, id: string, at: string): Promise<void> {
    await this.db.updateTable('setup_links').set({ last_used_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
