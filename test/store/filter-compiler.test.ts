import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { groupResourceType } from '../../src/schema/registry.js';
import { InvalidFilterError } from '../../src/scim/errors.js';
import type { FilterNode } from '../../src/scim/filter/ast.js';
import type { JsonObject } from '../../src/scim/json.js';
import type { GroupRecord, UserRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { testEngines } from '../support/engines.js';
import {
  TEST_EXTENSION,
  addMemberships,
  createTenant,
  expectedIds,
  groupRecord,
  parseValid,
  query,
  renderGroups,
  renderUsers,
  userRecord,
} from './fixtures.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A small tenant whose users and groups exercise every operator, type and form. */
async function seed(store: Store, tenantId: string): Promise<{ users: Record<string, UserRecord>; groups: Record<string, GroupRecord> }> {
  const jsmith = userRecord(
    tenantId,
    {
      userName: 'JSmith',
      externalId: 'EXT-2',
      active: false,
      name: { givenName: 'John', familyName: 'Smith' },
      title: '50%_off \\ deals',
      emails: [{ value: 'John.Smith@Example.com', type: 'work' }],
      [TEST_EXTENSION]: { level: 10, score: -1.25, hiredAt: '2011-05-13T06:42:34.000+02:00', tags: [], badge: 'gold' },
    },
    { version: 2 },
  );
  const bjensen = userRecord(
    tenantId,
    {
      userName: 'bjensen',
      externalId: 'ext-1',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      displayName: 'Babs Jensen',
      title: 'Tour Guide',
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: jsmith.id } },
      [TEST_EXTENSION]: { level: 3, score: 4.5, hiredAt: '2011-05-13T04:42:34Z', tags: ['alpha', 'Beta'], badge: 'Gold', remote: true },
    },
    { created: '2024-03-01T10:00:00.000Z', lastModified: '2024-03-02T10:00:00.000Z' },
  );
  const nobody = userRecord(tenantId, { userName: 'nobody', title: '', [TEST_EXTENSION]: { hiredAt: '2021-02-30T00:00:00Z' } });
  const emile = userRecord(tenantId, {
    userName: 'Émile',
    displayName: 'Straße',
    emails: [
      { value: 'x_y%z@corp.test', type: 'other' },
      { value: '', type: 'work' },
    ],
    [TEST_EXTENSION]: {
      level: 0,
      tags: ['gamma'],
      devices: [
        { value: 'mac', type: 'laptop', primary: true },
        { value: 'pixel', type: 'phone' },
      ],
    },
  });
  const ghost = userRecord(tenantId, { userName: 'ghost', emails: [{ value: 'ghost@example.com' }] }, { deletedAt: '2024-06-01T00:00:00.000Z' });
  for (const user of [jsmith, bjensen, nobody, emile, ghost]) await store.read.users.insert(user);

  const admins = groupRecord(tenantId, 'Admins', { externalId: 'g-1' });
  const guides = groupRecord(tenantId, 'Tour Guides');
  const empty = groupRecord(tenantId, 'Empty');
  const ops = groupRecord(tenantId, 'Ops');
  for (const group of [admins, guides, empty, ops]) await store.read.groups.insert(group);
  await addMemberships(store, tenantId, admins, [
    { id: bjensen.id, type: 'User' },
    { id: jsmith.id, type: 'User' },
    { id: ops.id, type: 'Group' },
  ]);
  await addMemberships(store, tenantId, guides, [{ id: bjensen.id, type: 'User' }]);
  return { users: { jsmith, bjensen, nobody, emile, ghost }, groups: { admins, guides, empty, ops } };
}

