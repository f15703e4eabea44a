import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { WebhookDispatcher } from '../../src/service/webhooks/dispatcher.js';
import { Webhook } from 'standardwebhooks';
import { verify } from '../../src/service/webhooks/signature.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA, startServer, userBody, type TestServer } from '../support/scim-client.js';
import { deleteAllWebhooks, startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
interface FeedEvent {
  schemaVersion: number;
  id: string;
  seq: number;
  type: string;
  tenantId: string;
  resource: { type: string; id: string };
  data: Record<string, unknown>;
}

for (const engine of testEngines()) {
  describe(`events and webhooks on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    let receiver: Receiver;
    let dispatcher: WebhookDispatcher;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());
    beforeEach(async () => {
      receiver = await startReceiver();
      dispatcher = new WebhookDispatcher(server.services.store, { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, leaseMs: 5000, timeoutMs: 2000 });
    });
    afterEach(async () => {
      await receiver.close();
      await deleteAllWebhooks(api);
    });

    /** Runs the dispatcher until `check` holds (bounded). */
    async function deliverUntil(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
      await waitFor(async () => {
        await dispatcher.runOnce();
        return check();
      }, 10_000, what);
    }

    async function createHook(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
      const created = await api('POST', '/webhooks', { url: receiver.url, ...body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return { id: String(created.body.id), secret: String(created.body.secret) };
    }

    async function feed(tenantId: string): Promise<FeedEvent[]> {
      const events: FeedEvent[] = [];
      let cursor = '0';
      for (;;) {
        const page = await api('GET', `/events?tenant=${tenantId}&after=${cursor}&limit=4`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        events.push(...(page.body.events as FeedEvent[]));
        cursor = String(page.body.nextCursor);
        if (page.body.hasMore !== true) break;
      }
      const again = await api('GET', `/events?tenant=${tenantId}&after=${cursor}`);
      assert.deepEqual(again.body, { events: [], nextCursor: cursor, hasMore: false }, 'polling at the end gives nothing and keeps the cursor');
      return events;
    }

    it('writes every change exactly once to the feed, numbered per tenant, with versioned payloads', async () => {
      const tenant = await server.addTenant('Feed');
      const auth = { authorization: `Bearer ${tenant.token}` };
      const scim = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown) => server.request(method, `/scim/v2/${tenant.tenantId}${path}`, body, auth);
      const user = String((await scim('POST', '/Users', userBody('feed@example.com'))).body.id);
      await scim('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Engineer' }] });
      await scim('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
      await scim('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
      const group = String((await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Admins', members: [{ value: user }] })).body.id);
      await scim('PATCH', `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Owners' }] });
      await scim('PATCH', `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${user}"]` }] });
      await scim('DELETE', `/Groups/${group}`);
      await scim('DELETE', `/Users/${user}`);
      await scim('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'gone' }] }); // 404: no event

      const events = await feed(tenant.tenantId);
      assert.deepEqual(
        events.map((event) => event.type),
        [
          'tenant.created',
          'token.created',
          'user.created',
          'member.provisioned',
          'user.updated',
          'user.archived',
          'member.status_changed',
          'user.reactivated',
          'member.status_changed',
          'group.created',
          'group.member_added',
          'group.updated',
          'group.member_removed',
          'group.deleted',
          'user.deleted',
          'member.status_changed',
        ],
      );
      assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => index + 1), 'gap-free, in commit order');
      assert.equal(new Set(events.map((event) => event.id)).size, events.length, 'each event once');
      for (const event of events) {
        assert.equal(event.schemaVersion, 1);
        assert.equal(event.tenantId, tenant.tenantId);
      }
      const ofType = (type: string) => events.find((event) => event.type === type);
      const updated = ofType('user.updated');
      assert.equal((updated?.data.user as { title: string }).title, 'Engineer');
      assert.equal((updated?.data.before as { title?: string }).title, undefined);
      assert.deepEqual(updated?.data.changedAttributes, ['title']);
      assert.equal(ofType('group.member_added')?.data.memberId, user);
      assert.deepEqual((ofType('group.updated')?.data.before as { displayName: string }).displayName, 'Admins');
      assert.deepEqual(ofType('user.deleted')?.data.archived, true);
      assert.ok(!JSON.stringify(events).includes('password'));
      const token = events[1];
      assert.equal((token?.data.token as { name: string }).name, 'test');
    });

    it('refuses a feed request for an unknown tenant or with a bad cursor', async () => {
      assert.equal((await api('GET', '/events?tenant=nope')).status, 404);
      assert.equal((await api('GET', `/events?tenant=${server.tenantId}&after=x`)).status, 400);
    });

    it('delivers signed events that match the filter, and not older ones', async () => {
      await server.request('POST', '/Users', userBody('before-hook@example.com'));
      const hook = await createHook({ tenantId: server.tenantId, eventTypes: ['user.*'] });
      await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Filtered out' });
      const created = await server.request('POST', '/Users', userBody('signed@example.com'));
      await deliverUntil(() => receiver.received.length >= 1, 'the delivery');
      await dispatcher.runOnce();
      assert.equal(receiver.received.length, 1, 'only user.* events after the endpoint was made');
      const [delivery] = receiver.received;
      assert.ok(delivery !== undefined);
      assert.equal(delivery.event.type, 'user.created');
      assert.equal(delivery.event.resource.id, created.body.id);
      assert.equal(delivery.headers['content-type'], 'application/json');
      assert.equal(delivery.headers['roster-event-type'], 'user.created');
      assert.equal(delivery.headers['webhook-id'], delivery.event.id, 'the event id is the Standard Webhooks message id');
      assert.equal(verify(delivery.body, delivery.headers, hook.secret), true);
      assert.equal(verify(delivery.body, delivery.headers, 'whsec_d3Jvbmcgc2VjcmV0IG9mIDI0IGJ5dGVzIQ=='), false);
      const listed = await api('GET', `/webhooks/${hook.id}/deliveries?state=delivered`);
      assert.equal((listed.body.deliveries as unknown[]).length, 1);
    });

    it('retries a receiver that fails 3 times, and delivers once it recovers', async () => {
      dispatcher = new WebhookDispatcher(server.services.store, { retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 }, leaseMs: 5000, timeoutMs: 2000 });
      receiver.answer = (index) => (index < 3 ? 500 : 200);
      const hook = await createHook({ tenantId: server.tenantId });
      await server.request('POST', '/Users', userBody('flaky@example.com'));
      await deliverUntil(() => receiver.received.some((got) => got.status === 200), 'the fourth try');
      assert.deepEqual(receiver.received.map((got) => got.status), [500, 500, 500, 200]);
      assert.equal(new Set(receiver.received.map((got) => got.event.id)).size, 1, 'the same event each time');
      assert.deepEqual(receiver.received.map((got) => got.headers['roster-delivery-attempt']), ['1', '2', '3', '4']);
      assert.equal(new Set(receiver.received.map((got) => got.headers['webhook-id'])).size, 1, 'one webhook-id across retries (the receiver\'s idempotency key)');
      const [delivery] = (await api('GET', `/webhooks/${hook.id}/deliveries`)).body.deliveries as { state: string; attempts: number; lastStatus: number }[];
      assert.deepEqual([delivery?.state, delivery?.attempts, delivery?.lastStatus], ['delivered', 4, 200]);
    });

    it('dead-letters a delivery after the last try, and redelivers it by hand', async () => {
      receiver.answer = () => 503;
      const hook = await createHook({ tenantId: server.tenantId, eventTypes: ['user.created'] });
      await server.request('POST', '/Users', userBody('dead@example.com'));
      const dead = async (): Promise<{ id: string; attempts: number; lastError: string }[]> =>
        (await api('GET', `/webhooks/${hook.id}/deliveries?state=dead`)).body.deliveries as { id: string; attempts: number; lastError: string }[];
      await deliverUntil(async () => (await dead()).length === 1, 'the dead letter');
      const [letter] = await dead();
      assert.equal(letter?.attempts, 3);
      assert.match(letter?.lastError ?? '', /HTTP 503/);
      assert.equal(receiver.received.length, 3);

      receiver.answer = () => 200;
      assert.equal((await api('POST', `/webhooks/${hook.id}/deliveries/${letter?.id}/redeliver`)).status, 202);
      await deliverUntil(() => receiver.received.some((got) => got.status === 200), 'the redelivery');
      assert.equal((await dead()).length, 0);
      assert.equal((await api('POST', `/webhooks/${hook.id}/deliveries/nope/redeliver`)).status, 404);
    });

    it('delivers the events of one resource in order, even across retries', async () => {
      // Every first try of an event fails, so each event needs a retry before the next may go.
      const tried = new Set<string>();
      receiver.answer = (_index, body) => {
        const id = (JSON.parse(body) as { id: string }).id;
        if (tried.has(id)) return 200;
        tried.add(id);
        return 500;
      };
      dispatcher = new WebhookDispatcher(server.services.store, { retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 10 }, leaseMs: 5000, timeoutMs: 2000 });
      await createHook({ tenantId: server.tenantId });
      const user = String((await server.request('POST', '/Users', userBody('ordered@example.com'))).body.id);
      for (const title of ['a', 'b', 'c']) {
        await server.request('PATCH', `/Users/${user}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: title }] });
      }
      await deliverUntil(() => receiver.received.filter((got) => got.status === 200).length === 4, 'four events');
      const arrivals = receiver.received.map((got) => got.event.seq);
      assert.deepEqual(arrivals, [...arrivals].sort((a, b) => a - b), `arrived in sequence order: ${arrivals.join(',')}`);
    });

    it('sends a global endpoint the events of every tenant, including tenants made later', async () => {
      await createHook({ eventTypes: ['tenant.created'] });
      const later = await server.addTenant('Later');
      await deliverUntil(() => receiver.received.some((got) => got.event.resource.id === later.tenantId), 'the new tenant');
    });

    it('manages endpoints: validation, pause, secret rotation, 404s', async () => {
      assert.equal((await api('POST', '/webhooks', { url: 'ftp://example.com' })).status, 400);
      assert.equal((await api('POST', '/webhooks', { url: receiver.url, eventTypes: ['User Created'] })).status, 400);
      assert.equal((await api('POST', '/webhooks', { url: receiver.url, tenantId: 'nope' })).status, 404);
      const hook = await createHook({ tenantId: server.tenantId });
      assert.equal((await api('GET', `/webhooks?tenant=${server.tenantId}`)).body.webhooks instanceof Array, true);
      const paused = await api('PATCH', `/webhooks/${hook.id}`, { enabled: false });
      assert.equal(paused.body.enabled, false);
      await server.request('POST', '/Users', userBody('paused@example.com'));
      await dispatcher.runOnce();
      assert.equal(receiver.received.length, 0, 'a paused endpoint receives nothing');
      const rotated = await api('POST', `/webhooks/${hook.id}/secret`);
      const secret = String(rotated.body.secret);
      assert.notEqual(secret, hook.secret);
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'whsec_ and the base64 of 32 bytes');
      await api('PATCH', `/webhooks/${hook.id}`, { enabled: true });
      await deliverUntil(() => receiver.received.length === 1, 'the event held while paused');
      const [held] = receiver.received;
      assert.ok(held !== undefined);
      assert.doesNotThrow(() => new Webhook(secret).verify(held.body, held.headers as Record<string, string>), 'signed with the new secret');
      assert.throws(() => new Webhook(hook.secret).verify(held.body, held.headers as Record<string, string>), /No matching signature/, 'not with the old one');
      assert.equal((await api('DELETE', `/webhooks/${hook.id}`)).status, 204);
      assert.equal((await api('GET', `/webhooks/${hook.id}`)).status, 404);
    });
  });
}
