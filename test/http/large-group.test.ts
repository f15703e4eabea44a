import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UserRecord } from '../../src/store/records.js';
import { testEngines } from '../support/engines.js';
import { startServer, type Json, type TestServer } from '../support/scim-client.js';

const GROUP_SIZE = 5_001; // many pages of members (500 each), and a last page of one

for (const engine of testEngines()) {
  describe(`a group larger than one page of members on ${engine.name}`, () => {
    let server: TestServer;
    let groupId: string;
    let userIds: string[];
    before(async () => {
      server = await startServer(engine);
      const at = new Date().toISOString();
      userIds = Array.from({ length: GROUP_SIZE }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      await server.store.transaction(async (tx) => {
        for (const [i, id] of userIds.entries()) {
          const user: UserRecord = { tenantId: server.tenantId, id, userName: `bulk${i}@example.com`, externalId: null, active: true, deletedAt: null, created: at, lastModified: at, version: 1, data: { userName: `bulk${i}@example.com`, active: true } };
          await tx.users.insert(user);
        }
      });
      const created = await server.request('POST', '/Groups', { displayName: 'Everyone' });
      groupId = String(created.body.id);
      const added = await server.request('PATCH', `/Groups/${groupId}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) }],
      });
      assert.equal(added.status, 204);
    });
    after(() => server.close());

    it('streams every member of a full group read as valid SCIM JSON', async () => {
      const response = await server.request('GET', `/Groups/${groupId}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-length'], undefined, 'the body is streamed, not buffered');
      assert.match(String(response.headers['content-type']), /^application\/scim\+json/);
      assert.equal(response.headers.etag, 'W/"2"');
      const members = response.body.members as Json[];
      assert.equal(members.length, GROUP_SIZE);
      assert.deepEqual(members.map((member) => member.value).sort(), [...userIds].sort());
      assert.equal(new Set(members.map((member) => member.value)).size, GROUP_SIZE);
      assert.equal((response.body.meta as Json).resourceType, 'Group');
    });

    it('writes members in the stream exactly as the non-streamed read presents them', async () => {
      const named = await server.request('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'zoe@example.com', displayName: 'Zoë "Z" \\ O’Neil' });
      const nested = await server.request('POST', '/Groups', { displayName: 'Ünïcode "quoted" \\ group' });
      const mixed = await server.request('POST', '/Groups', { displayName: 'Mixed', members: [{ value: named.body.id }, { value: nested.body.id }, { value: userIds[0] }] });
      const streamed = await server.request('GET', `/Groups/${String(mixed.body.id)}`);
      assert.equal(streamed.headers['content-length'], undefined, 'the default read streams');
      const projected = await server.request('GET', `/Groups/${String(mixed.body.id)}?attributes=members`);
      assert.notEqual(projected.headers['content-length'], undefined, 'a projected read does not stream');
      const byValue = (body: Json): Json[] => [...(body.members as Json[])].sort((a, b) => String(a.value).localeCompare(String(b.value)));
      assert.deepEqual(byValue(streamed.body), byValue(projected.body));
      assert.equal(byValue(streamed.body).length, 3);
      assert.ok((streamed.body.members as Json[]).some((member) => member.display === 'Zoë "Z" \\ O’Neil' && member.type === 'User'));
      assert.ok((streamed.body.members as Json[]).some((member) => member.display === 'Ünïcode "quoted" \\ group' && member.type === 'Group'));
    });

    it('reads the same group with excludedAttributes=members without members', async () => {
      const response = await server.request('GET', `/Groups/${groupId}?excludedAttributes=members`);
      assert.equal(response.body.members, undefined);
      assert.equal(response.headers['content-length'] !== undefined, true);
    });
  });
}
