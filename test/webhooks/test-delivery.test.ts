// POST /api/v1/webhooks/{id}/test: a webhook.test event, sent now, signed like every delivery.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, type TestServer } from '../support/scim-client.js';
import { deleteAllWebhooks, startReceiver, type Receiver } from '../support/webhook-receiver.js';

for (const engine of testEngines()) {
  describe(`webhook test sends on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    let receiver: Receiver;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());
    beforeEach(async () => {
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await receiver.close();
      await deleteAllWebhooks(api);
    });

    async function createHook(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
      const created = await api('POST', '/webhooks', { url: receiver.url, ...body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return { id: String(created.body.id), secret: String(created.body.secret) };
    }

    it('sends a signed webhook.test event to a tenant endpoint, whatever its event types', async () => {
      const hook = await createHook({ tenantId: server.tenantId, eventTypes: ['user.created'] });
      const sent = await api('POST', `/webhooks/${hook.id}/test`);
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.deepEqual(sent.body, { eventId: sent.body.eventId, delivered: true, status: 200, error: null });
      assert.equal(receiver.received.length, 1);
      const [delivery] = receiver.received;
      assert.ok(delivery !== undefined);
      const event = new Webhook(hook.secret).verify(delivery.body, delivery.headers as Record<string, string>) as Record<string, unknown>;
      assert.deepEqual(event, {
        schemaVersion: 1,
        id: sent.body.eventId,
        seq: 0,
        type: 'webhook.test',
        tenantId: server.tenantId,
        occurredAt: event.occurredAt,
        resource: { type: 'Webhook', id: hook.id },
        data: { webhook: { id: hook.id, url: receiver.url } },
      });
      assert.equal(delivery.headers['webhook-id'], sent.body.eventId);
      assert.equal(delivery.headers['roster-event-type'], 'webhook.test');
      const deliveries = await api('GET', `/webhooks/${hook.id}/deliveries`);
      assert.deepEqual(deliveries.body.deliveries, [], 'a test send is in no delivery list');
      const feed = await api('GET', `/events?tenant=${server.tenantId}`);
      assert.ok(!(feed.body.events as { type: string }[]).some((item) => item.type === 'webhook.test'), 'nor in the feed');
    });

    it('sends to a paused global endpoint too, with tenantId null', async () => {
      const hook = await createHook({ enabled: false });
      const sent = await api('POST', `/webhooks/${hook.id}/test`);
      assert.equal(sent.body.delivered, true, JSON.stringify(sent.body));
      assert.equal(receiver.received[0]?.event.type, 'webhook.test');
      assert.equal((JSON.parse(receiver.received[0]?.body ?? '{}') as { tenantId: unknown }).tenantId, null);
    });

    it('reports a failing receiver\'s status with a short excerpt of its answer', async () => {
      receiver.answer = () => 503;
      const hook = await createHook({ tenantId: server.tenantId });
      const sent = await api('POST', `/webhooks/${hook.id}/test`);
      assert.equal(sent.status, 200);
      assert.deepEqual({ ...sent.body, eventId: undefined }, { eventId: undefined, delivered: false, status: 503, error: 'HTTP 503: failing on purpose' });
    });

    it('reports an unreachable receiver without a status', async () => {
      const hook = await createHook({ tenantId: server.tenantId });
      await receiver.close();
      const sent = await api('POST', `/webhooks/${hook.id}/test`);
      assert.equal(sent.body.delivered, false);
      assert.equal(sent.body.status, null);
      assert.match(String(sent.body.error), /ECONNREFUSED/);
      receiver = await startReceiver();
    });

    it('answers 404 for an unknown endpoint', async () => {
      const missing = await api('POST', '/webhooks/00000000-0000-4000-8000-000000000000/test');
      assert.equal(missing.status, 404);
      assert.equal((missing.body.error as { code: string }).code, 'NOT_FOUND');
    });
  });
}
