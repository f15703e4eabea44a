import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registryFor } from '../../src/policy/extension-schemas.js';
import { settingsOf } from '../../src/policy/settings.js';
import { ConflictError, UnauthorizedError } from '../../src/scim/errors.js';
import type { ScimContext } from '../../src/service/context.js';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';

/**
 * A SCIM request parses its tenant's settings once, as it authenticates; a write then reads
 * them again inside its transaction. These tests hold a context taken before a settings
 * change, as a request that authenticated just before it would, and check that the write
 * follows the settings committed since.
 */
for (const engine of testEngines()) {
  describe(`settings changed between authentication and a write, on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    /** A fresh tenant, and the context a request authenticating now would carry. */
    async function authenticatedTenant(name: string): Promise<{ tenantId: string; context: ScimContext }> {
      const { tenantId } = await server.addTenant(name);
      const stored = await server.store.read.tenants.get(tenantId);
      assert.ok(stored !== undefined);
      const settings = settingsOf(stored.settings);
      return { tenantId, context: { tenant: { id: tenantId, settings }, registry: registryFor(settings) } };
    }

    it('refuses a create past a seat limit set after the request authenticated', async () => {
      const { tenantId, context } = await authenticatedTenant('Seats');
      await server.services.settings.update(tenantId, { seatLimit: 0 });
      await assert.rejects(server.services.users.create(context, userBody('late@example.com')), (error) => error instanceof ConflictError && /seat limit of 0/.test(error.detail));
      const stored = await server.store.read.users.findByUserName(tenantId, 'late@example.com');
      assert.equal(stored, undefined, 'nothing was stored');
    });

    it('deletes for good when deletePolicy became hard after the request authenticated', async () => {
      const { tenantId, context } = await authenticatedTenant('Deletes');
      const created = await server.services.users.create(context, userBody('gone@example.com'));
      await server.services.settings.update(tenantId, { deletePolicy: 'hard' });
      await server.services.users.remove(context, created.record.id);
      assert.equal(await server.store.read.users.get(tenantId, created.record.id), undefined, 'no archived row is kept');
      const events = await server.store.read.events.list(tenantId, 0, 100);
      assert.deepEqual(events.filter((event) => event.type === 'user.deleted').map((event) => event.payload.archived), [false]);
    });

    it('queues the member change when automatic sync was turned off after the request authenticated', async () => {
      const { tenantId, context } = await authenticatedTenant('Sync');
      await server.services.settings.update(tenantId, { autoSync: false });
      const created = await server.services.users.create(context, userBody('queued@example.com'));
      assert.equal(await server.store.read.members.get(tenantId, created.record.id), undefined, 'no member until sync');
      const { changes } = await server.services.pendingChanges.list(tenantId, 0, 10);
      assert.deepEqual(changes.map((change) => [change.userId, change.kind]), [[created.record.id, 'created']]);
    });

    it('refuses a write with 401 when SCIM was disabled after the request authenticated', async () => {
      const { tenantId, context } = await authenticatedTenant('Disabled');
      await server.services.settings.update(tenantId, { scimEnabled: false });
      await assert.rejects(server.services.users.create(context, userBody('refused@example.com')), UnauthorizedError);
      await assert.rejects(server.services.groups.create(context, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Refused' }), UnauthorizedError);
      assert.equal(await server.store.read.users.findByUserName(tenantId, 'refused@example.com'), undefined);
    });
  });
}
