import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, assertScimError, startServer, userBody, type Json, type TestServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`attributes and excludedAttributes on ${engine.name}`, () => {
    let server: TestServer;
    let userId: string;
    let groupId: string;
    before(async () => {
      server = await startServer(engine);
      const user = await server.request('POST', '/Users', userBody('proj@example.com', { title: 'Dr', [ENTERPRISE]: { department: 'R&D', costCenter: 'CC1' } }));
      userId = String(user.body.id);
      groupId = String((await server.request('POST', '/Groups', { displayName: 'Projected', members: [{ value: userId }] })).body.id);
    });
    after(() => server.close());

    it('returns only id, schemas, meta and the named attributes with attributes=', async () => {
      const response = await server.request('GET', `/Users/${userId}?attributes=userName,name.givenName`);
      assert.deepEqual(Object.keys(response.body).sort(), ['id', 'meta', 'name', 'schemas', 'userName']);
      assert.deepEqual(response.body.name, { givenName: 'Ada' });
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User']);
    });

    it('selects sub-attributes of multi-valued attributes and extension attributes by URN', async () => {
      const response = await server.request('GET', `/Users/${userId}?attributes=emails.value,${ENTERPRISE}:department`);
      assert.deepEqual(response.body.emails, [{ value: 'proj@example.com' }]);
      assert.deepEqual(response.body[ENTERPRISE], { department: 'R&D' });
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE]);
    });

    it('drops the named attributes with excludedAttributes but never id', async () => {
      const response = await server.request('GET', `/Users/${userId}?excludedAttributes=emails,title,id,${ENTERPRISE}`);
      assert.equal(response.body.emails, undefined);
      assert.equal(response.body.title, undefined);
      assert.equal(response.body.id, userId);
      assert.equal(response.body[ENTERPRISE], undefined);
      assert.deepEqual(response.body.schemas, ['urn:ietf:params:scim:schemas:core:2.0:User']);
      assert.equal(response.body.userName, 'proj@example.com');
    });

    it('applies projections to list responses, POST and PUT', async () => {
      const listed = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "proj@example.com"')}&attributes=userName`);
      assert.deepEqual(Object.keys((listed.body.Resources as Json[])[0] ?? {}).sort(), ['id', 'meta', 'schemas', 'userName']);
      const created = await server.request('POST', '/Users?attributes=userName', userBody('proj2@example.com'));
      assert.deepEqual(Object.keys(created.body).sort(), ['id', 'meta', 'schemas', 'userName']);
      const replaced = await server.request('PUT', `/Users/${String(created.body.id)}?excludedAttributes=name,emails`, userBody('proj2@example.com'));
      assert.equal(replaced.body.name, undefined);
      assert.equal(replaced.body.userName, 'proj2@example.com');
    });

    it('ignores attribute names the schema does not know', async () => {
      const response = await server.request('GET', `/Users/${userId}?attributes=userName,favouriteColour`);
      assert.deepEqual(Object.keys(response.body).sort(), ['id', 'meta', 'schemas', 'userName']);
    });

    it('returns 400 invalidValue when both attributes and excludedAttributes are given', async () => {
      assertScimError(await server.request('GET', `/Users/${userId}?attributes=userName&excludedAttributes=title`), 400, 'invalidValue');
    });

    it('reads no members at all for a group read with excludedAttributes=members', async () => {
      const groups = server.store.read.groups;
      const original = groups.memberships.bind(groups);
      let calls = 0;
      groups.memberships = (...args) => {
        calls += 1;
        return original(...args);
      };
      try {
        const one = await server.request('GET', `/Groups/${groupId}?excludedAttributes=members`);
        assert.equal(one.body.members, undefined);
        assert.equal(one.body.displayName, 'Projected');
        const listed = await server.request('GET', `/Groups?excludedAttributes=members`);
        assert.ok((listed.body.Resources as Json[]).every((group) => group.members === undefined));
        assert.equal(calls, 0);
        const full = await server.request('GET', `/Groups/${groupId}`);
        assert.equal((full.body.members as Json[]).length, 1);
        assert.equal(calls, 1);
      } finally {
        groups.memberships = original;
      }
    });
  });
}
