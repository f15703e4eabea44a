import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { profileOf } from '../../src/policy/member-profile.js';
import { groupResourceType } from '../../src/schema/registry.js';
import type { TenantMemberRecord } from '../../src/store/member-store.js';
import type { UserRecord } from '../../src/store/records.js';
import type { Database } from '../../src/store/sql/database.js';
import type { DialectAdapter, QueryPlan } from '../../src/store/sql/dialect-adapter.js';
import { SqlDirectoryStore } from '../../src/store/sql/members/sql-directory-store.js';
import { memberLookup } from '../../src/store/sql/members/sql-member-store.js';
import { observeListQueries } from '../../src/store/sql/query/list-runner.js';
import { groupMembersPage } from '../../src/store/sql/resources/sql-group-store.js';
import { userGroupsQuery, userWithGroupsQuery } from '../../src/store/sql/resources/sql-user-store.js';
import type { ListQuery, Store } from '../../src/store/store.js';
import { testEngines } from '../support/engines.js';
import { createTenant, groupRecord, parseValid, query, userRecord } from './fixtures.js';

const SEEDED = 1000;
/** Members without SCIM users added to the tenant (see addMembersWithoutUsers). */
const EXTRA_MEMBERS = 19_000;

/** A plan step that sorts rows (SQLite: a temporary B-tree for ORDER BY; PostgreSQL: a Sort node). */
const SORT_STEP = /TEMP B-TREE FOR ORDER BY|(^|->\s*)(Incremental )?Sort\b/;

/** The member row provisioning makes for a user; half of them hand-made, as if linked later. */
function memberOf(user: UserRecord, index: number): TenantMemberRecord {
  const at = user.created;
  // One in fifty holds a second role, `support`, behind its first.
  const roles = index % 50 === 0 ? ['billing', 'support'] : ['member'];
  return { tenantId: user.tenantId, userId: user.id, ...profileOf(user), status: 'active', role: roles[0] ?? 'member', roles, handRole: null, roleManaged: false, accessGroupId: null, signInMethod: 'password', confirmed: true, scimManaged: index % 2 === 0, formerlyScimManaged: false, creator: false, createdAt: at, updatedAt: at };
}

/**
 * The filters identity providers send before every create and update must run on an index at
 * any tenant size: for each, every statement a list runs (the page, and the count when
 * asked) is explained, and a full read of a table (or an index walk that narrows by tenant
 * only) fails the test.
 */

/** The plans of every statement `list` runs. */
async function plansOf(list: () => Promise<unknown>): Promise<QueryPlan[]> {
  const plans: QueryPlan[] = [];
  observeListQueries(async (compiled, db, adapter) => {
    plans.push(await adapter.explain(db, compiled));
  });
  try {
    await list();
  } finally {
    observeListQueries(undefined);
  }
  return plans;
}

