import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA, startServer, userBody, type TestServer } from '../support/scim-client.js';

interface FeedEvent {
  seq: number;
  type: string;
  resource: { id: string };
  data: { memberId?: string; memberType?: string; userName?: string; displayName?: string; group?: { id: string; displayName: string }; status?: string; previousStatus?: string };
}

for (const engine of testEngines()) {
  describe(`memberships ended by a deletion emit events on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());

    async function eventsAfter(seq: number): Promise<FeedEvent[]> {
      const page = await api('GET', `/events?tenant=${server.tenantId}&after=${seq}&limit=1000`);
      assert.equal(page.status, 200);
      return page.body.events as FeedEvent[];
    }

    const lastSeq = (): Promise<number> => server.store.read.events.lastSeq(server.tenantId);

    it('a user\'s DELETE ends its memberships with group.member_removed, a group\'s DELETE its memberships in other groups', async () => {
      const user = String((await server.request('POST', '/Users', userBody('ada@acme.test'))).body.id);
      const child = String((await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Child', members: [{ value: user }] })).body.id);
      const parent = String(
        (await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Parent', members: [{ value: user }, { value: child }] })).body.id,
      );

      let start = await lastSeq();
      assert.equal((await server.request('DELETE', `/Users/${user}`)).status, 204);
      let events = await eventsAfter(start);
      const removed = events.filter((e) => e.type === 'group.member_removed');
      assert.deepEqual(removed.map((e) => e.resource.id).sort(), [child, parent].sort());
      assert.ok(removed.every((e) => e.data.memberId === user && e.data.memberType === 'User' && e.data.userName === 'ada@acme.test' && e.data.displayName === undefined));
      assert.deepEqual(new Set(removed.map((e) => e.data.group?.displayName)), new Set(['Child', 'Parent']));
      // The removals, then the deletion, then what the deletion did to the member.
      assert.deepEqual(
        events.map((e) => e.type),
        ['group.member_removed', 'group.member_removed', 'user.deleted', 'member.status_changed'],
      );
      assert.deepEqual([events[3]?.data.status, events[3]?.data.previousStatus], ['archived', 'active']);
      assert.equal(((await server.request('GET', `/Groups/${parent}`)).body.members as unknown[]).length, 1);

      start = await lastSeq();
      assert.equal((await server.request('DELETE', `/Groups/${child}`)).status, 204);
      events = await eventsAfter(start);
      assert.deepEqual(
        events.map((e) => [e.type, e.resource.id, e.data.memberId ?? null, e.data.memberType ?? null, e.data.displayName ?? null]),
        [
          ['group.member_removed', parent, child, 'Group', 'Child'],
          ['group.deleted', child, null, null, null],
        ],
      );
    });
  });
}
