import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, assertScimError, startServer, userBody, type Json, type TestServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`/Users on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('creates a user with 201, Location, ETag and a full SCIM body', async () => {
      const response = await server.request('POST', '/Users', userBody('grace@example.com', { externalId: 'ext-grace' }));
      assert.equal(response.status, 201);
      assert.match(String(response.headers['content-type']), /^application\/scim\+json/);
      const body = response.body;
      assert.equal(typeof body.id, 'string');
      assert.equal(response.headers.location, `https://roster.test${server.base}/Users/${String(body.id)}`);
      assert.equal(response.headers.etag, 'W/"1"');
      assert.deepEqual(body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User']);
      assert.equal(body.userName, 'grace@example.com');
      assert.equal(body.active, true);
      assert.equal(body.externalId, 'ext-grace');
      const meta = body.meta as Json;
      assert.equal(meta.resourceType, 'User');
      assert.equal(meta.location, response.headers.location);
      assert.equal(meta.version, 'W/"1"');
      assert.equal(meta.created, meta.lastModified);
    });

    it('reads a user by id', async () => {
      const created = await server.request('POST', '/Users', userBody('read@example.com'));
      const response = await server.request('GET', `/Users/${String(created.body.id)}`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, created.body);
      assert.equal(response.headers.etag, 'W/"1"');
    });

    it('answers 304 to If-None-Match with the current ETag', async () => {
      const created = await server.request('POST', '/Users', userBody('etag@example.com'));
      const response = await server.request('GET', `/Users/${String(created.body.id)}`, undefined, { 'if-none-match': 'W/"1"' });
      assert.equal(response.status, 304);
      assert.equal(response.text, '');
    });

    it('returns 404 with a SCIM error for an unknown id', async () => {
      assertScimError(await server.request('GET', '/Users/00000000-0000-4000-8000-000000000000'), 404);
    });

    it('ignores readOnly attributes and never returns the password', async () => {
      const response = await server.request(
        'POST',
        '/Users',
        userBody('readonly@example.com', { id: 'client-id', meta: { resourceType: 'Group', created: '2000-01-01T00:00:00Z' }, groups: [{ value: 'x' }], password: 'Secret123!' }),
      );
      assert.equal(response.status, 201);
      assert.notEqual(response.body.id, 'client-id');
      assert.equal((response.body.meta as Json).resourceType, 'User');
      assert.equal(response.body.groups, undefined);
      assert.equal(response.body.password, undefined);
      assert.doesNotMatch(response.text, /Secret123/);
    });

    it('keeps the enterprise extension under its URN and lists it in schemas', async () => {
      const response = await server.request(
        'POST',
        '/Users',
        userBody('ext@example.com', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], [ENTERPRISE]: { employeeNumber: '1042', department: 'R&D', manager: 'boss-id' } }),
      );
      assert.equal(response.status, 201);
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
      assert.deepEqual(response.body[ENTERPRISE], {
        employeeNumber: '1042',
        department: 'R&D',
        manager: { value: 'boss-id', $ref: `https://roster.test${server.base}/Users/boss-id` },
      });
    });

    it('accepts attribute names in any case and "True"/"False" strings for booleans', async () => {
      const response = await server.request('POST', '/Users', { USERNAME: 'case@example.com', Active: 'False', NAME: { GivenName: 'C' } });
      assert.equal(response.status, 201);
      assert.equal(response.body.userName, 'case@example.com');
      assert.equal(response.body.active, false);
      assert.deepEqual(response.body.name, { givenName: 'C' });
    });

    it('ignores unknown attributes and unknown schemas by default', async () => {
      const response = await server.request('POST', '/Users', { schemas: ['urn:scim:schemas:core:2.0'], userName: 'unknown@example.com', favouriteColour: 'blue', title: null });
      assert.equal(response.status, 201);
      assert.equal(response.body.favouriteColour, undefined);
      assert.equal(response.body.title, undefined);
    });

    it('returns 409 uniqueness for a userName that differs only in case', async () => {
      await server.request('POST', '/Users', userBody('dup@example.com'));
      assertScimError(await server.request('POST', '/Users', userBody('DUP@Example.com')), 409, 'uniqueness');
    });

    it('returns 400 invalidValue naming a missing userName', async () => {
      const response = await server.request('POST', '/Users', { name: { givenName: 'No' } });
      assertScimError(response, 400, 'invalidValue');
      assert.match(String(response.body.detail), /userName/);
    });

    it('returns 400 invalidValue for a value of the wrong type', async () => {
      assertScimError(await server.request('POST', '/Users', { userName: 42 }), 400, 'invalidValue');
      assertScimError(await server.request('POST', '/Users', { userName: 'typed@example.com', active: 'maybe' }), 400, 'invalidValue');
      assertScimError(await server.request('POST', '/Users', { userName: 'typed@example.com', emails: 'x' }), 400, 'invalidValue');
      assertScimError(await server.request('POST', '/Users', { userName: 'typed@example.com', name: 'Ada' }), 400, 'invalidValue');
    });

    it('returns 400 invalidSyntax for malformed JSON and for a body that is not an object', async () => {
      assertScimError(await server.request('POST', '/Users', '{"userName": '), 400, 'invalidSyntax');
      assertScimError(await server.request('POST', '/Users', '[1,2]'), 400, 'invalidSyntax');
    });

    it('accepts application/json and a body without Content-Type', async () => {
      const json = await server.request('POST', '/Users', userBody('json@example.com'), { 'content-type': 'application/json; charset=utf-8' });
      assert.equal(json.status, 201);
      assert.match(String(json.headers['content-type']), /^application\/scim\+json/);
      const bare = await server.app.inject({ method: 'POST', url: `${server.base}/Users`, headers: { authorization: `Bearer ${server.token}` }, payload: JSON.stringify(userBody('bare@example.com')) });
      assert.equal(bare.statusCode, 201);
    });

    it('lists users by userName eq, case-insensitively, with %20 or + for spaces', async () => {
      await server.request('POST', '/Users', userBody('find.me@example.com'));
      for (const query of ['filter=userName%20eq%20%22FIND.ME@example.com%22', 'filter=userName+eq+%22find.me@example.com%22&']) {
        const response = await server.request('GET', `/Users?${query}`);
        assert.equal(response.status, 200);
        assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
        assert.equal(response.body.totalResults, 1);
        assert.equal(((response.body.Resources as Json[])[0] as Json).userName, 'find.me@example.com');
      }
    });

    it('lists users by externalId eq and id eq', async () => {
      const created = await server.request('POST', '/Users', userBody('byext@example.com', { externalId: 'EXT-42' }));
      const byExternal = await server.request('GET', `/Users?filter=${encodeURIComponent('externalId eq "EXT-42"')}`);
      assert.equal(byExternal.body.totalResults, 1);
      const caseDiffers = await server.request('GET', `/Users?filter=${encodeURIComponent('externalId eq "ext-42"')}`);
      assert.equal(caseDiffers.body.totalResults, 0, 'externalId is caseExact');
      const byId = await server.request('GET', `/Users?filter=${encodeURIComponent(`id eq "${String(created.body.id)}"`)}`);
      assert.equal(byId.body.totalResults, 1);
    });

    it('answers a filter that matches nothing with 200 and an empty list', async () => {
      const response = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "4f0c1d7e-0b6a-4a5e-9a36-2d0e8c1b7f11"')}`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        itemsPerPage: 0,
        startIndex: 1,
        Resources: [],
      });
    });

    it('returns 400 invalidFilter for a malformed filter', async () => {
      const response = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
      assertScimError(response, 400, 'invalidFilter');
    });

    it('pages with startIndex and count, and count=0 returns only totalResults', async () => {
      const tenant = await server.addTenant('Paging');
      const page = (query: string) =>
        server.request('GET', `/scim/v2/${tenant.tenantId}/Users?${query}`, undefined, { authorization: `Bearer ${tenant.token}` });
      for (let i = 0; i < 5; i += 1) {
        await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody(`p${i}@example.com`), { authorization: `Bearer ${tenant.token}` });
      }
      const first = await page('startIndex=1&count=2');
      assert.equal(first.body.totalResults, 5);
      assert.equal(first.body.itemsPerPage, 2);
      assert.equal(first.body.startIndex, 1);
      const second = await page('startIndex=3&count=2');
      assert.deepEqual((second.body.Resources as Json[]).map((user) => user.userName), ['p2@example.com', 'p3@example.com']);
      const below = await page('startIndex=-4&count=1');
      assert.equal(below.body.startIndex, 1);
      const none = await page('count=0');
      assert.equal(none.body.totalResults, 5);
      assert.deepEqual(none.body.Resources, []);
      assertScimError(await page('count=abc'), 400, 'invalidValue');
    });

    it('replaces a user with PUT, clearing attributes the body omits', async () => {
      const created = await server.request('POST', '/Users', userBody('put@example.com', { title: 'Engineer', externalId: 'put-1' }));
      const id = String(created.body.id);
      const response = await server.request('PUT', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id, userName: 'put.renamed@example.com', name: { givenName: 'P' } });
      assert.equal(response.status, 200);
      assert.equal(response.body.userName, 'put.renamed@example.com');
      assert.equal(response.body.title, undefined);
      assert.equal(response.body.externalId, undefined);
      assert.equal(response.body.active, true, 'a PUT without active keeps the status');
      assert.equal((response.body.meta as Json).version, 'W/"2"');
      assert.equal(response.headers.etag, 'W/"2"');
    });

    it('keeps the version and writes no event when a PUT repeats the same body', async () => {
      const body = userBody('repeat@example.com', { title: 'Same', [ENTERPRISE]: { department: 'R&D', costCenter: 'C1' }, addresses: [{ type: 'work', locality: 'Paris', country: 'FR' }] });
      const created = await server.request('POST', '/Users', body);
      const id = String(created.body.id);
      const first = await server.request('PUT', `/Users/${id}`, body);
      const second = await server.request('PUT', `/Users/${id}`, body);
      assert.equal((first.body.meta as Json).version, 'W/"1"');
      assert.deepEqual(second.body.meta, created.body.meta);
      const events = (await server.store.read.events.list(server.tenantId, 0, 10_000)).filter((event) => event.resourceId === id);
      assert.deepEqual(events.map((event) => event.type), ['user.created', 'member.provisioned']);
    });

    it('answers 412 to a PUT whose If-Match is stale, and applies one that matches', async () => {
      const created = await server.request('POST', '/Users', userBody('ifmatch@example.com'));
      const id = String(created.body.id);
      assertScimError(await server.request('PUT', `/Users/${id}`, userBody('ifmatch@example.com', { title: 'A' }), { 'if-match': 'W/"7"' }), 412);
      const ok = await server.request('PUT', `/Users/${id}`, userBody('ifmatch@example.com', { title: 'A' }), { 'if-match': 'W/"1"' });
      assert.equal(ok.status, 200);
    });

    it('returns 409 uniqueness when a PUT takes another live user\'s userName', async () => {
      await server.request('POST', '/Users', userBody('taken@example.com'));
      const created = await server.request('POST', '/Users', userBody('mover@example.com'));
      assertScimError(await server.request('PUT', `/Users/${String(created.body.id)}`, userBody('Taken@example.com')), 409, 'uniqueness');
    });

    it('returns 404 for PUT and DELETE of an unknown user', async () => {
      assertScimError(await server.request('PUT', '/Users/nope', userBody('x@example.com')), 404);
      assertScimError(await server.request('DELETE', '/Users/nope'), 404);
    });

    it('keeps a user deactivated with active=false readable and listed as inactive', async () => {
      const created = await server.request('POST', '/Users', userBody('inactive@example.com'));
      const id = String(created.body.id);
      const response = await server.request('PUT', `/Users/${id}`, userBody('inactive@example.com', { active: false }));
      assert.equal(response.body.active, false);
      const read = await server.request('GET', `/Users/${id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.active, false);
      const listed = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "inactive@example.com"')}`);
      assert.equal(listed.body.totalResults, 1);
      assertScimError(await server.request('POST', '/Users', userBody('inactive@example.com')), 409, 'uniqueness');
    });

    it('archives a user on DELETE: 204, then 404 and hidden from lists', async () => {
      const created = await server.request('POST', '/Users', userBody('gone@example.com'));
      const id = String(created.body.id);
      const deleted = await server.request('DELETE', `/Users/${id}`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, '');
      assertScimError(await server.request('GET', `/Users/${id}`), 404);
      assertScimError(await server.request('PUT', `/Users/${id}`, userBody('gone@example.com')), 404);
      assertScimError(await server.request('DELETE', `/Users/${id}`), 404);
      const listed = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "gone@example.com"')}`);
      assert.equal(listed.body.totalResults, 0);
      const stored = await server.store.read.users.get(server.tenantId, id);
      assert.equal(stored?.userName, 'gone@example.com', 'the archived user and its data are kept');
      assert.notEqual(stored?.deletedAt, null);
    });

    it('restores an archived user under its old id when the same userName is POSTed again', async () => {
      const created = await server.request('POST', '/Users', userBody('back@example.com', { title: 'Old' }));
      const id = String(created.body.id);
      await server.request('DELETE', `/Users/${id}`);
      const again = await server.request('POST', '/Users', userBody('BACK@example.com', { title: 'New' }));
      assert.equal(again.status, 201);
      assert.equal(again.body.id, id);
      assert.equal(again.body.title, 'New');
      assert.equal(again.body.userName, 'BACK@example.com');
      assert.equal(again.body.active, true);
      assert.equal((await server.request('GET', `/Users/${id}`)).status, 200);
    });

    it('restores an archived user by externalId when the userName changed', async () => {
      const created = await server.request('POST', '/Users', userBody('old.name@example.com', { externalId: 'entra-object-1' }));
      const id = String(created.body.id);
      await server.request('DELETE', `/Users/${id}`);
      const again = await server.request('POST', '/Users', userBody('new.name@example.com', { externalId: 'entra-object-1' }));
      assert.equal(again.status, 201);
      assert.equal(again.body.id, id);
      assert.equal(again.body.userName, 'new.name@example.com');
    });

    it('lets a new user take the userName of an archived one through PUT', async () => {
      const archived = await server.request('POST', '/Users', userBody('freed@example.com'));
      await server.request('DELETE', `/Users/${String(archived.body.id)}`);
      const other = await server.request('POST', '/Users', userBody('other@example.com'));
      const renamed = await server.request('PUT', `/Users/${String(other.body.id)}`, userBody('freed@example.com'));
      assert.equal(renamed.status, 200);
    });

    it('removes a user for good on DELETE when the tenant\'s deletePolicy is hard', async () => {
      const tenant = await server.addTenant('Hard delete');
      await server.store.read.tenants.updateSettings(tenant.tenantId, { deletePolicy: 'hard' });
      const auth = { authorization: `Bearer ${tenant.token}` };
      const created = await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody('hard@example.com'), auth);
      const id = String(created.body.id);
      assert.equal((await server.request('DELETE', `/scim/v2/${tenant.tenantId}/Users/${id}`, undefined, auth)).status, 204);
      assert.equal(await server.store.read.users.get(tenant.tenantId, id), undefined);
    });

    it('writes an event in the same transaction as each change', async () => {
      const tenant = await server.addTenant('Events');
      const auth = { authorization: `Bearer ${tenant.token}` };
      const created = await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody('events@example.com'), auth);
      const id = String(created.body.id);
      await server.request('PUT', `/scim/v2/${tenant.tenantId}/Users/${id}`, userBody('events@example.com', { active: false }), auth);
      await server.request('DELETE', `/scim/v2/${tenant.tenantId}/Users/${id}`, undefined, auth);
      const events = await server.store.read.events.list(tenant.tenantId, 0, 100);
      assert.deepEqual(
        events.map((event) => event.type),
        // The member is archived with its user (and stays so when the user is deleted).
        ['tenant.created', 'token.created', 'user.created', 'member.provisioned', 'user.archived', 'member.status_changed', 'user.deleted'],
      );
      assert.deepEqual(events.map((event) => event.seq), [1, 2, 3, 4, 5, 6, 7]);
    });

    it('leaves nothing behind when a write fails', async () => {
      const tenant = await server.addTenant('Atomic');
      const auth = { authorization: `Bearer ${tenant.token}` };
      await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody('atomic@example.com'), auth);
      const before = await server.store.read.events.list(tenant.tenantId, 0, 100);
      assertScimError(await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody('ATOMIC@example.com'), auth), 409, 'uniqueness');
      assert.deepEqual(await server.store.read.events.list(tenant.tenantId, 0, 100), before);
    });

    it('rejects unknown attributes with 400 invalidValue when the tenant is strict', async () => {
      const tenant = await server.addTenant('Strict');
      await server.store.read.tenants.updateSettings(tenant.tenantId, { strictAttributes: true });
      const response = await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, { userName: 'strict@example.com', favouriteColour: 'blue' }, { authorization: `Bearer ${tenant.token}` });
      assertScimError(response, 400, 'invalidValue');
      assert.match(String(response.body.detail), /favouriteColour/);
    });

    it('keeps the email index right across updates that keep, change and restore the emails', async () => {
      const found = async (email: string) => {
        const response = await server.request('GET', `/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`);
        return (response.body.Resources as Json[]).map((user) => user.userName);
      };
      const id = String((await server.request('POST', '/Users', userBody('index@example.com', { externalId: 'ext-index' }))).body.id);
      const patch = (Operations: Json[]) => server.request('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations });
      assert.equal((await patch([{ op: 'replace', path: 'title', value: 'Indexer' }])).status, 200);
      assert.deepEqual(await found('INDEX@example.com'), ['index@example.com'], 'an update that keeps the emails keeps their index rows');
      assert.equal((await patch([{ op: 'replace', path: 'emails', value: [{ value: 'moved@example.com', type: 'work' }] }])).status, 200);
      assert.deepEqual(await found('index@example.com'), []);
      assert.deepEqual(await found('moved@example.com'), ['index@example.com']);
      assert.equal((await server.request('DELETE', `/Users/${id}`)).status, 204);
      assert.deepEqual(await found('moved@example.com'), []);
      const restored = await server.request('POST', '/Users', userBody('index@example.com', { externalId: 'ext-index', emails: [{ value: 'moved@example.com', type: 'work' }] }));
      assert.equal(restored.body.id, id, 'restored under its old id');
      assert.deepEqual(await found('moved@example.com'), ['index@example.com'], 'a restore that keeps the emails finds them indexed');
    });

    it('answers 405 with a SCIM error for methods an endpoint lacks', async () => {
      assertScimError(await server.request('DELETE', '/Users'), 405);
      assertScimError(await server.request('PUT', '/Users', userBody('x@example.com')), 405);
      assertScimError(await server.request('POST', '/Users/some-id', userBody('x@example.com')), 405);
    });
  });
}
