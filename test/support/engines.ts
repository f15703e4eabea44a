import { openSqliteStore } from '../../src/store/sql/sqlite.js';
import type { Store } from '../../src/store/store.js';

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

/** Every engine the suites run on. */
export function testEngines(): readonly TestEngine[] {
  return [sqlite];
}
