import { openSqliteStore } from '../../src/store/sql/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { openPostgresTestStore, postgresAvailable } from './postgres.js';

/** A storage engine the shared suites run against. */
export interface TestEngine {
  readonly name: string;
  /** A fresh, migrated, empty store. */
  open(): Promise<Store>;
}

const sqlite: TestEngine = {
  name: 'sqlite',
  async open() {
    const store = openSqliteStore({ filename: ':memory:' });
    await store.migrate();
    return store;
  },
};

const postgres: TestEngine = {
  name: 'postgres',
  open: openPostgresTestStore,
};

// Suites register their tests per engine at import time, so whether PostgreSQL is there has to
// be known before they run: this top-level await settles it once per test process.
const engines: readonly TestEngine[] = (await postgresAvailable()) ? [sqlite, postgres] : [sqlite];

/** Every engine the suites run on: SQLite always, PostgreSQL when its server is reachable. */
export function testEngines(): readonly TestEngine[] {
  return engines;
}
