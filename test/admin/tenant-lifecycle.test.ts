import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { WebhookDispatcher } from '../../src/service/webhooks/dispatcher.js';
import { adminClient, type AdminApi, type ApiResponse } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA, startServer, userBody, type TestServer } from '../support/scim-client.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';
import { consoleRequest, secretOf, signIn } from '../console/console-client.js';

function errorCode(response: ApiResponse): unknown {
  return (response.body.error as { code?: unknown } | undefined)?.code;
}

for (const engine of testEngines()) {
  describe(`tenant externalId, initial SCIM state and deletion on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    let receiver: Receiver;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
      receiver = await startReceiver();
    });
    after(async () => {
      await receiver.close();
      await server.close();
    });

    it('creates a tenant with an externalId and SCIM off, finds it by externalId, and keeps externalIds unique', async () => {
      const created = await api('POST', '/tenants', { name: 'Initech', externalId: 'org_42', scimEnabled: false });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.externalId, 'org_42');
      assert.equal((created.body.settings as { scimEnabled: boolean }).scimEnabled, false);
      const plain = await api('POST', '/tenants', { name: 'Plain' });
      assert.equal(plain.body.externalId, null);
      assert.equal((plain.body.settings as { scimEnabled: boolean }).scimEnabled, true, 'default as before');

      const found = await api('GET', '/tenants?externalId=org_42');
      assert.deepEqual((found.body.tenants as { id: string }[]).map((t) => t.id), [created.body.id]);
      assert.deepEqual((await api('GET', '/tenants?externalId=org_none')).body.tenants, []);

      const duplicate = await api('POST', '/tenants', { name: 'Copy', externalId: 'org_42' });
      assert.equal(duplicate.status, 409);
      assert.equal(errorCode(duplicate), 'CONFLICT');
      const taken = await api('PATCH', `/tenants/${String(plain.body.id)}`, { externalId: 'org_42' });
      assert.equal(taken.status, 409);
      assert.equal(errorCode(taken), 'CONFLICT');
      const empty = await api('POST', '/tenants', { name: 'Empty', externalId: '' });
      assert.equal(empty.status, 400);

      const renamed = await api('PATCH', `/tenants/${String(created.body.id)}`, { externalId: 'org_43' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.externalId, 'org_43');
      const cleared = await api('PATCH', `/tenants/${String(created.body.id)}`, { externalId: null });
      assert.equal(cleared.body.externalId, null);
    });

    it('deletes a tenant: gone at once for every API, tenant.deleted reaches global endpoints and the feed, data purged in batches', async () => {
      const { tenantId, token } = await server.addTenant('Doomed');
      assert.equal((await api('PATCH', `/tenants/${tenantId}`, { externalId: 'org_doomed' })).status, 200);
      const scim = (method: 'GET' | 'POST', path: string, body?: unknown) =>
        server.request(method, `/scim/v2/${tenantId}${path}`, body, { authorization: `Bearer ${token}` });
      const user = await scim('POST', '/Users', userBody('ada@doomed.test'));
      assert.equal(user.status, 201);
      assert.equal((await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Staff', members: [{ value: user.body.id }] })).status, 201);
      const hook = await api('POST', '/webhooks', { url: receiver.url, eventTypes: ['tenant.*'] });
      assert.equal(hook.status, 201);
      const position = await server.store.transaction((tx) => tx.events.feedPosition());
      const db = (server.store as unknown as { db: Kysely<unknown> }).db;
      const roleRows = async (): Promise<number> => Number((await sql<{ n: number }>`select count(*) as n from member_roles where tenant_id = ${tenantId}`.execute(db)).rows[0]?.n);
      assert.equal(await roleRows(), 1, 'the member\'s role, indexed');

      const deleted = await api('DELETE', `/tenants/${tenantId}`);
      assert.equal(deleted.status, 204);
      assert.equal((await scim('GET', '/Users')).status, 401, 'its SCIM tokens stop at once');
      for (const path of [`/tenants/${tenantId}`, `/tenants/${tenantId}/tokens`, `/tenants/${tenantId}/members`]) {
        const response = await api('GET', path);
        assert.equal(response.status, 404, path);
        assert.equal(errorCode(response), 'NOT_FOUND', path);
      }
      assert.equal(errorCode(await api('DELETE', `/tenants/${tenantId}`)), 'NOT_FOUND');
      assert.ok(!((await api('GET', '/tenants')).body.tenants as { id: string }[]).some((t) => t.id === tenantId));
      assert.equal((await api('POST', '/tenants', { name: 'Reborn', externalId: 'org_doomed' })).status, 201, 'its externalId is free again');

      // On PostgreSQL an event enters the global feed once every transaction older than it has
      // ended (docs/events.md): poll.
      let events: { type: string; tenantId: string; data: { tenant: { externalId: string } } }[] = [];
      await waitFor(async () => {
        const feed = await api('GET', `/events?after=${encodeURIComponent(position)}&type=tenant.deleted`);
        events = feed.body.events as typeof events;
        return events.length > 0;
      }, 10_000, 'tenant.deleted in the global feed');
      assert.deepEqual(events.map((e) => [e.type, e.tenantId]), [['tenant.deleted', tenantId]]);
      assert.equal(events[0]?.data.tenant.externalId, 'org_doomed');

      // Purged two rows per transaction: everything but the tenant row and its last event.
      const progress: number[] = [];
      const removed = await server.services.tenants.purgeDeleted(2, (id, count) => id === tenantId && progress.push(count));
      assert.ok(removed >= 8, `removed ${removed}`);
      assert.ok(progress.length > 4, 'in several batches');
      const left = await server.store.read.events.list(tenantId, 0, 100);
      assert.deepEqual(left.map((e) => e.type), ['tenant.deleted']);
      assert.equal(await server.store.read.users.get(tenantId, String(user.body.id)), undefined);
      assert.deepEqual(await server.store.read.tokens.list(tenantId), []);
      assert.equal(await roleRows(), 0);
      assert.equal(await server.services.tenants.purgeDeleted(2), 0, 'nothing left to purge');

      // The global endpoint still gets the deletion, after the purge.
      const dispatcher = new WebhookDispatcher(server.services.store, { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, leaseMs: 5000, timeoutMs: 2000 });
      await waitFor(async () => {
        await dispatcher.runOnce();
        return receiver.received.some((r) => r.event.type === 'tenant.deleted' && r.event.resource.id === tenantId);
      }, 10_000, 'tenant.deleted delivered');
      assert.equal((await api('DELETE', `/webhooks/${String(hook.body.id)}`)).status, 204);
    });

    it('refuses a tenant deletion to a setup link session', async () => {
      const link = await api('POST', `/tenants/${server.tenantId}/setup-links`, {});
      const login = await signIn(server, { setupToken: secretOf(link.body.url) });
      const response = await consoleRequest(server, login, 'DELETE', `/tenants/${server.tenantId}`);
      assert.equal(response.status, 403);
      assert.equal((response.body.error as { code: string }).code, 'FORBIDDEN');
      assert.equal((await api('GET', `/tenants/${server.tenantId}`)).status, 200);
    });
  });
}
