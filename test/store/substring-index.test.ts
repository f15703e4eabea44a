import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { groupResourceType } from '../../src/schema/registry.js';
import type { JsonObject } from '../../src/scim/json.js';
import type { GroupRecord, UserRecord } from '../../src/store/records.js';
import { substringIndexes } from '../../src/store/sql/migrations/024-substring-indexes.js';
import { cheaperSubstringIndexes } from '../../src/store/sql/migrations/025-cheaper-substring-indexes.js';
import { observeListQueries } from '../../src/store/sql/query/list-runner.js';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';
import { createTenant, expectedIds, groupRecord, parseValid, query, renderGroups, renderUsers, userRecord } from './fixtures.js';

/**
 * Substring filters narrowed by the substring index (query/substring-index.ts, migrations
 * 024 and 025) answer exactly what the reference evaluator answers, on both engines: case folding,
 * characters that are wildcards to LIKE or syntax to FTS5, Unicode, and rows changed or
 * removed after they were indexed.
 */

/** The SQL of every list statement `list` runs. */
async function statementsOf(list: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  observeListQueries((compiled) => {
    seen.push(compiled.sql);
    return Promise.resolve();
  });
  try {
    await list();
  } finally {
    observeListQueries(undefined);
  }
  return seen;
}

for (const engine of testEngines()) {
  describe(`substring filters through the substring index (${engine.name})`, () => {
    let store: Store;
    let tenantId: string;
    let users: UserRecord[];
    let groups: GroupRecord[];
    let renderedUsers: Map<string, JsonObject>;
    let renderedGroups: Map<string, JsonObject>;
    const prefilter = engine.name === 'postgres' ? / like \$\d/ : /_search" match /;

    async function render(): Promise<void> {
      renderedUsers = await renderUsers(store, tenantId, users);
      renderedGroups = await renderGroups(store, tenantId, groups);
    }

    before(async () => {
      store = await engine.open();
      // Another tenant with the same data: its rows pass the index, never the tenant condition.
      for (const tenant of [await createTenant(store), await createTenant(store)]) {
        tenantId = tenant;
        users = [
          userRecord(tenant, { userName: 'Jo"hn.O\'Hara@Example.com', externalId: 'ABC-123', name: { givenName: 'John', familyName: "O'Hara" }, emails: [{ value: 'x_y%z@corp.test', type: 'work' }] }),
          // Decomposed in the document (E + combining acute): NFC folding makes it match "émile".
          userRecord(tenant, { userName: 'E\u0301mile', displayName: 'Straße', name: { givenName: 'Zoë', formatted: 'Dr. Zoë Émile' }, emails: [{ value: 'Emile@Corp.test' }] }),
          userRecord(tenant, { userName: 'xyz%abc', externalId: 'abc-123', name: { familyName: 'Back\\slash' } }),
          userRecord(tenant, { userName: 'ab' }),
        ];
        groups = [groupRecord(tenant, 'Tour "Guides" 100%', { externalId: 'G_1' }), groupRecord(tenant, 'Ops', { externalId: 'g-100' })];
        for (const user of users) await store.read.users.insert(user);
        for (const group of groups) await store.read.groups.insert(group);
      }
      await render();
    });
    after(() => store.close());

    const nameOf = (id: string): string => users.find((user) => user.id === id)?.userName ?? groups.find((group) => group.id === id)?.displayName ?? id;

    /** SQL and the evaluator select exactly `expected`; the statement has the prefilter when `indexed`. */
    async function expectUsers(text: string, expected: readonly string[], indexed = true): Promise<void> {
      const filter = parseValid(text);
      let rows: readonly UserRecord[] = [];
      const statements = await statementsOf(async () => {
        rows = (await store.read.users.list(tenantId, query(filter))).rows;
      });
      assert.deepEqual(rows.map((row) => row.userName).sort(), [...expected].sort(), `SQL: ${text}`);
      assert.deepEqual(expectedIds(filter, renderedUsers).map(nameOf).sort(), [...expected].sort(), `evaluator: ${text}`);
      assert.equal(statements.some((statement) => prefilter.test(statement)), indexed, `prefilter in ${text}: ${statements.join('\n')}`);
    }

    async function expectGroups(text: string, expected: readonly string[], indexed = true): Promise<void> {
      const filter = parseValid(text, groupResourceType);
      let rows: readonly GroupRecord[] = [];
      const statements = await statementsOf(async () => {
        rows = (await store.read.groups.list(tenantId, query(filter))).rows;
      });
      assert.deepEqual(rows.map((row) => row.displayName).sort(), [...expected].sort(), `SQL: ${text}`);
      assert.deepEqual(expectedIds(filter, renderedGroups, groupResourceType).map(nameOf).sort(), [...expected].sort(), `evaluator: ${text}`);
      assert.equal(statements.some((statement) => prefilter.test(statement)), indexed, `prefilter in ${text}: ${statements.join('\n')}`);
    }

    const JOHN = 'Jo"hn.O\'Hara@Example.com';
    const EMILE = 'E\u0301mile';

    it('folds case and Unicode as Roster does (userName, displayName, name.*, emails)', async () => {
      await expectUsers('userName co "EXAMPLE"', [JOHN]);
      await expectUsers('userName sw "émi"', [EMILE]);
      await expectUsers('userName ew "MILE"', [EMILE]);
      await expectUsers('displayName co "STRASSE"', []);
      await expectUsers('displayName co "TRAß"', [EMILE]);
      await expectUsers('name.givenName co "ZOË"', [EMILE]);
      await expectUsers('name.formatted sw "dr. zoë"', [EMILE]);
      // name_key holds displayName and name.* together: the exact test keeps them apart.
      await expectUsers('name.givenName co "straße"', []);
      await expectUsers('name.familyName ew "hara"', [JOHN]);
      await expectUsers('emails.value co "CORP.TEST"', [JOHN, EMILE]);
      await expectUsers('emails co "emile@"', [EMILE]);
      await expectUsers('emails[type eq "work" and value co "corp"]', [JOHN]);
      await expectUsers('emails[value ew ".test"]', [JOHN, EMILE]);
    });

    it('takes %, _, \\ and quotes literally', async () => {
      await expectUsers('userName co "%ab"', ['xyz%abc']);
      await expectUsers('userName co "z%a"', ['xyz%abc']);
      await expectUsers('userName co "z_a"', []);
      await expectUsers('emails.value co "_y%"', [JOHN]);
      await expectUsers('emails.value co "x%y"', []);
      await expectUsers('userName co "o\\"hn"', [JOHN]);
      await expectUsers('userName co "o\'ha"', [JOHN]);
      await expectUsers('name.familyName co "k\\\\s"', ['xyz%abc']);
      await expectGroups('displayName co "\\"guides\\""', ['Tour "Guides" 100%']);
      await expectGroups('displayName ew "00%"', ['Tour "Guides" 100%']);
      await expectGroups('displayName co "0%"', ['Tour "Guides" 100%'], false);
    });

    it('compares externalId case-exactly', async () => {
      await expectUsers('externalId co "ABC"', [JOHN]);
      await expectUsers('externalId sw "abc"', ['xyz%abc']);
      await expectUsers('externalId ew "-123"', [JOHN, 'xyz%abc']);
      await expectGroups('externalId co "G_1"', ['Tour "Guides" 100%']);
      await expectGroups('externalId co "g_1"', []);
    });

    it('reads the rows without the index for needles shorter than a trigram, and under not', async () => {
      await expectUsers('userName co "ab"', ['xyz%abc', 'ab'], false);
      await expectUsers('userName sw "é"', [EMILE], false);
      await expectUsers('title co "abc"', [], false);
      await expectUsers('not (userName co "example")', [EMILE, 'xyz%abc', 'ab']);
      await expectUsers('userName co "example" or externalId co "abc-"', [JOHN, 'xyz%abc']);
    });

    it('follows changes and removals of indexed rows', async () => {
      const [john, emile] = users;
      assert.ok(john !== undefined && emile !== undefined);
      const renamed: UserRecord = { ...emile, userName: 'Renamed', version: 2, data: { ...emile.data, userName: 'Renamed', displayName: 'Gasse', emails: [{ value: 'new@else.where' }] } };
      await store.read.users.update(renamed);
      await store.read.users.remove(tenantId, john.id);
      users = users.filter((user) => user.id !== john.id).map((user) => (user.id === renamed.id ? renamed : user));
      const [tour] = groups;
      assert.ok(tour !== undefined);
      const moved: GroupRecord = { ...tour, displayName: 'Moved', externalId: null, version: 2, data: { ...tour.data, displayName: 'Moved' } };
      delete (moved.data as Record<string, unknown>).externalId;
      await store.read.groups.update(moved);
      groups = groups.map((group) => (group.id === moved.id ? moved : group));
      await render();
      await expectUsers('userName co "émile"', []);
      await expectUsers('userName co "renamed"', ['Renamed']);
      await expectUsers('displayName co "gasse"', ['Renamed']);
      await expectUsers('displayName co "straße"', []);
      await expectUsers('emails.value co "else"', ['Renamed']);
      await expectUsers('emails.value co "corp"', []);
      await expectUsers('externalId co "ABC"', []);
      await expectGroups('displayName co "guides"', []);
      await expectGroups('displayName co "move"', ['Moved']);
      await expectGroups('externalId co "G_1"', []);
    });

    it('024 indexes the users stored before it, and undoes itself', async () => {
      const db = (store as unknown as { db: Kysely<unknown> }).db;
      const context = { jsonType: engine.name === 'postgres' ? 'jsonb' : 'text' } as const;
      const keys = async (): Promise<string[]> =>
        (await sql<{ id: string; name_key: string | null }>`select id, name_key from users order by tenant_id, id`.execute(db)).rows.map((row) => `${row.id} ${row.name_key ?? ''}`);
      const written = await keys();
      assert.ok(written.some((row) => row.endsWith(' gasse\ndr. zoë émile\nzoë')), written.join('\n'));
      await cheaperSubstringIndexes.down(db, context);
      await substringIndexes.down(db, context);
      await substringIndexes.up(db, context);
      await cheaperSubstringIndexes.up(db, context);
      assert.deepEqual(await keys(), written);
      await expectUsers('name.formatted co "zoë"', ['Renamed']);
      await expectUsers('emails.value co "else"', ['Renamed']);
      await expectGroups('displayName co "move"', ['Moved']);
    });

    it('025 keeps what was indexed before it, and its down() gives back the index of 024', async () => {
      const db = (store as unknown as { db: Kysely<unknown> }).db;
      const context = { jsonType: engine.name === 'postgres' ? 'jsonb' : 'text' } as const;
      await cheaperSubstringIndexes.down(db, context);
      const written = userRecord(tenantId, { userName: 'Written.Before@Old.Index', externalId: 'OLD-9', name: { familyName: 'Vorher' }, emails: [{ value: 'before@old.index' }] });
      await store.read.users.insert(written);
      users = [...users, written];
      await cheaperSubstringIndexes.up(db, context);
      await render();
      await expectUsers('userName co "before@"', ['Written.Before@Old.Index']);
      await expectUsers('externalId sw "OLD-"', ['Written.Before@Old.Index']);
      await expectUsers('name.familyName co "orhe"', ['Written.Before@Old.Index']);
      await expectUsers('emails.value ew "old.index"', ['Written.Before@Old.Index']);
    });

    it('025 sets the cheaper index options', async () => {
      const db = (store as unknown as { db: Kysely<unknown> }).db;
      if (engine.name === 'postgres') {
        const { rows } = await sql<{ name: string; options: string[] | null }>`select relname as name, reloptions as options from pg_class where right(relname, 5) = '_trgm' and relkind = 'i' and pg_table_is_visible(oid) order by relname`.execute(db);
        assert.equal(rows.length, 6);
        for (const row of rows) assert.deepEqual(row.options, ['fastupdate=on', 'gin_pending_list_limit=64'], row.name);
      } else {
        const { rows } = await sql<{ name: string; definition: string }>`select name, sql as definition from sqlite_master where type = 'table' and name glob '*_search' order by name`.execute(db);
        assert.deepEqual(rows.map((row) => row.name), ['groups_search', 'user_emails_search', 'users_search']);
        for (const row of rows) assert.match(row.definition, /detail='column', columnsize=0\)$/, row.name);
      }
    });

    if (engine.name === 'sqlite') {
      it('leaves the FTS5 tables alone when a write changes no indexed value (a title)', async () => {
        const db = (store as unknown as { db: Kysely<unknown> }).db;
        const index = async (): Promise<string> => (await sql<{ blocks: string }>`select group_concat(id || ':' || hex(block)) as blocks from (select id, block from users_search_data order by id)`.execute(db)).rows[0]?.blocks ?? '';
        const user = users[0];
        assert.ok(user !== undefined);
        const before = await index();
        const titled: UserRecord = { ...user, version: user.version + 1, data: { ...user.data, title: 'Head of Trigrams' } };
        await store.read.users.update(titled, user);
        users = users.map((entry) => (entry.id === titled.id ? titled : entry));
        assert.equal(await index(), before);
        const renamed: UserRecord = { ...titled, userName: 'Renamed.Again', version: titled.version + 1, data: { ...titled.data, userName: 'Renamed.Again' } };
        await store.read.users.update(renamed, titled);
        users = users.map((entry) => (entry.id === renamed.id ? renamed : entry));
        assert.notEqual(await index(), before);
        await render();
        await expectUsers('userName co "again"', ['Renamed.Again']);
      });
    }

    it('takes FTS5 query syntax and GLOB wildcards literally', async () => {
      const odd = userRecord(tenantId, { userName: 'a*b?c[d]e@x.test', name: { familyName: 'Say "Hi" AND (NOT) x:y' } });
      await store.read.users.insert(odd);
      users = [...users, odd];
      await render();
      await expectUsers('userName co "b?c"', ['a*b?c[d]e@x.test']);
      await expectUsers('userName co "a*b?c"', ['a*b?c[d]e@x.test']);
      await expectUsers('userName co "[d]e"', ['a*b?c[d]e@x.test']);
      await expectUsers('userName co "a?b"', []);
      await expectUsers('name.familyName co "\\"hi\\" and (not)"', ['a*b?c[d]e@x.test']);
      await expectUsers('name.familyName co " x:y"', ['a*b?c[d]e@x.test']);
      await expectUsers('name.familyName co "and x"', []);
    });
  });
}

