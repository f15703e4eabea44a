import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgresStore } from './sql/postgres/postgres-store.js';
import { DEFAULT_POOL_SIZE } from './sql/postgres/postgres-pool.js';
import { openSqliteStore } from './sql/sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface StoreLocation {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
}

/** ROSTER_PG_POOL_SIZE: connections per Roster process (default 10). */
function poolSizeFrom(env: NodeJS.ProcessEnv): number {
  const text = env.ROSTER_PG_POOL_SIZE;
  if (text === undefined || text.trim() === '') return DEFAULT_POOL_SIZE;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new Error(`Invalid ROSTER_PG_POOL_SIZE "${text}": use a whole number from 1 to 1000.`);
  }
  return size;
}

/**
 * Opens the configured engine: PostgreSQL when DATABASE_URL is a postgres:// or postgresql://
 * URL, else SQLite in the data directory. Connecting happens on first use (`migrate()` at start).
 */
export function openStore(location: StoreLocation, env: NodeJS.ProcessEnv = process.env): Store {
  const url = location.databaseUrl;
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//i.test(url)) {
      const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? 'no scheme';
      throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${scheme}). Unset it to use SQLite in ROSTER_DATA_DIR.`);
    }
    return openPostgresStore({ connectionString: url, poolSize: poolSizeFrom(env) });
  }
  mkdirSync(location.dataDir, { recursive: true });
  return openSqliteStore({ filename: join(location.dataDir, 'roster.db') });
}
