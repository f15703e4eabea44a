import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ErasureWorker } from '../../src/service/erasure.js';
import { testEngines } from '../support/engines.js';
import { flushProvisioningLog, startServer, userBody, type Json, type ScimResponse, type TestServer } from '../support/scim-client.js';
import { assertNoneOf, storedText } from './retention-support.js';

/** What a user created by `provision` is made of: none of it may remain after its erasure. */
function personalData(userName: string): string[] {
  return [userName, `given-${userName}`, `family-${userName}`, `title-${userName}`, `tel-${userName}`, `ext-${userName}`];
}

for (const engine of testEngines()) {
  describe(`erasure of deleted users' personal data on ${engine.name}`, () => {
    let server: TestServer;

    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    /** A tenant of its own with its token, and a SCIM client for it. */
    async function tenant(name: string): Promise<{ tenantId: string; scim: (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: Json) => Promise<ScimResponse> }> {
      const { tenantId, token } = await server.addTenant(name);
      const scim = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: Json): Promise<ScimResponse> => {
        const response = await server.app.inject({
          method,
          url: `/scim/v2/${tenantId}${path}`,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
        return { status: response.statusCode, headers: response.headers, body: response.body === '' ? {} : (JSON.parse(response.body) as Json), text: response.body };
      };
      return { tenantId, scim };
    }

    /** Creates a user, changes it (more events, more log entries), and deactivates it: its id. */
    async function provision(scim: Awaited<ReturnType<typeof tenant>>['scim'], userName: string): Promise<string> {
      const created = await scim('POST', '/Users', userBody(userName, { externalId: `ext-${userName}`, name: { givenName: `given-${userName}`, familyName: `family-${userName}` }, phoneNumbers: [{ value: `tel-${userName}` }] }));
      assert.equal(created.status, 201);
      const id = String(created.body.id);
      const patch = (value: Json): Json => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value }] });
      assert.equal((await scim('PATCH', `/Users/${id}`, patch({ title: `title-${userName}` }))).status, 200);
      assert.equal((await scim('PATCH', `/Users/${id}`, patch({ active: false }))).status, 200);
      // A duplicate: its error detail names the userName.
      assert.equal((await scim('POST', '/Users', userBody(userName))).status, 409);
      // Membership events name the user in its groups' events: one group it left, one it stays in.
      for (const stays of [false, true]) {
        const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Team ${randomUUID()}`, members: [{ value: id }] });
        assert.equal(group.status, 201);
        if (!stays) assert.equal((await scim('PATCH', `/Groups/${String(group.body.id)}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] })).status, 204);
      }
      return id;
    }

    it('a hard DELETE erases the user from its events and its log entries, keeping ids, types and seq', async () => {
      const { tenantId, scim } = await tenant('Hard');
      await server.services.settings.update(tenantId, { deletePolicy: 'hard' });
      const id = await provision(scim, 'ada@hard.test');
      const other = await provision(scim, 'bob@hard.test');
      await flushProvisioningLog(server);
      const before = await server.store.read.events.list(tenantId, 0, 1000);
      // A delivery of the user's first event, not yet sent when the user is deleted.
      const endpointId = randomUUID();
      const at = new Date().toISOString();
      const created = before.find((event) => event.resourceId === id && event.type === 'user.created');
      await server.store.transaction(async (tx) => {
        await tx.webhooks.insertEndpoint({ id: endpointId, tenantId, url: 'https://receiver.test/hook', eventTypes: [], description: '', enabled: true, createdAt: at, updatedAt: at }, 'whsec_c2VjcmV0');
        await tx.webhooks.insertDeliveries([{ tenantId, id: randomUUID(), endpointId, eventSeq: created?.seq ?? 0, eventType: 'user.created', resourceKey: `User:${id}` }], at);
      });

      // A read whose filter names the user: the log entry is not linked to it.
      assert.equal((await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada@hard.test"')}`)).status, 200);
      await flushProvisioningLog(server);
      assert.equal((await scim('DELETE', `/Users/${id}`)).status, 204);
      await flushProvisioningLog(server);
      // The delete's own membership events name the user by id alone at once, before the worker.
      const leftByDelete = (await server.store.read.events.list(tenantId, 0, 1000)).filter((event) => event.type === 'group.member_removed' && event.payload.memberId === id).at(-1);
      assert.deepEqual([leftByDelete?.payload.erased, leftByDelete?.payload.userName], [true, undefined]);
      // The entries that name the user without having written it are erased in the background.
      assert.ok((await new ErasureWorker(server.store, { batchSize: 2, settleMs: 0 }).runNow()) > 0);

      const stored = await storedText(server.store, tenantId);
      assertNoneOf(stored.events, personalData('ada@hard.test'), 'events');
      assertNoneOf(stored.log, personalData('ada@hard.test'), 'provisioning log');
      assert.ok(stored.events.includes('bob@hard.test'), 'another user\'s events stay as they were');
      const memberships = (await server.store.read.events.list(tenantId, 0, 1000)).filter((event) => event.type.startsWith('group.member_'));
      const ofAda = memberships.filter((event) => event.payload.memberId === id);
      assert.ok(ofAda.length >= 4, 'added and removed, in two groups, and removed by the delete');
      assert.ok(ofAda.every((event) => event.payload.erased === true && event.payload.memberType === 'User' && event.payload.userName === undefined));
      assert.ok(memberships.filter((event) => event.payload.memberId === other).every((event) => event.payload.userName === 'bob@hard.test' && event.payload.erased === undefined));

      const after = await server.store.read.events.list(tenantId, 0, 1000);
      for (const event of before) {
        const now = after.find((candidate) => candidate.seq === event.seq);
        assert.ok(now !== undefined);
        assert.deepEqual([now.id, now.type, now.resourceId, now.occurredAt, now.position], [event.id, event.type, event.resourceId, event.occurredAt, event.position]);
      }
      const deleted = after.find((event) => event.type === 'user.deleted');
      assert.deepEqual(deleted?.payload.user, { id, meta: (deleted?.payload.user as Json).meta });
      assert.equal(deleted?.payload.erased, true);
      assert.equal(deleted?.payload.archived, false);
      assert.equal(after.find((event) => event.resourceId === other)?.payload.erased, undefined);

      const [task] = await server.store.transaction((tx) => tx.webhooks.claim('test', new Date().toISOString(), new Date(Date.now() + 60_000).toISOString(), 10));
      assert.equal(task?.event.id, created?.id);
      assert.equal(task?.event.payload.erased, true, 'a delivery sent after the erasure carries the erased event');
      await server.store.transaction((tx) => tx.webhooks.deleteEndpoint(endpointId));

      const log = await server.services.provisioningLog.search(tenantId, { resource: id });
      assert.ok(log.entries.length >= 3, 'the entries stay, erased');
      assert.ok(log.entries.every((entry) => entry.requestBody === null && entry.errorDetail === null));
    });

    it('an archiving DELETE erases nothing', async () => {
      const { tenantId, scim } = await tenant('Archive');
      const id = await provision(scim, 'cy@archive.test');
      assert.equal((await scim('DELETE', `/Users/${id}`)).status, 204);
      assert.ok((await storedText(server.store, tenantId)).events.includes('cy@archive.test'));
    });

    it('deleting the SCIM setup erases every user\'s events and the SCIM log in the background, to the end', async () => {
      const { tenantId, scim } = await tenant('Setup');
      const users = ['dee@setup.test', 'eve@setup.test', 'fay@setup.test'];
      for (const userName of users) await provision(scim, userName);
      await flushProvisioningLog(server);
      await server.services.scimSetup.deleteSetup(tenantId);

      // Recorded with the deletion; batches of 2 make the worker save its progress many times.
      const worker = new ErasureWorker(server.store, { batchSize: 2, settleMs: 0 });
      assert.ok((await worker.runNow()) > 3);
      assert.ok((await server.services.provisioningLog.search(tenantId, {})).entries.length >= 12, 'the entries stay, erased');
      const stored = await storedText(server.store, tenantId);
      for (const userName of users) {
        assertNoneOf(stored.events, personalData(userName), 'events');
        assertNoneOf(stored.log, personalData(userName), 'provisioning log');
      }
      assert.equal(await worker.runNow(), 0, 'nothing is left to do');
    });

    it('deleting a tenant erases its users with its purge', async () => {
      const { tenantId, scim } = await tenant('Gone');
      await provision(scim, 'gus@gone.test');
      await flushProvisioningLog(server);
      await server.services.tenants.delete(tenantId);
      await server.services.tenants.purgeDeleted(50);
      const stored = await storedText(server.store, tenantId);
      assertNoneOf(stored.events, personalData('gus@gone.test'), 'events');
      assert.equal(stored.log, '[]');
      assert.match(stored.events, /tenant\.deleted/);
    });
  });
}