if (testEngines().some((engine) => engine.name === 'postgres')) {
  describe('substring filters on PostgreSQL without the right to create pg_trgm', () => {
    it('migrates with a warning, creates no trigram index, and answers substring filters by reading the tenant', async () => {
      const url = await createTestDatabase();
      const role = `roster_no_ext_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const warnings: string[] = [];
      const onWarning = (warning: Error & { code?: string }): void => {
        if (warning.code === 'ROSTER_PG_TRGM') warnings.push(warning.message);
      };
      process.on('warning', onWarning);
      try {
        // May create tables in its schema, but not extensions (no CREATE on the database).
        await admin.query(`create role ${role} login`);
        await admin.query(`grant create, usage on schema public to ${role}`);
        const asRole = new URL(url);
        asRole.username = role;
        const store = openPostgresStore({ connectionString: asRole.toString(), poolSize: 2 });
        try {
          await store.migrate();
          await new Promise((resolve) => setImmediate(resolve));
          assert.equal(warnings.length, 1);
          assert.match(warnings[0] ?? '', /Could not create the pg_trgm and btree_gin extensions \(permission denied/);
          const { rows } = await admin.query<{ count: string }>(`select count(*) as count from pg_indexes where indexname like '%\\_trgm'`);
          assert.equal(Number(rows[0]?.count), 0);
          const tenantId = await createTenant(store);
          const user = userRecord(tenantId, { userName: 'Someone@Example.com', emails: [{ value: 'someone@example.com' }] });
          await store.read.users.insert(user);
          for (const text of ['userName co "EXAMPLE"', 'emails.value ew "ple.com"']) {
            const result = await store.read.users.list(tenantId, query(parseValid(text)));
            assert.deepEqual(result.rows.map((row) => row.id), [user.id], text);
          }
        } finally {
          await store.close();
        }
      } finally {
        process.off('warning', onWarning);
        await admin.query(`drop owned by ${role}`).catch(() => undefined);
        await admin.end();
        const cleanup = new pg.Client({ connectionString: url });
        await cleanup.connect();
        await cleanup.query(`drop role if exists ${role}`).catch(() => undefined);
        await cleanup.end();
      }
    });
  });
}
