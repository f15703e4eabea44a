import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LogRecorder } from '../../src/service/provisioning-log/log-recorder.js';
import { LogRetention } from '../../src/service/provisioning-log/retention.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { flushProvisioningLog, startServer, type TestServer } from '../support/scim-client.js';

interface Minute {
  minute: string;
  count: number;
  lastAt: string;
  lastStatus: number;
  lastUserAgent: string | null;
}
interface Summary {
  total: number;
  since: string;
  minutes: Minute[];
}

for (const engine of testEngines()) {
  describe(`refused requests on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());

    it('counts requests without valid credentials per minute, and stores none of them one by one', async () => {
      const tenant = await server.addTenant('Flooded');
      const legitimate = await server.request('GET', `/scim/v2/${tenant.tenantId}/Users`, undefined, { authorization: `Bearer ${tenant.token}` });
      assert.equal(legitimate.status, 200);
      const longPath = `/scim/v2/${tenant.tenantId}/Users?filter=${'x'.repeat(1900)}`;
      for (let i = 0; i < 120; i += 1) {
        // Times are kept to the millisecond and requests answered in the same one tie (the log
        // may hear of them in either order): the last request starts clearly later.
        if (i === 119) await new Promise((resolve) => setTimeout(resolve, 5));
        const response = await server.request('GET', i % 2 === 0 ? longPath : `/scim/v2/${tenant.tenantId}/Groups/${i}`, undefined, {
          authorization: i % 3 === 0 ? 'Bearer rst_wrong' : 'Basic Zm9vOmJhcg==',
          'user-agent': `attacker-${i}-${'u'.repeat(1000)}`,
        });
        assert.equal(response.status, 401);
      }
      await flushProvisioningLog(server);

      const log = await api('GET', `/tenants/${tenant.tenantId}/provisioning-log?limit=500`);
      assert.equal(log.status, 200);
      const entries = log.body.entries as { status: number }[];
      assert.deepEqual(entries.map((entry) => entry.status), [200], 'the log holds the real request only');

      const response = await api('GET', `/tenants/${tenant.tenantId}/refused-requests`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.headers['cache-control'], 'no-store');
      const summary = response.body as unknown as Summary;
      assert.equal(summary.total, 120);
      assert.ok(summary.minutes.length <= 2, `one row a minute: ${summary.minutes.length}`);
      const [latest] = summary.minutes;
      assert.equal(latest?.lastStatus, 401);
      assert.match(latest?.lastUserAgent ?? '', /^attacker-119-u+…$/);
      assert.ok((latest?.lastUserAgent ?? '').length <= 201, 'the user agent is cut short');
      const rows = await server.store.read.refusedRequests.list(tenant.tenantId, '2000-01-01T00:00:00.000Z', 100);
      assert.equal(rows.length, summary.minutes.length);
    });

    it('counts nothing for tenants that do not exist, nor on the token-only base URL', async () => {
      assert.equal((await server.request('GET', '/scim/v2/no-such-tenant/Users', undefined, { authorization: 'Bearer rst_wrong' })).status, 401);
      assert.equal((await server.request('GET', '/scim/v2/Users', undefined, { authorization: 'Bearer rst_wrong' })).status, 401);
      await flushProvisioningLog(server);
      const summary = (await api('GET', `/tenants/${server.tenantId}/refused-requests`)).body as unknown as Summary;
      assert.equal(summary.total, 0);
    });

    it('answers 404 for an unknown tenant and 400 for a malformed since, with error bodies', async () => {
      const missing = await api('GET', '/tenants/nope/refused-requests');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { error: { code: 'NOT_FOUND', message: 'Tenant nope does not exist.' } });
      const malformed = await api('GET', `/tenants/${server.tenantId}/refused-requests?since=yesterday`);
      assert.equal(malformed.status, 400);
      assert.match(String((malformed.body.error as { message?: string }).message), /"since" must be an ISO-8601/);
      const unknown = await api('GET', `/tenants/${server.tenantId}/refused-requests?limit=3`);
      assert.equal(unknown.status, 400);
      assert.equal(typeof (unknown.body.error as { code?: string }).code, 'string');
      const anonymous = await server.app.inject({ method: 'GET', url: `/api/v1/tenants/${server.tenantId}/refused-requests` });
      assert.equal(anonymous.statusCode, 401);
    });

    it('adds up counts from batches and processes in one row, keeps the latest request\'s details, and prunes with the log', async () => {
      const tenant = await server.addTenant('Merged');
      const first = new LogRecorder(server.store);
      const second = new LogRecorder(server.store);
      first.refused(tenant.tenantId, '2020-03-01T10:15:05.000Z', 401, 'one');
      first.refused(tenant.tenantId, '2020-03-01T10:15:50.000Z', 401, 'three');
      second.refused(tenant.tenantId, '2020-03-01T10:15:20.000Z', 401, 'two');
      first.refused(tenant.tenantId, '2020-03-01T10:16:01.000Z', 401, null);
      await first.flush();
      await second.flush();
      const summary = (await api('GET', `/tenants/${tenant.tenantId}/refused-requests?since=2020-03-01T10:15:30Z`)).body as unknown as Summary;
      assert.deepEqual(
        summary.minutes.map((minute) => [minute.minute, minute.count, minute.lastAt, minute.lastUserAgent]),
        [
          ['2020-03-01T10:16:00.000Z', 1, '2020-03-01T10:16:01.000Z', null],
          ['2020-03-01T10:15:00.000Z', 3, '2020-03-01T10:15:50.000Z', 'three'],
        ],
      );
      assert.equal(summary.total, 4);
      const retention = new LogRetention(server.services.provisioningLog, { retentionMs: 86_400_000, intervalMs: 60_000 });
      await retention.pruneNow();
      assert.deepEqual(await server.store.read.refusedRequests.list(tenant.tenantId, '2000-01-01T00:00:00.000Z', 10), []);
    });
  });
}
