import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { queryIndexes } from '../../src/store/sql/migrations/002-query-indexes.js';
import { membershipDisplay } from '../../src/store/sql/migrations/014-member-display.js';
import { memberRoles } from '../../src/store/sql/migrations/020-member-roles.js';
import { logUndeclaredAndMemberRoles } from '../../src/store/sql/migrations/022-log-undeclared-and-member-roles.js';
import { migrations } from '../../src/store/sql/migrations/index.js';
import type { TenantMemberRecord } from '../../src/store/member-store.js';
import { testEngines } from '../support/engines.js';
import { addMemberships, createTenant, groupRecord, userRecord } from './fixtures.js';

for (const engine of testEngines()) {
  describe(`migrations on ${engine.name}`, () => {
    it('starts on a database that a newer build has already migrated further', async () => {
      const store = await engine.open();
      try {
        // What a newer build leaves behind: a migration this build does not know.
        const db = (store as unknown as { db: Kysely<unknown> }).db;
        await sql`insert into kysely_migration (name, timestamp) values (${'999-from-a-newer-build'}, ${new Date().toISOString()})`.execute(db);
        await store.migrate();
        const { rows } = await sql<{ name: string }>`select name from kysely_migration where name = ${'999-from-a-newer-build'}`.execute(db);
        assert.equal(rows.length, 1, 'the newer build\'s record is left alone');
        await store.ping();
      } finally {
        await store.close();
      }
    });

    it('002 indexes the emails of the users stored before it exactly as the store indexes them', async () => {
      const store = await engine.open();
      try {
        const db = (store as unknown as { db: Kysely<unknown> }).db;
        const tenantId = await createTenant(store);
        // More users than one backfill batch (500); emails repeated in other cases, empty or absent.
        const users = Array.from({ length: 520 }, (_, index) =>
          userRecord(tenantId, {
            userName: `user${index}@example.com`,
            ...(index % 7 === 0 ? {} : { emails: [{ value: `User${index}@Example.com` }, { value: `user${index}@example.COM`, type: 'work' }, { value: '' }, { value: `\u00C5${index}@x.test` }] }),
          }),
        );
        await store.transaction(async (tx) => {
          for (const user of users) await tx.users.insert(user);
        });
        const rows = async (): Promise<string[]> =>
          (await sql<{ user_id: string; value_key: string }>`select user_id, value_key from user_emails where tenant_id = ${tenantId} order by user_id, value_key`.execute(db)).rows.map((row) => `${row.user_id} ${row.value_key}`);
        const written = await rows();
        assert.equal(written.length, (520 - 75) * 2);
        assert.ok(written.includes(`${users[1]?.id} user1@example.com`) && written.includes(`${users[1]?.id} \u00E51@x.test`));
        const context = { jsonType: engine.name === 'postgres' ? 'jsonb' : 'text' } as const;
        await queryIndexes.down(db, context);
        await queryIndexes.up(db, context);
        assert.deepEqual(await rows(), written);
      } finally {
        await store.close();
      }
    });

    it('014 fills in the display of every existing membership, and rows without one still show it', async () => {
      const store = await engine.open();
      try {
        const db = (store as unknown as { db: Kysely<unknown> }).db;
        const tenantId = await createTenant(store);
        const named = userRecord(tenantId, { userName: 'ada@example.com', displayName: 'Ada Lovelace' });
        const unnamed = userRecord(tenantId, { userName: 'bob@example.com' });
        const inner = groupRecord(tenantId, 'Inner');
        const outer = groupRecord(tenantId, 'Outer');
        await store.transaction(async (tx) => {
          await tx.users.insert(named);
          await tx.users.insert(unnamed);
          await tx.groups.insert(inner);
          await tx.groups.insert(outer);
        });
        await addMemberships(store, tenantId, outer, [{ id: named.id, type: 'User' }, { id: unnamed.id, type: 'User' }, { id: inner.id, type: 'Group' }]);
        // The schema before 014, with the memberships it held; then 014 again.
        const context = { jsonType: engine.name === 'postgres' ? 'jsonb' : 'text' } as const;
        await membershipDisplay.down(db, context);
        await membershipDisplay.up(db, context);
        const members = await store.read.groups.memberships(tenantId, outer.id, null, 10);
        const displays = Object.fromEntries(members.map((member) => [member.value, member.display]));
        assert.deepEqual(displays, { [named.id]: 'Ada Lovelace', [unnamed.id]: 'bob@example.com', [inner.id]: 'Inner' });
        // Rows a process of the previous version adds during a rolling deploy have no copy: read from the members.
        await sql`update group_members set member_display = null`.execute(db);
        const fallback = await store.read.groups.memberships(tenantId, outer.id, null, 10);
        assert.deepEqual(Object.fromEntries(fallback.map((member) => [member.value, member.display])), displays);
      } finally {
        await store.close();
      }
    });

    it('020 reads existing members\' roles as their role, set by hand unless SCIM set it', async () => {
      const store = await engine.open();
      try {
        const db = (store as unknown as { db: Kysely<unknown> }).db;
        const tenantId = await createTenant(store);
        const at = new Date().toISOString();
        const member = (userId: string, role: string, roleManaged: boolean): TenantMemberRecord => ({
          tenantId, userId, userName: `${userId}@example.com`, email: null, displayName: null, status: 'active', role, roles: [role], handRole: null, roleManaged,
          accessGroupId: null, signInMethod: 'password', confirmed: true, scimManaged: true, formerlyScimManaged: false, creator: false, createdAt: at, updatedAt: at,
        });
        await store.transaction(async (tx) => {
          await tx.members.insert(member('by-hand', 'billing', false), null);
          await tx.members.insert(member('by-scim', 'admin', true), null);
        });
        // The schema before 020, with the members it held; then 020 again.
        const context = { jsonType: engine.name === 'postgres' ? 'jsonb' : 'text' } as const;
        await memberRoles.down(db, context);
        await memberRoles.up(db, context);
        const read = await store.read.members.getMany(tenantId, ['by-hand', 'by-scim']);
        assert.deepEqual([read.get('by-hand')?.roles, read.get('by-hand')?.handRole], [['billing'], 'billing']);
        assert.deepEqual([read.get('by-scim')?.roles, read.get('by-scim')?.handRole], [['admin'], null]);
      } finally {
        await store.close();
      }
    });

    it('022 indexes every existing member\'s roles (a member without a list by its role), and log entries before it carry no undeclared paths', async () => {
      const store = await engine.open();
      try {
        const db = (store as unknown as { db: Kysely<unknown> }).db;
        const tenantId = await createTenant(store);
        const at = new Date().toISOString();
        const member = (userId: string, roles: string[]): TenantMemberRecord => ({
          tenantId, userId, userName: `${userId}@example.com`, email: null, displayName: null, status: 'active', role: roles[0] ?? 'member', roles, handRole: null, roleManaged: true,
          accessGroupId: null, signInMethod: 'password', confirmed: true, scimManaged: true, formerlyScimManaged: false, creator: false, createdAt: at, updatedAt: at,
        });
        await store.transaction(async (tx) => {
          await tx.members.insert(member('ada', ['admin', 'editor', 'viewer']), null);
          await tx.members.insert(member('bob', ['editor']), null);
          await tx.members.insert(member('cai', ['viewer']), null);
          await tx.provisioningLog.upsert({ tenantId, id: 'before-022', startedAt: at, finishedAt: at, tokenId: null, tokenName: null, method: 'GET', path: '/Users', status: 200, durationMs: 1, userAgent: null, resources: [], events: 0, scimType: null, errorDetail: null, requestBody: null, undeclared: [] }, []);
        });
        // The schema before 022 (with 023 and 024 applied: 022 was merged after them); cai's row
        // as members made before 020 have it (no list); then the migrator runs 022 on its own.
        const context = { jsonType: engine.name === 'postgres' ? 'jsonb' : 'text' } as const;
        await logUndeclaredAndMemberRoles.down(db, context);
        // Only this build's migrations (a reused PostgreSQL test schema may keep the newer build's of the first test).
        await sql`delete from kysely_migration where name = ${logUndeclaredAndMemberRoles.name} or name not in (${sql.join(migrations.map((migration) => migration.name))})`.execute(db);
        await sql`update members set roles = null where user_id = 'cai'`.execute(db);
        await store.migrate();
        const holders = async (role: string): Promise<string[]> => (await store.read.members.list(tenantId, { role, limit: 10 })).map((found) => found.userId);
        assert.deepEqual(await holders('editor'), ['ada', 'bob']);
        assert.deepEqual(await holders('viewer'), ['ada', 'cai']);
        assert.deepEqual(await holders('admin'), ['ada']);
        const [entry] = await store.read.provisioningLog.search(tenantId, { limit: 1 });
        assert.deepEqual([entry?.id, entry?.undeclared], ['before-022', []]);
      } finally {
        await store.close();
      }
    });

    it('is a no-op when run again', async () => {
      const store = await engine.open();
      try {
        await store.migrate();
        await store.migrate();
      } finally {
        await store.close();
      }
    });
  });
}