for (const engine of testEngines()) {
  describe(`query plans of the filters IdPs send (${engine.name})`, () => {
    let store: Store;
    let tenantId: string;
    const ids = { user: '', group: '' };
    /** The store's own connection and adapter, to explain statements that are not lists. */
    let engineSql: { db: Kysely<Database>; adapter: DialectAdapter } | undefined;

    before(async () => {
      store = await engine.open();
      tenantId = await createTenant(store);
      // Enough rows that a planner with statistics prefers an index to reading everything.
      const groups = Array.from({ length: 200 }, (_, index) => groupRecord(tenantId, `Group ${index}`, { externalId: `g-${index}` }));
      await store.transaction(async (tx) => {
        for (const group of groups) await tx.groups.insert(group);
        for (let index = 0; index < SEEDED; index += 1) {
          const user = userRecord(tenantId, { userName: `user${index}`, externalId: `e-${index}`, emails: [{ value: `user${index}@example.com`, type: 'work' }] });
          await tx.users.insert(user);
          const group = groups[index % groups.length];
          if (group !== undefined) await tx.groups.addMemberships(tenantId, group.id, [{ value: user.id, type: 'User' }]);
          if (index === 0) ids.user = user.id;
          await tx.members.insert(memberOf(user, index), null);
        }
        // The events a tenant of this size has (each user created, a few groups renamed), so that
        // the updatedSince plan below is judged against an outbox with statistics, not an empty one.
        await tx.events.append(
          tenantId,
          [
            ...Array.from({ length: SEEDED }, (_, index) => ({ type: 'user.created', resourceType: 'User' as const, resourceId: `u-${index}`, payload: {} })),
            ...groups.slice(0, 20).map((group) => ({ type: 'group.updated', resourceType: 'Group' as const, resourceId: group.id, payload: {} })),
          ],
          new Date(0).toISOString(),
        );
      });
      ids.group = groups[0]?.id ?? '';
      observeListQueries((_query, db, adapter) => {
        engineSql = { db, adapter };
        return Promise.resolve();
      });
      await store.read.users.list(tenantId, query(undefined, { limit: 1 }));
      observeListQueries(undefined);
      await addMembersWithoutUsers(EXTRA_MEMBERS);
    });

    /**
     * Members made by hand (no SCIM user), one in fifty holding `support` as its only role: a
     * tenant this large is where reading its members whole costs more than looking up a
     * role's holders, so PostgreSQL's plan for the list by role is judged on it.
     */
    async function addMembersWithoutUsers(count: number): Promise<void> {
      if (engineSql === undefined) throw new Error('the store ran no list statement');
      const { db } = engineSql;
      const at = new Date(0).toISOString();
      for (let start = 0; start < count; start += 500) {
        const ids = Array.from({ length: Math.min(500, count - start) }, (_, offset) => `hand-${String(start + offset).padStart(6, '0')}`);
        const roleOf = (id: string): string => (Number(id.slice(5)) % 50 === 0 ? 'support' : 'member');
        await db
          .insertInto('members')
          .values(ids.map((id) => ({
            tenant_id: tenantId, user_id: id, user_name: id, user_name_key: id, email: null, email_key: null, display_name: null, status: 'active', role: roleOf(id), role_managed: 0, roles: JSON.stringify([roleOf(id)]),
            hand_role: roleOf(id), access_group_id: null, sign_in_method: 'password', secret_hash: null, confirmed: 1, scim_managed: 0, formerly_scim_managed: 0, creator: 0, created_at: at, updated_at: at,
          })))
          .execute();
        await db.insertInto('member_roles').values(ids.map((id) => ({ tenant_id: tenantId, role: roleOf(id), member_id: id }))).execute();
      }
    }
    after(() => store.close());

    async function expectIndexed(list: (query: ListQuery) => Promise<unknown>, filterText: string, resourceType = groupResourceType, users = true): Promise<void> {
      const filter = users ? parseValid(filterText) : parseValid(filterText, resourceType);
      // A page (limit 100), and a count (limit 0, which always counts).
      for (const limit of [100, 0]) {
        const plans = await plansOf(() => list(query(filter, { limit })));
        assert.ok(plans.length > 0, 'the list ran no statement');
        for (const plan of plans) {
          assert.deepEqual(plan.fullScans, [], `${filterText} (limit ${limit}) reads a table in full:\n${plan.lines.join('\n')}`);
        }
      }
    }

    const users = (q: ListQuery): Promise<unknown> => store.read.users.list(tenantId, q);
    const groups = (q: ListQuery): Promise<unknown> => store.read.groups.list(tenantId, q);

    function checks(): void {
      for (const text of [
        'userName eq "User7"',
        'externalId eq "e-7"',
        'emails.value eq "USER7@example.com"',
        'emails eq "user7@example.com"',
        'emails[type eq "work" and value eq "user7@example.com"]',
        'emails[type eq "work"].value eq "user7@example.com"',
        'meta.lastModified gt "2099-01-01T00:00:00Z"',
        'userName eq "user7" and active eq true',
        // Substring tests of three characters or more: the substring index (migration 024).
        'userName co "SER777"',
        'userName sw "user777"',
        'externalId ew "-777"',
        'displayName co "babs"',
        'name.familyName sw "jensen"',
        'emails.value co "r777@example"',
        'emails[type eq "work" and value ew "777@example.com"]',
      ]) {
        it(`/Users?filter=${text}`, () => expectIndexed(users, text));
      }
      it('finds substring matches through the trigram index itself', async () => {
        const index = engine.name === 'sqlite' ? /SCAN user_emails_search VIRTUAL TABLE/ : /Bitmap Index Scan on user_emails_value_key_trgm/;
        const plans = await plansOf(() => users(query(parseValid('emails.value co "r777@example"'), { limit: 100 })));
        assert.ok(plans.every((plan) => plan.lines.some((line) => index.test(line))), plans.map((plan) => plan.lines.join('\n')).join('\n\n'));
      });
      it('/Users?filter=id eq …', () => expectIndexed(users, `id eq "${ids.user}"`));
      it('/Users?filter=groups.value eq …', () => expectIndexed(users, `groups.value eq "${ids.group}"`));
      it('/Users?filter=groups[value eq …]', () => expectIndexed(users, `groups[value eq "${ids.group}"]`));
      for (const text of ['displayName eq "group 7"', 'externalId eq "g-7"', 'meta.lastModified gt "2099-01-01T00:00:00Z"']) {
        it(`/Groups?filter=${text}`, () => expectIndexed(groups, text, groupResourceType, false));
      }
      // PostgreSQL reads 200 groups rather than search a trigram index, rightly; its
      // substring plans are checked on the users above (the same indexes and statements).
      if (engine.name === 'sqlite') {
        for (const text of ['displayName co "OUP 177"', 'externalId ew "-177"']) {
          it(`/Groups?filter=${text}`, () => expectIndexed(groups, text, groupResourceType, false));
        }
      }
      it('/Groups?filter=id eq …', () => expectIndexed(groups, `id eq "${ids.group}"`, groupResourceType, false));
      it('/Groups?filter=members.value eq …', () => expectIndexed(groups, `members.value eq "${ids.user}"`, groupResourceType, false));
      it('/Groups?filter=members[value eq …]', () => expectIndexed(groups, `members[value eq "${ids.user}"]`, groupResourceType, false));

      // Not filters, but on every read of a user and every SCIM create.
      async function expectStatementIndexed(name: string, compiled: (db: Kysely<Database>, adapter: DialectAdapter) => CompiledQuery, inIndexOrder = false): Promise<void> {
        if (engineSql === undefined) throw new Error('the store ran no list statement');
        const plan = await engineSql.adapter.explain(engineSql.db, compiled(engineSql.db, engineSql.adapter));
        assert.deepEqual(plan.fullScans, [], `${name} reads a table in full:\n${plan.lines.join('\n')}`);
        // A sort reads every row that matches before the first is returned: a page would cost what the whole set does.
        if (inIndexOrder) assert.ok(!plan.lines.some((line) => SORT_STEP.test(line)), `${name} sorts:\n${plan.lines.join('\n')}`);
      }
      it("a user's groups (lists of users)", () => expectStatementIndexed('groupsOf', (db) => userGroupsQuery(db, tenantId, [ids.user]).compile()));
      it('a user with its groups and manager (GET /Users/{id})', () =>
        expectStatementIndexed('getWithGroups', (db, adapter) => userWithGroupsQuery(db, adapter, 'id', tenantId, ids.user).compile()));
      it('the live user by userName with its groups and manager (/Users?filter=userName eq …)', () =>
        expectStatementIndexed('findLiveWithGroups', (db, adapter) => userWithGroupsQuery(db, adapter, 'user_name_key', tenantId, 'user7').compile()));
      it("a page deep in a group's members (GET /api/v1/tenants/{id}/groups/{groupId}/members): a keyset on the membership key", () =>
        expectStatementIndexed('group members page', (db) => groupMembersPage(db, tenantId, ids.group, 'ffffffff', 500).compile(), true));
      it("the first page of a group's members is read in index order, not sorted", () =>
        expectStatementIndexed('group members first page', (db) => groupMembersPage(db, tenantId, ids.group, null, 100).compile(), true));
      it('members changed since a time (GET /api/v1/tenants/{id}/members?updatedSince=…)', () =>
        expectStatementIndexed('members updatedSince', (db, adapter) =>
          new SqlDirectoryStore(db, adapter).membersSelect(tenantId, { updatedSince: '2099-01-01T00:00:00.000Z', sort: 'userId', descending: false, limit: 100 }).compile(),
        ));
      // GET /api/v1/tenants/{id}/members?role=…: the holders of a role are found on member_roles
      // (migration 022), not by reading every member's list of roles.
      const byRole = (db: Kysely<Database>, adapter: DialectAdapter, sort: 'userId' | 'userName', after?: { userId: string; value?: string }) =>
        new SqlDirectoryStore(db, adapter).membersSelect(tenantId, { role: 'support', sort, descending: false, limit: 100, ...(after === undefined ? {} : { after }) }).compile();
      it('members holding a role anywhere in their roles (…/members?role=…), a page read in index order', () =>
        expectStatementIndexed('members by role', (db, adapter) => byRole(db, adapter, 'userId'), true));
      it('members holding a role, a later page', () => expectStatementIndexed('members by role, after', (db, adapter) => byRole(db, adapter, 'userId', { userId: 'ffff' }), true));
      // Sorted otherwise, every holder is read and sorted. PostgreSQL rightly reads the tenant's
      // members in one pass instead when the holders are many (400 here: one lookup each costs
      // more by its measure), so only SQLite's plan is held to the index.
      if (engine.name === 'sqlite') {
        it('members holding a role, sorted by userName', () => expectStatementIndexed('members by role by userName', (db, adapter) => byRole(db, adapter, 'userName', { userId: 'ffff', value: 'user5' })));
      }
      it('the hand-made member a SCIM create links, by userName', () =>
        expectStatementIndexed('member by userName', (db) => memberLookup(db, tenantId, 'user_name_key', 'user7', true).compile()));
      it('a member by email (sign-in)', () => expectStatementIndexed('member by email', (db) => memberLookup(db, tenantId, 'email_key', 'user7@example.com', false).compile()));
    }

    // SQLite has no statistics until something runs ANALYZE, and Roster does not rely on it:
    // its plans must be right without them. PostgreSQL always has them (autovacuum analyzes
    // new tables), and plans a never-analysed table on guesses, so it is checked with them only.
    if (engine.name === 'sqlite') describe('without statistics', checks);

    describe('with statistics', () => {
      before(async () => {
        let connection: Kysely<Database> | undefined;
        observeListQueries((_query, db) => {
          connection = db;
          return Promise.resolve();
        });
        await users(query(undefined, { limit: 1 }));
        observeListQueries(undefined);
        if (connection === undefined) throw new Error('no list statement ran');
        await sql`analyze`.execute(connection);
      });
      checks();
    });

    it('detects a scan (the test can fail)', async () => {
      const plans = await plansOf(() => users(query(parseValid('title co "x"'), { limit: 0 })));
      assert.ok(plans.some((plan) => plan.fullScans.length > 0), plans.map((plan) => plan.lines.join('\n')).join('\n\n'));
    });
  });
}
