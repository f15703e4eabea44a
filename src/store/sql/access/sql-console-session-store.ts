import type { Kysely } from 'kysely';
import type { ConsoleSessionRecord, ConsoleSessionStore, SessionOwner } from '../../console-store.js';
import type { ConsoleSessionsTable, Database } from '../database.js';

function toSession(row: ConsoleSessionsTable): ConsoleSessionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    setupLinkId: row.setup_link_id,
    operatorKeyId: row.operator_key_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** Console sessions on SQL (both engines). */
export class SqlConsoleSessionStore implements ConsoleSessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: ConsoleSessionRecord, sessionHash: string): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        id: session.id,
        session_hash: sessionHash,
        tenant_id: session.tenantId,
        setup_link_id: session.setupLinkId,
        operator_key_id: session.operatorKeyId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
        last_seen_at: session.lastSeenAt,
      })
      .execute();
  }

  async findLive(sessionHash: string, at: string): Promise<{ session: ConsoleSessionRecord; sessionHash: string } | undefined> {
    // One query: the session, and whatever opened it must still be good (a revoked link or
    // key ends its sessions at once, in every process).
    const row = await this.db
      .selectFrom('console_sessions as s')
      .leftJoin('setup_links as l', (join) => join.onRef('l.tenant_id', '=', 's.tenant_id').onRef('l.id', '=', 's.setup_link_id'))
      .leftJoin('operator_keys as k', 'k.id', 's.operator_key_id')
      .selectAll('s')
      .where('s.session_hash', '=', sessionHash)
      .where('s.expires_at', '>', at)
      .where((eb) =>
        eb.or([
          eb.and([eb('s.setup_link_id', 'is not', null), eb('l.revoked_at', 'is', null), eb('l.expires_at', '>', at), eb('l.id', 'is not', null)]),
          eb.and([eb('s.operator_key_id', 'is not', null), eb('k.id', 'is not', null), eb('k.revoked_at', 'is', null)]),
        ]),
      )
      .executeTakeFirst();
    return row === undefined ? undefined : { session: toSession(row), sessionHash: row.session_hash };
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('console_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('console_sessions').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async keepNewest(owner: SessionOwner, keep: number): Promise<number> {
    const column = owner.setupLinkId === null ? 'operator_key_id' : 'setup_link_id';
    const id = owner.setupLinkId ?? owner.operatorKeyId;
    if (id === null) return 0;
    const newest = this.db.selectFrom('console_sessions').select('id').where(column, '=', id).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(keep);
    const result = await this.db.deleteFrom('console_sessions').where(column, '=', id).where('id', 'not in', newest).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async pruneExpired(before: string, limit: number): Promise<number> {
    const ids = this.db.selectFrom('console_sessions').select('id').where('expires_at', '<', before).limit(limit);
    const result = await this.db.deleteFrom('console_sessions').where('id', 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
