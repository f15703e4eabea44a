import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAttributePath } from '../../src/schema/attribute-path.js';
import { parseDateTime } from '../../src/scim/filter/date-time.js';
import { compareCodePoints, foldCase, isPresent } from '../../src/scim/filter/match.js';
import { comparedDefinition, comparisonTarget, resolveFilterPath } from '../../src/scim/filter/resolve.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/scim/json.js';
import type { UserRecord } from '../../src/store/records.js';
import { observeListQueries } from '../../src/store/sql/query/list-runner.js';
import { InvalidCursor, type ListQuery, type SortSpec, type Store } from '../../src/store/store.js';
import { testEngines } from '../support/engines.js';
import { TEST_EXTENSION, addMemberships, createTenant, groupRecord, parseValid, query, renderUsers, testRegistry, testUserType, userRecord } from './fixtures.js';

/**
 * Sorting (RFC 7644 §3.4.2.3) and both paging forms (§3.4.2.4 index, RFC 9865 cursors),
 * checked against an order computed here from the rendered resources.
 */

type Key = string | number | undefined;

/** The reference sort key of a rendered resource: primary (else first) value, folded when case-insensitive, '' as missing. */
function referenceKey(resource: JsonObject, path: string): Key {
  const parsed = parseAttributePath(path);
  const resolved = parsed === undefined ? undefined : resolveFilterPath(testRegistry, testUserType, parsed);
  if (resolved === undefined) return undefined;
  const target = comparisonTarget(resolved);
  const definition = comparedDefinition(target);
  const container = target.container === undefined ? resource : resource[target.container];
  if (!isJsonObject(container)) return undefined;
  const stored = container[target.attribute.name];
  let value: JsonValue | undefined = stored;
  if (Array.isArray(stored)) {
    const sub = target.subAttribute;
    const candidates = stored
      .map((item) => (sub === undefined ? item : isJsonObject(item) ? item[sub.name] : undefined))
      .map((item, index) => ({ item, primary: isJsonObject(stored[index]) && stored[index].primary === true }))
      .filter((entry) => entry.item !== undefined && isPresent(entry.item, definition));
    value = (candidates.find((entry) => entry.primary) ?? candidates[0])?.item;
  } else if (target.subAttribute !== undefined) {
    value = isJsonObject(stored) ? stored[target.subAttribute.name] : undefined;
  }
  if (value === undefined || value === null || value === '') return undefined;
  switch (definition.type) {
    case 'dateTime':
      return typeof value === 'string' ? parseDateTime(value) : undefined;
    case 'boolean':
      return value === true ? 1 : 0;
    case 'integer':
    case 'decimal':
      return typeof value === 'number' ? value : undefined;
    default:
      return typeof value === 'string' ? (definition.caseExact ? value : foldCase(value)) : undefined;
  }
}

function compareKeys(a: Key, b: Key): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareCodePoints(String(a), String(b));
}

