// The IdP lookup `GET /Users?filter=userName eq "…"` reads its user, groups and manager in one
// statement (UserService.list); the answer must be the general list's, whatever the case.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, USER_SCHEMA, startServer, userBody, type Json, type TestServer } from '../support/scim-client.js';

/**
 * Counts the statements the drivers run that read users (SQLite: a prepared statement's
 * `all`; PostgreSQL: a client's `query`), while `work` runs. Token and tenant reads, log and
 * rate-counter writes do not name those tables and are not counted.
 */
async function userReadsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const note = (text: unknown): void => {
    if (typeof text === 'string' && /^\s*(select|with)\b/i.test(text) && /\b(users|group_members)\b/.test(text)) seen.push(text);
  };
  const probe = new BetterSqlite3(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('select 1')) as { all: (this: { source: string }, ...args: unknown[]) => unknown };
  probe.close();
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const all = statement.all;
  const query = client.query;
  statement.all = function (this: { source: string }, ...args: unknown[]) {
    note(this.source);
    return all.apply(this, args);
  };
  client.query = function (this: unknown, ...args: unknown[]) {
    const [first] = args;
    note(typeof first === 'object' && first !== null && 'text' in first ? first.text : first);
    return query.apply(this, args);
  };
  try {
    await work();
  } finally {
    statement.all = all;
    client.query = query;
  }
  return seen;
}

const filterOf = (text: string): string => `filter=${encodeURIComponent(text)}`;

for (const engine of testEngines()) {
  describe(`the userName lookup on ${engine.name}`, () => {
    let server: TestServer;
    const ids: Record<string, string> = {};

    const create = async (userName: string, extra: Json = {}): Promise<string> => {
      const response = await server.request('POST', '/Users', userBody(userName, extra));
      assert.equal(response.status, 201, response.text);
      ids[userName] = String(response.body.id);
      return String(response.body.id);
    };

    before(async () => {
      server = await startServer(engine);
      const boss = await create('boss@example.com', { displayName: 'The Boss' });
      const quiet = await create('quiet@example.com');
      const gone = await create('gone@example.com', { displayName: 'Gone' });
      const withManager = (id: string): Json => ({ schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { department: 'R&D', manager: { value: id } } });
      await create('Alice@Example.com', { ...withManager(boss), title: 'Engineer' });
      await create('carol@example.com', withManager(quiet));
      await create('dave@example.com', withManager(gone));
      await create('erin@example.com', withManager('no-such-user'));
      await create('ÉMILE@example.com');
      await create('archived@example.com');
      for (const [name, members] of [['zeta', ['Alice@Example.com', 'carol@example.com']], ['Beta', ['Alice@Example.com']], ['alpha', ['Alice@Example.com']]] as const) {
        const group = await server.request('POST', '/Groups', { displayName: name, members: members.map((userName) => ({ value: ids[userName] })) });
        assert.equal(group.status, 201, group.text);
      }
      assert.equal((await server.request('DELETE', `/Users/${gone}`)).status, 204);
      assert.equal((await server.request('DELETE', `/Users/${ids['archived@example.com'] ?? ''}`)).status, 204);
    });
    after(() => server.close());

    const lookups = [
      'userName eq "Alice@Example.com"',
      'userName eq "ALICE@EXAMPLE.COM"',
      'UserName eq "alice@example.com"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alice@example.com"',
      'userName eq "boss@example.com"',
      'userName eq "carol@example.com"',
      'userName eq "dave@example.com"',
      'userName eq "erin@example.com"',
      'userName eq "émile@example.com"',
      'userName eq "archived@example.com"',
      'userName eq "gone@example.com"',
      'userName eq "nobody@example.com"',
    ];
    const queries = [
      '',
      '&attributes=userName',
      '&attributes=groups,displayName',
      `&attributes=${ENTERPRISE}:manager`,
      '&excludedAttributes=groups,emails',
      `&excludedAttributes=${ENTERPRISE}`,
      '&count=0',
      '&count=1',
      '&startIndex=2',
      '&startIndex=1&count=5',
      '&startIndex=3&count=0',
    ];

    it('answers every lookup exactly as the general list does (which `and userName pr` forces)', async () => {
      for (const lookup of lookups) {
        for (const rest of queries) {
          const fast = await server.request('GET', `/Users?${filterOf(lookup)}${rest}`);
          const general = await server.request('GET', `/Users?${filterOf(`${lookup} and userName pr`)}${rest}`);
          assert.equal(fast.status, 200, fast.text);
          assert.deepEqual(fast.body, general.body, `${lookup}${rest}`);
          // Sorting is another way the general list runs.
          const sorted = await server.request('GET', `/Users?${filterOf(lookup)}${rest}&sortBy=userName`);
          assert.deepEqual(fast.body, sorted.body, `${lookup}${rest}&sortBy=userName`);
        }
      }
    });

    it('answers the same through /Users/.search and the root /.search, at any page', async () => {
      const search = (path: string, filter: string, paging: Json): Promise<Json> =>
        server.request('POST', path, { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter, ...paging }).then((response) => {
          assert.equal(response.status, 200, response.text);
          return response.body;
        });
      for (const lookup of ['userName eq "ALICE@example.com"', 'userName eq "archived@example.com"', 'userName eq "nobody@example.com"']) {
        for (const paging of [{}, { startIndex: 2 }, { count: 0 }, { count: 1 }, { startIndex: 1, count: 5, attributes: ['userName'] }]) {
          for (const path of ['/Users/.search', '/.search']) {
            assert.deepEqual(await search(path, lookup, paging), await search(path, `${lookup} and userName pr`, paging), `${path} ${lookup} ${JSON.stringify(paging)}`);
          }
        }
      }
    });

    it('shows the user, its groups in order and its manager', async () => {
      const response = await server.request('GET', `/Users?${filterOf('userName eq "alice@EXAMPLE.com"')}`);
      assert.equal(response.body.totalResults, 1);
      const [user] = response.body.Resources as Json[];
      assert.equal(user?.userName, 'Alice@Example.com');
      assert.deepEqual(
        (user?.groups as Json[]).map((group) => group.display),
        ['alpha', 'Beta', 'zeta'],
      );
      assert.deepEqual((user?.[ENTERPRISE] as Json).manager, { value: ids['boss@example.com'], displayName: 'The Boss', $ref: `https://roster.test${server.base}/Users/${ids['boss@example.com'] ?? ''}` });
      const archivedManager = await server.request('GET', `/Users?${filterOf('userName eq "dave@example.com"')}`);
      const [dave] = archivedManager.body.Resources as Json[];
      assert.equal(((dave?.[ENTERPRISE] as Json).manager as Json).displayName, undefined, 'an archived manager has no display');
      const none = await server.request('GET', `/Users?${filterOf('userName eq "archived@example.com"')}`);
      assert.equal(none.body.totalResults, 0);
      assert.deepEqual(none.body.Resources, []);
    });

    it('runs one statement for the lookup and for GET by id, where the general list runs three', async () => {
      const path = `/Users?${filterOf('userName eq "Alice@Example.com"')}`;
      await server.request('GET', path);
      assert.equal((await userReadsDuring(() => server.request('GET', path))).length, 1);
      assert.equal((await userReadsDuring(() => server.request('GET', `/Users/${ids['Alice@Example.com'] ?? ''}`))).length, 1);
      const general = await userReadsDuring(() => server.request('GET', `/Users?${filterOf('userName eq "Alice@Example.com" and userName pr')}`));
      assert.equal(general.length, 3, general.join('\n'));
    });
  });
}
