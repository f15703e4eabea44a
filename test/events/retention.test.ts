import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadRetention } from '../../src/config-retention.js';
import { EventRetention } from '../../src/service/event-retention.js';
import type { EventRecord } from '../../src/store/records.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';

const DAY = 86_400_000;
/** Lets the clock move on, so that events before and after a recorded time differ in occurredAt. */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));

for (const engine of testEngines()) {
  describe(`event retention on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    let retention: EventRetention;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
      // Small batches, so that a prune takes several transactions.
      retention = new EventRetention(server.store, { retentionMs: DAY, pausedMaxMs: 3 * DAY, intervalMs: 60_000, batchSize: 2 });
    });
    after(() => server.close());

    const lastSeq = (): Promise<number> => server.store.read.events.lastSeq(server.tenantId);
    const prunedSeq = (): Promise<number> => server.store.read.retention.prunedSeq(server.tenantId);
    const createUser = async (userName: string): Promise<void> => {
      assert.equal((await server.request('POST', '/Users', userBody(userName))).status, 201);
    };
    const storedEvents = (): Promise<readonly EventRecord[]> => server.store.read.events.list(server.tenantId, 0, 1000);

    async function addEndpoint(enabled: boolean): Promise<string> {
      const id = randomUUID();
      const at = new Date().toISOString();
      await server.store.transaction(async (tx) => {
        await tx.webhooks.insertEndpoint({ id, tenantId: server.tenantId, url: 'https://receiver.test/hook', eventTypes: [], description: '', enabled, createdAt: at, updatedAt: at }, 'whsec_c2VjcmV0');
        await tx.webhooks.startCursors(id, server.tenantId);
      });
      return id;
    }

    it('prunes old events but keeps what an enabled endpoint has not received, and a paused one\'s up to the maximum', async () => {
      const enabled = await addEndpoint(true);
      const paused = await addEndpoint(false);
      const start = await lastSeq();
      await createUser('ada@acme.test');
      const first = await lastSeq();
      await tick();
      const t1 = Date.now();
      await tick();
      await createUser('bob@acme.test');
      const second = await lastSeq();

      // Events before t1 are past the retention, but both endpoints' cursors are at `start`.
      await retention.pruneNow(t1 + DAY);
      assert.equal(await prunedSeq(), start);
      assert.equal((await storedEvents())[0]?.seq, start + 1);

      // The enabled endpoint has fanned everything out, the first user event still pending.
      await server.store.transaction(async (tx) => {
        await tx.webhooks.advanceCursor(enabled, server.tenantId, second);
        await tx.webhooks.insertDeliveries([{ tenantId: server.tenantId, id: randomUUID(), endpointId: enabled, eventSeq: start + 1, eventType: 'user.created', resourceKey: 'User:x' }], new Date(t1).toISOString());
      });
      await retention.pruneNow(t1 + DAY);
      assert.equal(await prunedSeq(), start, 'the paused endpoint keeps its place within the maximum');
      await retention.pruneNow(t1 + 3 * DAY);
      assert.equal(await prunedSeq(), start, 'past the maximum, the enabled endpoint\'s pending delivery still holds');

      const tasks = await server.store.transaction((tx) => tx.webhooks.claim('test', new Date().toISOString(), new Date(Date.now() + 60_000).toISOString(), 10));
      assert.equal(tasks.length, 1);
      await server.store.transaction((tx) => tx.webhooks.finishAttempt(server.tenantId, tasks[0]?.delivery.id ?? '', 'test', { kind: 'delivered', status: 204 }, new Date().toISOString()));
      await retention.pruneNow(t1 + 3 * DAY);
      assert.equal(await prunedSeq(), first, 'the paused endpoint lost what is older than the maximum, not what is newer');

      // Without endpoints, time alone decides.
      await server.store.transaction(async (tx) => {
        await tx.webhooks.deleteEndpoint(enabled);
        await tx.webhooks.deleteEndpoint(paused);
      });
      await tick();
      const t2 = Date.now();
      await tick();
      await createUser('cy@acme.test');
      const removed = await retention.pruneNow(t2 + DAY);
      assert.equal(removed, second - first);
      assert.equal(await prunedSeq(), second);
      assert.equal((await storedEvents())[0]?.seq, second + 1);
    });

    it('answers 410 with a SCIM-style body to a feed position older than what is kept, never a gap', async () => {
      const seq = await lastSeq();
      const kept = await storedEvents();
      await createUser('dee@acme.test');
      await tick();
      const t = Date.now();
      await tick();
      await createUser('eve@acme.test');
      const all = await storedEvents();
      const beforeLast = all.find((event) => event.seq === seq);
      const last = all.find((event) => event.seq === seq + 1);
      const pruneTo = all.filter((event) => Date.parse(event.occurredAt) < t).at(-1);
      assert.ok(kept.length > 0 && beforeLast !== undefined && last !== undefined && pruneTo !== undefined);

      await retention.pruneNow(t + DAY);
      const horizon = await prunedSeq();
      assert.equal(horizon, pruneTo.seq);

      const expired = await api('GET', `/events?tenant=${server.tenantId}&after=${horizon - 1}`);
      assert.equal(expired.status, 410);
      assert.deepEqual(expired.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
      assert.equal(expired.body.status, '410');
      assert.match(String(expired.body.detail), /older than the events Roster keeps.*new snapshot/s);
      assert.equal((expired.body.error as { code: string }).code, 'FEED_POSITION_EXPIRED');

      const fromHorizon = await api('GET', `/events?tenant=${server.tenantId}&after=${horizon}`);
      assert.equal(fromHorizon.status, 200);
      assert.equal((fromHorizon.body.events as { seq: number }[])[0]?.seq, horizon + 1);
      assert.equal((await api('GET', `/events?tenant=${server.tenantId}`)).status, 200, 'no cursor: the oldest event kept');

      // The global feed, of every tenant or filtered to one: by position.
      const pruned = all.find((event) => event.seq === horizon - 1);
      const lastPruned = all.find((event) => event.seq === horizon);
      assert.ok(pruned !== undefined && lastPruned !== undefined);
      for (const tenant of ['', `&tenant=${server.tenantId}`]) {
        const gone = await api('GET', `/events?after=${encodeURIComponent(pruned.position)}${tenant}`);
        assert.equal(gone.status, 410);
        assert.equal((gone.body.error as { code: string }).code, 'FEED_POSITION_EXPIRED');
        const next = await api('GET', `/events?after=${encodeURIComponent(lastPruned.position)}${tenant}`);
        assert.equal(next.status, 200);
        assert.equal((next.body.events as { seq: number }[])[0]?.seq, horizon + 1);
      }
      assert.equal((await api('GET', '/events?after=p0')).status, 410);
    });

    it('keeps a new tenant\'s events for a global endpoint that has not read that tenant yet', async () => {
      const id = randomUUID();
      const at = new Date().toISOString();
      await server.store.transaction(async (tx) => {
        await tx.webhooks.insertEndpoint({ id, tenantId: null, url: 'https://receiver.test/all', eventTypes: ['group.*'], description: '', enabled: true, createdAt: at, updatedAt: at }, 'whsec_c2VjcmV0');
        await tx.webhooks.startCursors(id, null);
      });
      const { tenantId } = await server.addTenant('Later');
      const later = await server.store.read.events.lastSeq(tenantId);
      await retention.pruneNow(Date.now() + 10 * DAY);
      assert.equal(await server.store.read.retention.prunedSeq(tenantId), 0, 'no cursor yet: the endpoint starts at the tenant\'s first event');
      // The fan-out reads the tenant (its events match no type of the endpoint: the cursor moves all the same).
      await server.store.transaction(async (tx) => {
        assert.equal(await tx.webhooks.lockCursor(id, tenantId), 0);
        await tx.webhooks.advanceCursor(id, tenantId, later);
      });
      await retention.pruneNow(Date.now() + 10 * DAY);
      assert.equal(await server.store.read.retention.prunedSeq(tenantId), later);
      await server.store.transaction((tx) => tx.webhooks.deleteEndpoint(id));
    });
  });
}

describe('event retention settings', () => {
  it('reads the documented variables, with their defaults', () => {
    assert.deepEqual(loadRetention({}), { eventDays: 30, eventMaxDays: 90, pruneIntervalMs: 3_600_000, erasureIntervalMs: 10_000 });
    assert.deepEqual(loadRetention({ ROSTER_EVENT_RETENTION_DAYS: '120' }).eventMaxDays, 120, 'the maximum is never below the retention');
    assert.deepEqual(loadRetention({ ROSTER_EVENT_RETENTION_DAYS: '7', ROSTER_EVENT_RETENTION_MAX_DAYS: '14', ROSTER_EVENT_PRUNE_INTERVAL_MS: '60000', ROSTER_ERASURE_INTERVAL_MS: '500' }), {
      eventDays: 7,
      eventMaxDays: 14,
      pruneIntervalMs: 60_000,
      erasureIntervalMs: 500,
    });
  });

  it('refuses out-of-range values with a message naming the variable', () => {
    assert.throws(() => loadRetention({ ROSTER_EVENT_RETENTION_DAYS: '-1' }), /ROSTER_EVENT_RETENTION_DAYS/);
    assert.throws(() => loadRetention({ ROSTER_EVENT_RETENTION_DAYS: '30', ROSTER_EVENT_RETENTION_MAX_DAYS: '10' }), /ROSTER_EVENT_RETENTION_MAX_DAYS "10": use a whole number from 30/);
    assert.throws(() => loadRetention({ ROSTER_EVENT_PRUNE_INTERVAL_MS: 'often' }), /ROSTER_EVENT_PRUNE_INTERVAL_MS/);
  });
});
