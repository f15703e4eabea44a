import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';
import { consoleRequest, secretOf, signIn } from '../console/console-client.js';

interface FeedEvent {
  seq: number;
  position: string;
  type: string;
  tenantId: string;
  resource: { type: string; id: string };
}

for (const engine of testEngines()) {
  describe(`the global event feed on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    let other: { tenantId: string; token: string };

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
      other = await server.addTenant('Globex');
      for (const name of ['ada', 'grace']) assert.equal((await server.request('POST', '/Users', userBody(`${name}@acme.test`))).status, 201);
      const otherUser = await server.request('POST', `/scim/v2/${other.tenantId}/Users`, userBody('linus@globex.test'), { authorization: `Bearer ${other.token}` });
      assert.equal(otherUser.status, 201);
    });
    after(() => server.close());

    /** Every page of the feed from `start` with `query`, following nextCursor. */
    async function follow(query: string, start = ''): Promise<{ events: FeedEvent[]; cursor: string }> {
      const events: FeedEvent[] = [];
      let cursor = start;
      for (;;) {
        const page = await api('GET', `/events?limit=2${query}${cursor === '' ? '' : `&after=${encodeURIComponent(cursor)}`}`);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        events.push(...(page.body.events as FeedEvent[]));
        cursor = String(page.body.nextCursor);
        if (page.body.hasMore !== true) return { events, cursor };
      }
    }

    it('returns every tenant\'s events, each once, per tenant in seq order, with a position', async () => {
      const { events, cursor } = await follow('');
      const ofTenant = (tenantId: string) => events.filter((event) => event.tenantId === tenantId).map((event) => event.seq);
      for (const tenantId of [server.tenantId, other.tenantId]) {
        const tenantFeed = await api('GET', `/events?tenant=${tenantId}&limit=1000`);
        const seqs = (tenantFeed.body.events as FeedEvent[]).map((event) => event.seq);
        assert.deepEqual(ofTenant(tenantId), seqs, 'the same events as the tenant\'s feed, in its order');
      }
      assert.equal(new Set(events.map((event) => event.position)).size, events.length);
      assert.ok(events.every((event) => /^p\d+/.test(event.position)));
      // At the end: the same cursor, nothing new; then a new event comes after it.
      const again = await api('GET', `/events?after=${encodeURIComponent(cursor)}`);
      assert.deepEqual(again.body, { events: [], nextCursor: cursor, hasMore: false });
      assert.equal((await server.request('POST', '/Users', userBody('edsger@acme.test'))).status, 201);
      const next = await follow('', cursor);
      assert.deepEqual(next.events.map((event) => event.type), ['user.created', 'member.provisioned']);
      assert.ok(next.events.some((event) => event.type === 'user.created' && event.tenantId === server.tenantId));
    });

    it('filters by tenant and by type (repeated, comma-separated, families)', async () => {
      const { events } = await follow(`&tenant=${other.tenantId}`, 'p0');
      assert.ok(events.length > 0);
      assert.ok(events.every((event) => event.tenantId === other.tenantId));
      const created = await follow('&type=user.created');
      assert.ok(created.events.length >= 3);
      assert.ok(created.events.every((event) => event.type === 'user.created'));
      const both = await follow('&type=user.created&type=tenant.created');
      const comma = await follow('&type=user.created,tenant.created');
      assert.deepEqual(comma.events, both.events);
      assert.deepEqual(new Set(both.events.map((event) => event.type)), new Set(['user.created', 'tenant.created']));
      const family = await follow('&type=tenant.*');
      assert.deepEqual(family.events.map((event) => event.type), ['tenant.created', 'tenant.created']);
    });

    it('continues a tenant feed from a position, and a global feed from a snapshot position', async () => {
      const position = await server.store.transaction((tx) => tx.events.feedPosition());
      assert.match(position, /^p\d+$/);
      assert.equal((await server.request('POST', '/Users', userBody('barbara@acme.test'))).status, 201);
      const { events } = await follow('', position);
      assert.ok(events.some((event) => event.type === 'user.created'), 'the write after the snapshot follows its position');
      const all = await follow('');
      const firstNew = all.events.findIndex((event) => event.position === events[0]?.position);
      assert.deepEqual(all.events.slice(firstNew), events, 'from the snapshot on, the feed is the same');
    });

    it('refuses bad positions, types and unknown tenants with an error body', async () => {
      for (const [query, status, code] of [
        ['?after=x', 400, 'INVALID'],
        ['?after=p1.x', 400, 'INVALID'],
        ['?after=q12', 400, 'INVALID'],
        ['?type=user.created;drop', 400, 'INVALID'],
        ['?tenant=nope', 404, 'NOT_FOUND'],
        [`?tenant=${server.tenantId}&after=-1`, 400, 'INVALID'],
      ] as const) {
        const response = await api('GET', `/events${query}`);
        assert.equal(response.status, status, query);
        assert.equal((response.body.error as { code: string }).code, code, query);
      }
    });

    it('shows a setup link\'s session its own tenant\'s events only', async () => {
      const link = await api('POST', `/tenants/${server.tenantId}/setup-links`, {});
      const login = await signIn(server, { setupToken: secretOf(link.body.url) });
      const own = await consoleRequest(server, login, 'GET', '/events?limit=1000');
      assert.equal(own.status, 200);
      const events = own.body.events as FeedEvent[];
      assert.ok(events.length > 0);
      assert.ok(events.every((event) => event.tenantId === server.tenantId));
      const otherFeed = await consoleRequest(server, login, 'GET', `/events?tenant=${other.tenantId}`);
      assert.equal(otherFeed.status, 404);
      assert.equal((otherFeed.body.error as { code: string }).code, 'NOT_FOUND');
    });
  });
}
