import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRosterClient, webhooks, type RosterClient, type RosterEvent } from '../../packages/client/src/index.js';
import { testEngines } from '../support/engines.js';
import { startServer, type TestServer } from '../support/scim-client.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

// The client package against a real Roster listening on a port, as a product would use it.
for (const engine of testEngines()) {
  describe(`roster-scim-client against a running server (${engine.name})`, () => {
    let server: TestServer;
    let receiver: Receiver;
    let client: RosterClient;
    let origin: string;

    before(async () => {
      server = await startServer(engine);
      origin = await server.app.listen({ port: 0, host: '127.0.0.1' });
      receiver = await startReceiver();
      const { secret } = await server.services.operatorKeys.create('client tests');
      client = createRosterClient({ baseUrl: `${origin}/`, operatorKey: secret });
    });
    after(async () => {
      await receiver.close();
      await server.close();
    });

    it('creates a tenant and a token, reads a SCIM-provisioned member, and verifies a webhook as a typed event', async () => {
      const tenant = await client.POST('/api/v1/tenants', { body: { name: 'Initech' } });
      assert.equal(tenant.response.status, 201);
      const tenantId = tenant.data?.id ?? assert.fail('no tenant');
      const token = await client.POST('/api/v1/tenants/{tenantId}/tokens', { params: { path: { tenantId } }, body: { name: 'entra' } });
      const secret = token.data?.token ?? assert.fail('no token');

      const created = await fetch(`${origin}/scim/v2/${tenantId}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'peter@initech.example', emails: [{ value: 'peter@initech.example', primary: true }], active: true }),
      });
      assert.equal(created.status, 201);

      const members = await client.GET('/api/v1/tenants/{tenantId}/members', { params: { path: { tenantId }, query: { status: 'active' } } });
      assert.equal(members.response.status, 200);
      const member = members.data?.members.find((candidate) => candidate.userName === 'peter@initech.example');
      assert.equal(member?.email, 'peter@initech.example');
      assert.equal(member?.managedByScim, true);

      const feed = await client.GET('/api/v1/events', { params: { query: { tenant: tenantId } } });
      const userCreated = feed.data?.events.find((event) => event.type === 'user.created');
      // Narrowed on `type`, and on `erased` (a user removed for good keeps only ids): `data.user` is a SCIM user.
      assert.equal(userCreated?.type === 'user.created' && !('erased' in userCreated.data) ? userCreated.data.user.userName : undefined, 'peter@initech.example');

      const hook = await client.POST('/api/v1/webhooks', { body: { url: receiver.url, tenantId } });
      const webhookId = hook.data?.id ?? assert.fail('no webhook');
      const test = await client.POST('/api/v1/webhooks/{webhookId}/test', { params: { path: { webhookId } } });
      assert.equal(test.data?.delivered, true);
      const delivery = receiver.received.at(-1) ?? assert.fail('nothing received');
      const event: RosterEvent = webhooks.constructEvent(delivery.body, delivery.headers, hook.data?.secret ?? '');
      assert.equal(event.type, 'webhook.test');
      assert.equal(event.type === 'webhook.test' ? event.data.webhook.url : undefined, receiver.url);
      assert.throws(() => webhooks.constructEvent(delivery.body, delivery.headers, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='), webhooks.WebhookVerificationError);
    });

    it('answers errors in the API\'s error shape, typed', async () => {
      const missing = await client.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: '00000000-0000-4000-8000-000000000000' } } });
      assert.equal(missing.response.status, 404);
      assert.equal(missing.error?.error.code, 'NOT_FOUND');
      const refused = await createRosterClient({ baseUrl: origin, operatorKey: 'rok_wrong' }).GET('/api/v1/tenants');
      assert.equal(refused.response.status, 401);
      assert.equal(refused.error?.error.code, 'UNAUTHORIZED');
    });

    it('is typed from the document: an unknown path, a wrong value or a missing field does not compile', () => {
      // Never run: the compiler (npm run typecheck) checks these lines.
      const typeChecks = (): unknown[] => [
        // @ts-expect-error a member's status is active, inactive or archived
        client.GET('/api/v1/tenants/{tenantId}/members', { params: { path: { tenantId: 't' }, query: { status: 'gone' } } }),
        // @ts-expect-error no such path
        client.GET('/api/v1/tenant'),
        // @ts-expect-error NewToken's name is required
        client.POST('/api/v1/tenants/{tenantId}/tokens', { params: { path: { tenantId: 't' } }, body: {} }),
      ];
      assert.equal(typeof typeChecks, 'function');
    });
  });
}