/** Ids in the list's order: by key (missing last), created, id; descending is the exact reverse. */
function referenceOrder(users: readonly UserRecord[], rendered: ReadonlyMap<string, JsonObject>, sort: { path: string; descending: boolean } | undefined): string[] {
  const keyed = users.map((user) => ({ user, key: sort === undefined ? undefined : referenceKey(rendered.get(user.id) ?? {}, sort.path) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key) || compareCodePoints(a.user.created, b.user.created) || compareCodePoints(a.user.id, b.user.id));
  const ids = keyed.map((entry) => entry.user.id);
  return sort?.descending === true ? ids.reverse() : ids;
}

function sortSpec(path: string, descending: boolean): SortSpec {
  const parsed = parseAttributePath(path);
  if (parsed === undefined) throw new Error(`bad path ${path}`);
  return { path: parsed, descending };
}

const SORTS: readonly (undefined | { path: string; descending: boolean })[] = [
  undefined,
  { path: 'userName', descending: false },
  { path: 'userName', descending: true },
  { path: 'title', descending: false },
  { path: 'title', descending: true },
  { path: 'externalId', descending: false },
  { path: 'emails', descending: false },
  { path: 'emails.type', descending: true },
  { path: 'name.familyName', descending: false },
  { path: 'active', descending: true },
  { path: 'meta.lastModified', descending: true },
  { path: 'meta.created', descending: false },
  { path: `${TEST_EXTENSION}:level`, descending: true },
  { path: 'score', descending: false },
  { path: 'hiredAt', descending: false },
  { path: 'tags', descending: false },
  { path: 'groups.display', descending: false },
  { path: 'groups.value', descending: true },
];

const FAMILY = ['Smith', 'smith', 'Ångström', 'Zed', 'élan', '', 'jones'];
const TITLES = ['Engineer', 'engineer', 'Manager', '', 'Zebra keeper', 'árbol'];

/** A varied user: ties, case variants, missing and '' values, primary and non-primary emails. */
function userData(index: number): JsonObject {
  const data: JsonObject = { userName: `${index % 3 === 0 ? 'U' : 'u'}ser-${String((index * 7) % 40).padStart(2, '0')}`, active: index % 4 !== 0 };
  if (index % 5 !== 0) data.title = TITLES[index % TITLES.length] ?? '';
  if (index % 3 !== 1) data.externalId = `${index % 2 === 0 ? 'X' : 'x'}-${index % 6}`;
  if (index % 4 !== 3) data.name = { familyName: FAMILY[index % FAMILY.length] ?? '', givenName: `G${index}` };
  if (index % 6 !== 5) {
    const emails = [
      { value: `second${index % 9}@b.test`, type: index % 2 === 0 ? 'home' : 'work' },
      { value: `First${index % 11}@a.test`, type: 'work', ...(index % 3 === 0 ? { primary: true } : {}) },
    ];
    data.emails = index % 2 === 0 ? emails : emails.reverse();
  }
  const extension: JsonObject = {};
  if (index % 7 !== 6) extension.level = index % 5;
  if (index % 3 !== 2) extension.score = (index % 8) / 4 - 1;
  if (index % 4 !== 1) extension.hiredAt = [`2020-01-0${(index % 5) + 1}T10:00:00Z`, `2020-01-0${(index % 5) + 1}T12:00:00+02:00`, '2021-02-30T00:00:00Z'][index % 3] ?? '';
  if (index % 2 === 0) extension.tags = index % 4 === 0 ? ['beta', 'Alpha'] : [];
  if (Object.keys(extension).length > 0) data[TEST_EXTENSION] = extension;
  return data;
}

for (const engine of testEngines()) {
  describe(`sorting and paging (${engine.name})`, () => {
    let store: Store;
    let tenantId: string;
    let users: UserRecord[];
    let rendered: Map<string, JsonObject>;

    before(async () => {
      store = await engine.open();
      tenantId = await createTenant(store);
      users = Array.from({ length: 40 }, (_, index) => {
        const user = userRecord(tenantId, userData(index));
        // Every fifth user modified later, so lastModified differs from created order.
        return index % 5 === 2 ? { ...user, lastModified: `2030-01-01T00:00:0${index % 10}.000Z`, version: 2 } : user;
      });
      // Some users share a creation instant, so created_at ties break by id.
      const tied = users.map((user, index) => (index % 8 === 1 ? { ...user, created: users[index - 1]?.created ?? user.created } : user));
      users = tied;
      await store.transaction(async (tx) => {
        for (const user of users) await tx.users.insert(user);
      });
      const groups = ['beta', 'Alpha', 'gamma'].map((name) => groupRecord(tenantId, name));
      for (const group of groups) await store.read.groups.insert(group);
      for (const [index, user] of users.entries()) {
        const group = groups[index % 4];
        if (group !== undefined) await addMemberships(store, tenantId, group, [{ id: user.id, type: 'User' }]);
        if (index % 6 === 0 && groups[0] !== undefined && group !== groups[0]) await addMemberships(store, tenantId, groups[0], [{ id: user.id, type: 'User' }]);
      }
      rendered = await renderUsers(store, tenantId, users);
    });
    after(() => store.close());

    const listQuery = (sort: (typeof SORTS)[number], extra: Partial<ListQuery>): ListQuery =>
      query(undefined, { ...(sort === undefined ? {} : { sort: sortSpec(sort.path, sort.descending) }), ...extra });

    for (const sort of SORTS) {
      const label = sort === undefined ? 'creation order' : `${sort.path} ${sort.descending ? 'descending' : 'ascending'}`;

      it(`sorts by ${label}`, async () => {
        const result = await store.read.users.list(tenantId, listQuery(sort, {}));
        assert.deepEqual(
          result.rows.map((row) => row.id),
          referenceOrder(users, rendered, sort),
        );
        assert.equal(result.total, users.length);
      });

      it(`pages by index, ${label}`, async () => {
        const expected = referenceOrder(users, rendered, sort);
        for (const size of [1, 7, 40, 100]) {
          const seen: string[] = [];
          for (let offset = 0; offset < users.length; offset += size) {
            const page = await store.read.users.list(tenantId, listQuery(sort, { offset, limit: size }));
            assert.equal(page.total, users.length);
            seen.push(...page.rows.map((row) => row.id));
          }
          assert.deepEqual(seen, expected, `page size ${size}`);
        }
        const beyond = await store.read.users.list(tenantId, listQuery(sort, { offset: 45, limit: 10 }));
        assert.deepEqual([beyond.total, beyond.rows.length], [users.length, 0]);
        const countOnly = await store.read.users.list(tenantId, listQuery(sort, { limit: 0 }));
        assert.deepEqual([countOnly.total, countOnly.rows.length], [users.length, 0]);
      });

      it(`pages by cursor both ways, ${label}`, async () => {
        const expected = referenceOrder(users, rendered, sort);
        const pages: string[][] = [];
        let cursor: string | null = null;
        let previous: string | undefined;
        for (;;) {
          const page = await store.read.users.list(tenantId, listQuery(sort, { limit: 6, cursor: { position: cursor } }));
          assert.equal(page.total, users.length);
          if (cursor === null) assert.equal(page.previousCursor, undefined, 'no previousCursor on the first page');
          else assert.ok(page.previousCursor !== undefined, 'previousCursor after the first page');
          pages.push(page.rows.map((row) => row.id));
          if (page.nextCursor !== undefined) assert.match(page.nextCursor, /^[A-Za-z0-9_-]+$/);
          if (page.nextCursor === undefined) {
            previous = page.previousCursor;
            break;
          }
          cursor = page.nextCursor;
        }
        assert.deepEqual(pages.flat(), expected);
        assert.equal(pages.at(-1)?.length, 4);
        // Back from the last page with previousCursor, as a client does (no flag needed).
        const back: string[][] = [];
        while (previous !== undefined) {
          const page = await store.read.users.list(tenantId, listQuery(sort, { limit: 6, cursor: { position: previous } }));
          back.unshift(page.rows.map((row) => row.id));
          assert.ok(page.nextCursor !== undefined, 'nextCursor on a page reached backwards');
          previous = page.previousCursor;
        }
        assert.deepEqual(back, pages.slice(0, -1));
        // From the end of the list backwards.
        const last = await store.read.users.list(tenantId, listQuery(sort, { limit: 6, cursor: { position: null, fromEnd: true } }));
        assert.deepEqual(last.rows.map((row) => row.id), expected.slice(-6));
        assert.equal(last.nextCursor, undefined);
      });
    }

    it('pages by index past archived users, with and without a filter and includeDeleted', async () => {
      // Deep pages find their ids first on the live-users index (ListRunner.rows): archived
      // users must neither shift the pages nor appear in them, unless asked for.
      const own = await createTenant(store);
      const mixed = Array.from({ length: 30 }, (_, index) =>
        userRecord(own, { userName: `paged${index}`, ...(index % 2 === 0 ? { title: `Engineer ${index}` } : {}) }, index % 4 === 1 ? { deletedAt: '2030-01-01T00:00:00.000Z', active: false } : {}),
      );
      await store.transaction(async (tx) => {
        for (const user of mixed) await tx.users.insert(user);
      });
      const creationOrder = [...mixed].sort((a, b) => compareCodePoints(a.created, b.created) || compareCodePoints(a.id, b.id));
      const cases = [
        { filter: undefined, includeDeleted: false, keep: (user: UserRecord) => user.deletedAt === null },
        { filter: undefined, includeDeleted: true, keep: () => true },
        { filter: parseValid('title co "engineer"'), includeDeleted: false, keep: (user: UserRecord) => user.deletedAt === null && user.data.title !== undefined },
      ];
      for (const { filter, includeDeleted, keep } of cases) {
        const expected = creationOrder.filter(keep).map((user) => user.id);
        const seen: string[] = [];
        for (let offset = 0; offset < expected.length + 3; offset += 4) {
          const page = await store.read.users.list(own, query(filter, { offset, limit: 4, includeDeleted }));
          assert.equal(page.total, expected.length);
          seen.push(...page.rows.map((row) => row.id));
        }
        assert.deepEqual(seen, expected, `filter ${filter === undefined ? 'none' : 'title co'}, includeDeleted ${includeDeleted}`);
      }
    });

    it('pages a filter served by an index lookup, sorted, with cursors', async () => {
      const filter = parseValid('meta.lastModified gt "2029-01-01T00:00:00Z"');
      const sort = { path: 'title', descending: true };
      const expected = referenceOrder(users.filter((user) => user.lastModified > '2029'), rendered, sort);
      assert.ok(expected.length > 4);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.read.users.list(tenantId, { ...listQuery(sort, { limit: 3, cursor: { position: cursor } }), filter });
        assert.equal(page.total, expected.length);
        seen.push(...page.rows.map((row) => row.id));
        cursor = page.nextCursor ?? null;
      } while (cursor !== null);
      assert.deepEqual(seen, expected);
    });

    it('keeps cursor pages stable while rows are inserted and deleted', async () => {
      const sort = sortSpec('userName', false);
      const before = (await store.read.users.list(tenantId, query(undefined, { sort }))).rows.map((row) => row.id);
      const seen: string[] = [];
      const deleted = new Set<string>();
      let cursor: string | null = null;
      let round = 0;
      do {
        const page = await store.read.users.list(tenantId, query(undefined, { sort, limit: 5, cursor: { position: cursor } }));
        seen.push(...page.rows.map((row) => row.id));
        // Between pages: a user that sorts first, one that sorts last, and a deletion ahead.
        round += 1;
        await store.read.users.insert(userRecord(tenantId, { userName: `aaa-${round}` }));
        await store.read.users.insert(userRecord(tenantId, { userName: `zzz-${round}` }));
        const ahead = before.find((id) => !seen.includes(id) && !deleted.has(id));
        if (ahead !== undefined && round % 2 === 0) {
          await store.read.users.remove(tenantId, ahead);
          deleted.add(ahead);
        }
        cursor = page.nextCursor ?? null;
      } while (cursor !== null && round < 40);
      assert.equal(new Set(seen).size, seen.length, 'no row twice');
      for (const id of before) if (!deleted.has(id)) assert.ok(seen.includes(id), 'every row that stayed is seen');
      assert.ok(seen.some((id) => !before.includes(id)), 'rows inserted ahead of the cursor show up');
    });

    it('counts a plain list once, and again after a change', async () => {
      const counts = async (): Promise<{ total: number; counted: boolean }> => {
        let counted = false;
        observeListQueries((compiled) => {
          if (/count\(\*\)/i.test(compiled.sql)) counted = true;
          return Promise.resolve();
        });
        try {
          const { total } = await store.read.users.list(tenantId, query(undefined, { limit: 1 }));
          return { total, counted };
        } finally {
          observeListQueries(undefined);
        }
      };
      const first = await counts();
      assert.deepEqual(await counts(), { total: first.total, counted: false }, 'reused while nothing changed');
      // An event (what every service change appends) moves the tenant's sequence.
      await store.transaction((tx) => tx.events.append(tenantId, [{ type: 'test', resourceType: 'Tenant', resourceId: tenantId, payload: {} }], new Date().toISOString()));
      assert.deepEqual(await counts(), { total: first.total, counted: true });
      // A store write without an event invalidates too.
      const extra = userRecord(tenantId, { userName: 'counted-extra' });
      await store.read.users.insert(extra);
      assert.deepEqual(await counts(), { total: first.total + 1, counted: true });
      await store.read.users.remove(tenantId, extra.id);
      assert.deepEqual(await counts(), { total: first.total, counted: true });
    });

    it('refuses cursors it did not issue for this query', async () => {
      const first = await store.read.users.list(tenantId, query(undefined, { limit: 2, cursor: { position: null }, sort: sortSpec('userName', false) }));
      const next = first.nextCursor ?? '';
      const bad = [
        'not a cursor',
        '!!!',
        Buffer.from('{"s":""}').toString('base64url'),
        Buffer.from('[1,2]').toString('base64url'),
        Buffer.from('nope').toString('base64url'),
        Buffer.from(JSON.stringify({ s: 'username a', k: 5, c: 'x', i: 'y', a: 1, b: 0 })).toString('base64url'),
        'A'.repeat(5000),
      ];
      for (const position of bad) {
        await assert.rejects(store.read.users.list(tenantId, query(undefined, { limit: 2, cursor: { position }, sort: sortSpec('userName', false) })), InvalidCursor, position);
      }
      // A cursor of one sort order is not valid for another.
      await assert.rejects(store.read.users.list(tenantId, query(undefined, { limit: 2, cursor: { position: next }, sort: sortSpec('userName', true) })), InvalidCursor);
      await assert.rejects(store.read.users.list(tenantId, query(undefined, { limit: 2, cursor: { position: next } })), InvalidCursor);
    });
  });
}