for (const engine of testEngines()) {
  describe(`filter compiler (${engine.name})`, () => {
    let store: Store;
    let tenantId: string;
    let users: Record<string, UserRecord>;
    let groups: Record<string, GroupRecord>;
    let renderedUsers: Map<string, JsonObject>;
    let renderedGroups: Map<string, JsonObject>;

    before(async () => {
      store = await engine.open();
      tenantId = await createTenant(store);
      // Another tenant's look-alike data must never show.
      const other = await createTenant(store);
      await seed(store, other);
      ({ users, groups } = await seed(store, tenantId));
      const live = Object.values(users).filter((user) => user.deletedAt === null);
      renderedUsers = await renderUsers(store, tenantId, live);
      renderedGroups = await renderGroups(store, tenantId, Object.values(groups));
    });
    after(() => store.close());

    const userNames = (ids: readonly string[]): string[] =>
      ids.map((id) => Object.values(users).find((user) => user.id === id)?.userName ?? id).sort();
    const groupNames = (ids: readonly string[]): string[] =>
      ids.map((id) => Object.values(groups).find((group) => group.id === id)?.displayName ?? id).sort();

    /** SQL and the reference evaluator both select exactly `expected`. */
    async function expectUsers(text: string, expected: readonly string[]): Promise<void> {
      const filter = parseValid(text);
      const result = await store.read.users.list(tenantId, query(filter));
      assert.deepEqual(userNames(result.rows.map((row) => row.id)), [...expected].sort(), `SQL: ${text}`);
      assert.equal(result.total, expected.length, `total: ${text}`);
      assert.deepEqual(userNames(expectedIds(filter, renderedUsers)), [...expected].sort(), `evaluator: ${text}`);
    }

    async function expectGroups(text: string, expected: readonly string[]): Promise<void> {
      const filter = parseValid(text, groupResourceType);
      const result = await store.read.groups.list(tenantId, query(filter));
      assert.deepEqual(groupNames(result.rows.map((row) => row.id)), [...expected].sort(), `SQL: ${text}`);
      assert.deepEqual(groupNames(expectedIds(filter, renderedGroups, groupResourceType)), [...expected].sort(), `evaluator: ${text}`);
    }

    const ALL = ['bjensen', 'JSmith', 'nobody', 'Émile'];

    it('compares userName case-insensitively with every operator', async () => {
      await expectUsers('userName eq "BJENSEN"', ['bjensen']);
      await expectUsers('userName eq "jsmith"', ['JSmith']);
      await expectUsers('userName eq "émile"', ['Émile']);
      await expectUsers('userName ne "bjensen"', ['JSmith', 'nobody', 'Émile']);
      await expectUsers('userName co "SMI"', ['JSmith']);
      await expectUsers('userName sw "b"', ['bjensen']);
      await expectUsers('userName ew "EN"', ['bjensen']);
      await expectUsers('userName gt "j"', ['JSmith', 'nobody', 'Émile']);
      await expectUsers('userName ge "jsmith"', ['JSmith', 'nobody', 'Émile']);
      await expectUsers('userName lt "c"', ['bjensen']);
      await expectUsers('userName le "bjensen"', ['bjensen']);
      await expectUsers('userName pr', ALL);
    });

    it('takes % _ and \\ in values literally', async () => {
      await expectUsers('title co "%"', ['JSmith']);
      await expectUsers('title co "_"', ['JSmith']);
      await expectUsers('title sw "50%_"', ['JSmith']);
      await expectUsers('title ew "deals"', ['JSmith']);
      await expectUsers('title co "\\\\"', ['JSmith']);
      await expectUsers('title co "0_o"', []);
      await expectUsers('emails co "%z"', ['Émile']);
      await expectUsers('emails.value sw "x_"', ['Émile']);
      await expectUsers('emails.value sw "x%"', []);
    });

    it('treats "" as no value, and null as absence', async () => {
      await expectUsers('title eq ""', []);
      await expectUsers('title pr', ['bjensen', 'JSmith']);
      await expectUsers('title eq null', ['nobody', 'Émile']);
      await expectUsers('title ne null', ['bjensen', 'JSmith']);
      await expectUsers('title co ""', ['bjensen', 'JSmith']);
      await expectUsers('title lt "u"', ['bjensen', 'JSmith']);
      await expectUsers('title ne "tour guide"', ['JSmith', 'nobody', 'Émile']);
      await expectUsers('emails.value eq ""', []);
      await expectUsers('emails[type eq "work" and value pr]', ['bjensen', 'JSmith']);
    });

    it('compares case-exact attributes exactly', async () => {
      await expectUsers('externalId eq "ext-1"', ['bjensen']);
      await expectUsers('externalId eq "EXT-1"', []);
      await expectUsers('externalId pr', ['bjensen', 'JSmith']);
      await expectUsers(`id eq "${users.bjensen?.id ?? ''}"`, ['bjensen']);
      await expectUsers(`id eq "${users.bjensen?.id.toUpperCase() ?? ''}"`, []);
      await expectUsers('badge eq "gold"', ['JSmith']);
      await expectUsers('badge eq "Gold"', ['bjensen']);
      await expectUsers('displayName eq "STRAßE"', ['Émile']);
      await expectUsers('displayName eq "STRASSE"', []);
    });

    it('compares booleans, integers and decimals by type', async () => {
      await expectUsers('active eq true', ['bjensen', 'nobody', 'Émile']);
      await expectUsers('active eq false', ['JSmith']);
      await expectUsers('active ne true', ['JSmith']);
      await expectUsers('remote eq true', ['bjensen']);
      await expectUsers('remote ne true', ['JSmith', 'nobody', 'Émile']);
      await expectUsers('level gt 2', ['bjensen', 'JSmith']);
      await expectUsers('level eq 0', ['Émile']);
      await expectUsers('level le 3', ['bjensen', 'Émile']);
      await expectUsers('level pr', ['bjensen', 'JSmith', 'Émile']);
      await expectUsers('score lt 0', ['JSmith']);
      await expectUsers('score ge 4.5', ['bjensen']);
      await expectUsers('score ne 4.5', ['JSmith', 'nobody', 'Émile']);
    });

    it('compares dateTimes as instants', async () => {
      await expectUsers('hiredAt eq "2011-05-13T04:42:34.000Z"', ['bjensen', 'JSmith']);
      await expectUsers('hiredAt eq "2011-05-13T04:42:34.0009Z"', ['bjensen', 'JSmith']);
      await expectUsers('hiredAt gt "2011-01-01T00:00:00Z"', ['bjensen', 'JSmith']);
      await expectUsers('hiredAt lt "2030-01-01T00:00:00"', ['bjensen', 'JSmith']);
      await expectUsers('hiredAt pr', ['bjensen', 'JSmith', 'nobody']);
      await expectUsers('meta.created eq "2024-03-01T12:00:00+02:00"', ['bjensen']);
      await expectUsers('meta.created eq "2024-03-01T10:00:00Z"', ['bjensen']);
      await expectUsers('meta.lastModified ge "2024-03-02T10:00:00Z"', ['bjensen']);
      await expectUsers(`meta.created gt "${users.nobody?.created ?? ''}"`, ['bjensen', 'Émile']);
      await expectUsers(`meta.lastModified le "${users.jsmith?.lastModified ?? ''}"`, ['JSmith']);
    });

    it('matches multi-valued attributes when any value matches', async () => {
      await expectUsers('emails co "example.com"', ['bjensen', 'JSmith']);
      await expectUsers('emails.value eq "JOHN.SMITH@example.com"', ['JSmith']);
      await expectUsers('emails.value eq "babs@jensen.org"', ['bjensen']);
      await expectUsers('emails.type eq "home" and emails.value co "example"', ['bjensen']);
      await expectUsers('emails pr', ['bjensen', 'JSmith', 'Émile']);
      await expectUsers('emails.primary eq true', ['bjensen']);
      await expectUsers('emails.value ne "bjensen@example.com"', ['JSmith', 'nobody', 'Émile']);
      await expectUsers('tags eq "beta"', ['bjensen']);
      await expectUsers('tags co "a"', ['bjensen', 'Émile']);
      await expectUsers('tags pr', ['bjensen', 'Émile']);
      await expectUsers('devices.value sw "PIX"', ['Émile']);
    });

    it('needs one element to satisfy a value path', async () => {
      await expectUsers('emails[type eq "work" and value co "example"]', ['bjensen', 'JSmith']);
      await expectUsers('emails[type eq "home" and value co "example"]', []);
      await expectUsers('emails[type eq "work"].value eq "bjensen@example.com"', ['bjensen']);
      await expectUsers('emails[type eq "work" and value eq "BJENSEN@example.com"]', ['bjensen']);
      await expectUsers('emails[not (type eq "work")]', ['bjensen', 'Émile']);
      await expectUsers('emails[value pr]', ['bjensen', 'JSmith', 'Émile']);
      await expectUsers('emails[type eq "work" or primary eq true]', ['bjensen', 'JSmith', 'Émile']);
      await expectUsers('devices[type eq "laptop" and primary eq true]', ['Émile']);
      await expectUsers('not (emails[type eq "work"])', ['nobody']);
    });

    it('reads URN-qualified, extension and manager attributes', async () => {
      await expectUsers(`${ENTERPRISE}:employeeNumber eq "701984"`, ['bjensen']);
      await expectUsers('employeeNumber pr', ['bjensen']);
      await expectUsers(`${ENTERPRISE}:manager.value eq "${users.jsmith?.id ?? ''}"`, ['bjensen']);
      await expectUsers(`manager eq "${users.jsmith?.id ?? ''}"`, ['bjensen']);
      await expectUsers('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', ['JSmith']);
      await expectUsers(`${TEST_EXTENSION}:level eq 10`, ['JSmith']);
    });

    it('filters on schemas and meta', async () => {
      await expectUsers(`schemas eq "${ENTERPRISE}"`, ['bjensen']);
      await expectUsers('schemas eq "urn:ietf:params:scim:schemas:core:2.0:user"', ALL);
      await expectUsers(`schemas eq "${TEST_EXTENSION}"`, ALL);
      await expectUsers(`not (schemas eq "${ENTERPRISE}")`, ['JSmith', 'nobody', 'Émile']);
      await expectUsers('meta.resourceType eq "User"', ALL);
      await expectUsers('meta.resourceType eq "user"', []);
      await expectUsers('meta.version eq "W/\\"2\\""', ['JSmith']);
      await expectUsers('meta.version sw "W/"', ALL);
      await expectUsers('meta.location pr', ALL);
      await expectUsers('meta pr', ALL);
    });

    it('filters users by their groups', async () => {
      const admins = groups.admins?.id ?? '';
      await expectUsers(`groups.value eq "${admins}"`, ['bjensen', 'JSmith']);
      await expectUsers(`groups.value eq "${admins.toUpperCase()}"`, ['bjensen', 'JSmith']);
      await expectUsers(`groups eq "${groups.guides?.id ?? ''}"`, ['bjensen']);
      await expectUsers('groups.display eq "tour guides"', ['bjensen']);
      await expectUsers('groups[display sw "Adm"]', ['bjensen', 'JSmith']);
      await expectUsers(`groups[value eq "${admins}" and display eq "Admins"]`, ['bjensen', 'JSmith']);
      await expectUsers('groups pr', ['bjensen', 'JSmith']);
      await expectUsers('groups.type eq "direct"', ['bjensen', 'JSmith']);
      await expectUsers('not (groups pr)', ['nobody', 'Émile']);
      await expectUsers('groups.display ne "admins"', ['nobody', 'Émile']);
    });

    it('follows not/and/or precedence and grouping', async () => {
      await expectUsers('userName eq "bjensen" or userName eq "jsmith" and active eq true', ['bjensen']);
      await expectUsers('(userName eq "bjensen" or userName eq "jsmith") and active eq false', ['JSmith']);
      await expectUsers('not (active eq true) or title pr', ['bjensen', 'JSmith']);
      await expectUsers('not (emails co "example")', ['nobody', 'Émile']);
      await expectUsers('not (not (level gt 2))', ['bjensen', 'JSmith']);
      await expectUsers('title pr and not (title co "%") or level eq 0', ['bjensen', 'Émile']);
    });

    it('filters groups by members, display names and externalId', async () => {
      const bjensen = users.bjensen?.id ?? '';
      await expectGroups('displayName eq "admins"', ['Admins']);
      await expectGroups('displayName sw "T"', ['Tour Guides']);
      await expectGroups('externalId eq "g-1"', ['Admins']);
      await expectGroups(`members.value eq "${bjensen}"`, ['Admins', 'Tour Guides']);
      await expectGroups(`members eq "${users.jsmith?.id ?? ''}"`, ['Admins']);
      await expectGroups('members[type eq "Group"]', ['Admins']);
      await expectGroups('members.type eq "user"', ['Admins', 'Tour Guides']);
      await expectGroups('members.display eq "babs jensen"', ['Admins', 'Tour Guides']);
      await expectGroups('members.display eq "JSMITH"', ['Admins']);
      await expectGroups('members.display eq "ops"', ['Admins']);
      await expectGroups('members pr', ['Admins', 'Tour Guides']);
      await expectGroups('not (members pr)', ['Empty', 'Ops']);
      await expectGroups(`members[value eq "${bjensen}" and type eq "User"] and displayName ne "admins"`, ['Tour Guides']);
      await expectGroups('meta.resourceType eq "Group"', ['Admins', 'Tour Guides', 'Empty', 'Ops']);
    });

    it('hides archived users unless asked, and never shows another tenant', async () => {
      const filter = parseValid('emails.value eq "ghost@example.com"');
      assert.equal((await store.read.users.list(tenantId, query(filter))).total, 0);
      const withDeleted = await store.read.users.list(tenantId, query(filter, { includeDeleted: true }));
      assert.deepEqual(withDeleted.rows.map((row) => row.id), [users.ghost?.id]);
      const all = await store.read.users.list(tenantId, query(undefined));
      assert.equal(all.total, 4);
    });

    it('keeps the email index in step with updates and removals', async () => {
      const user = userRecord(tenantId, { userName: 'mover', emails: [{ value: 'old@move.test' }] });
      await store.transaction((tx) => tx.users.insert(user));
      const find = async (email: string): Promise<string[]> =>
        (await store.read.users.list(tenantId, query(parseValid(`emails.value eq "${email}"`)))).rows.map((row) => row.id);
      assert.deepEqual(await find('OLD@move.test'), [user.id]);
      await store.read.users.update({ ...user, version: 2, data: { ...user.data, emails: [{ value: 'New@Move.test' }, { value: 'new@move.test', type: 'work' }] } });
      assert.deepEqual(await find('old@move.test'), []);
      assert.deepEqual(await find('new@move.test'), [user.id]);
      await store.read.users.remove(tenantId, user.id);
      assert.deepEqual(await find('new@move.test'), []);
    });

    it('refuses comparisons on values that depend on the base URL', async () => {
      await assert.rejects(store.read.users.list(tenantId, query(parseValid('meta.location eq "https://x/Users/1"'))), InvalidFilterError);
      await assert.rejects(store.read.users.list(tenantId, query(parseValid('groups.$ref co "Groups"'))), InvalidFilterError);
      await assert.rejects(store.read.groups.list(tenantId, query(parseValid('members.$ref eq "x"', groupResourceType))), InvalidFilterError);
    });

    it('stays total on filters the validator would refuse', async () => {
      const run = async (filter: FilterNode): Promise<number> => {
        const sql = (await store.read.users.list(tenantId, query(filter))).total;
        assert.equal(sql, expectedIds(filter, renderedUsers).length, JSON.stringify(filter));
        return sql;
      };
      assert.equal(await run({ kind: 'compare', op: 'eq', path: { name: 'nosuch' }, value: 'x' }), 0);
      assert.equal(await run({ kind: 'compare', op: 'ne', path: { name: 'nosuch' }, value: 'x' }), 4);
      assert.equal(await run({ kind: 'compare', op: 'eq', path: { name: 'name' }, value: null }), 2);
      assert.equal(await run({ kind: 'compare', op: 'gt', path: { name: 'active' }, value: true }), 0);
      assert.equal(await run({ kind: 'compare', op: 'eq', path: { name: 'level' }, value: '3' }), 0);
      assert.equal(await run({ kind: 'valuePath', path: { name: 'emails' }, filter: { kind: 'compare', op: 'eq', path: { name: 'nosuch' }, value: null } }), 3);
    });
  });
}
