import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { assertScimError, startServer, userBody, type Json, type TestServer } from '../support/scim-client.js';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const names = (body: Json): string[] => ((body.Resources as Json[] | undefined) ?? []).map((resource) => String(resource.userName ?? resource.displayName));

for (const engine of testEngines()) {
  describe(`sorting, cursor paging and /.search on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
      for (const [userName, title] of [['carol@x.com', 'b'], ['Alice@x.com', 'c'], ['bob@x.com', undefined], ['dave@x.com', 'a']] as const) {
        await server.request('POST', '/Users', userBody(userName, title === undefined ? {} : { title }));
      }
      await server.request('POST', '/Groups', { displayName: 'Admins' });
    });
    after(() => server.close());

    it('sorts by userName case-insensitively, ascending by default', async () => {
      const response = await server.request('GET', '/Users?sortBy=userName');
      assert.deepEqual(names(response.body), ['Alice@x.com', 'bob@x.com', 'carol@x.com', 'dave@x.com']);
      const descending = await server.request('GET', '/Users?sortBy=userName&sortOrder=descending');
      assert.deepEqual(names(descending.body), ['dave@x.com', 'carol@x.com', 'bob@x.com', 'Alice@x.com']);
    });

    it('puts resources without the sort value last ascending and first descending', async () => {
      const ascending = await server.request('GET', '/Users?sortBy=title');
      assert.deepEqual(names(ascending.body), ['dave@x.com', 'carol@x.com', 'Alice@x.com', 'bob@x.com']);
      const descending = await server.request('GET', '/Users?sortBy=title&sortOrder=descending');
      assert.deepEqual(names(descending.body), ['bob@x.com', 'Alice@x.com', 'carol@x.com', 'dave@x.com']);
    });

    it('returns 400 invalidValue for an unknown sort attribute or order', async () => {
      assertScimError(await server.request('GET', '/Users?sortBy=favouriteColour'), 400, 'invalidValue');
      assertScimError(await server.request('GET', '/Users?sortBy=userName&sortOrder=sideways'), 400, 'invalidValue');
    });

    it('pages with cursors forwards and backwards, with nextCursor absent on the last page', async () => {
      const first = await server.request('GET', '/Users?sortBy=userName&count=3&cursor=');
      assert.deepEqual(names(first.body), ['Alice@x.com', 'bob@x.com', 'carol@x.com']);
      assert.equal(first.body.totalResults, 4);
      assert.equal(first.body.startIndex, undefined);
      assert.equal(first.body.previousCursor, undefined, 'no previousCursor on the first page');
      const nextCursor = String(first.body.nextCursor);
      assert.match(nextCursor, /^[A-Za-z0-9._~-]+$/, 'cursors use unreserved characters only');
      const second = await server.request('GET', `/Users?sortBy=userName&count=3&cursor=${nextCursor}`);
      assert.deepEqual(names(second.body), ['dave@x.com']);
      assert.equal(second.body.nextCursor, undefined);
      const back = await server.request('GET', `/Users?sortBy=userName&count=3&cursor=${String(second.body.previousCursor)}`);
      assert.deepEqual(names(back.body), ['Alice@x.com', 'bob@x.com', 'carol@x.com']);
    });

    it('keeps cursor pages stable while users are added', async () => {
      const first = await server.request('GET', '/Users?sortBy=userName&count=2&cursor=');
      await server.request('POST', '/Users', userBody('aaron@x.com'));
      const second = await server.request('GET', `/Users?sortBy=userName&count=2&cursor=${String(first.body.nextCursor)}`);
      assert.deepEqual(names(second.body), ['carol@x.com', 'dave@x.com']);
      await server.request('DELETE', `/Users/${String(((await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "aaron@x.com"')}`)).body.Resources as Json[])[0]?.id)}`);
    });

    it('returns 400 invalidCursor and invalidCount for bad cursor requests', async () => {
      assertScimError(await server.request('GET', '/Users?cursor=n.%21%21'), 400, 'invalidCursor');
      assertScimError(await server.request('GET', '/Users?cursor=garbage'), 400, 'invalidCursor');
      assertScimError(await server.request('GET', '/Users?cursor=n.AAAA'), 400, 'invalidCursor');
      assertScimError(await server.request('GET', '/Users?cursor=&count=100000'), 400, 'invalidCount');
    });

    it('refuses cursors of the earlier n./p. form exactly like any cursor it did not issue', async () => {
      // Cursors once carried their direction twice: an `n.`/`p.` prefix on the store's cursor.
      const first = await server.request('GET', '/Users?sortBy=userName&count=2&cursor=');
      const next = String(first.body.nextCursor);
      const second = await server.request('GET', `/Users?sortBy=userName&count=2&cursor=${next}`);
      const previous = String(second.body.previousCursor);
      for (const cursor of [next, previous]) assert.match(cursor, /^[A-Za-z0-9_-]+$/, 'the store\'s cursor as it is, with no direction prefix');
      const garbage = await server.request('GET', '/Users?sortBy=userName&count=2&cursor=garbage');
      assertScimError(garbage, 400, 'invalidCursor');
      for (const old of [`n.${next}`, `p.${previous}`]) {
        const response = await server.request('GET', `/Users?sortBy=userName&count=2&cursor=${old}`);
        assert.deepEqual([response.status, response.body], [garbage.status, garbage.body], old);
      }
    });

    it('answers POST /Users/.search exactly like the GET query', async () => {
      const get = await server.request('GET', `/Users?filter=${encodeURIComponent('userName sw "b"')}&attributes=userName`);
      const search = await server.request('POST', '/Users/.search', { schemas: [SEARCH], filter: 'userName sw "b"', attributes: ['userName'] });
      assert.equal(search.status, 200);
      assert.deepEqual(search.body, get.body);
    });

    it('searches users and groups together at the root', async () => {
      const response = await server.request('POST', '/.search', { schemas: [SEARCH], filter: 'meta.resourceType eq "Group" or userName eq "bob@x.com"' });
      assert.equal(response.status, 200);
      assert.deepEqual(names(response.body).sort(), ['Admins', 'bob@x.com']);
      const byName = await server.request('POST', '/.search', { schemas: [SEARCH], filter: 'displayName eq "Admins"', count: 5 });
      assert.deepEqual(names(byName.body), ['Admins']);
    });

    it('returns 400 for a search body without the SearchRequest schema or with a bad filter', async () => {
      assertScimError(await server.request('POST', '/Users/.search', { filter: 'userName pr' }), 400, 'invalidSyntax');
      assertScimError(await server.request('POST', '/Users/.search', { schemas: [SEARCH], filter: 'userName eq' }), 400, 'invalidFilter');
      assertScimError(await server.request('POST', '/.search', { schemas: [SEARCH], filter: 'userName eq' }), 400, 'invalidFilter');
      assertScimError(await server.request('POST', '/.search', { schemas: [SEARCH], sortBy: 'userName' }), 400, 'invalidValue');
    });

    it('advertises sorting and both paging methods in ServiceProviderConfig', async () => {
      const config = await server.request('GET', '/ServiceProviderConfig');
      assert.equal((config.body.sort as Json).supported, true);
      assert.equal((config.body.pagination as Json).cursor, true);
      assert.equal((config.body.pagination as Json).index, true);
    });
  });
}
