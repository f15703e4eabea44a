import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from './sql/sqlite.js';
import type { Store } from './store.js';

export interface StoreLocation {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
}

/** Opens the configured engine: PostgreSQL when DATABASE_URL is set, else SQLite in the data directory. */
export function openStore(location: StoreLocation): Store {
  if (location.databaseUrl !== undefined) {
    throw new Error('DATABASE_URL is set, but this build of Roster has only the SQLite engine. Unset DATABASE_URL to use SQLite.');
  }
  mkdirSync(location.dataDir, { recursive: true });
  return openSqliteStore({ filename: join(location.dataDir, 'roster.db') });
}
