import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RequestLogScope, requestScope } from '../../src/service/provisioning-log/scope.js';
import { redactBody } from '../../src/service/provisioning-log/redact.js';
import { LogRecorder } from '../../src/service/provisioning-log/log-recorder.js';
import { LogRetention } from '../../src/service/provisioning-log/retention.js';
import type { ProvisioningLogEntry } from '../../src/store/log-store.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { flushProvisioningLog, startServer, userBody, type TestServer } from '../support/scim-client.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
type Entry = Omit<ProvisioningLogEntry, 'tenantId'>;

describe('request body redaction', () => {
  it('hides passwords, tokens and secrets at any depth, in PATCH values too, and cuts long bodies', () => {
    const text = redactBody({
      userName: 'a@example.com',
      password: 'hunter2',
      'urn:example:ext': { apiKey: 'k1', nested: [{ clientSecret: 's1' }] },
      Operations: [
        { op: 'replace', path: 'password', value: 'hunter3' },
        { op: 'replace', value: { password: 'hunter4', title: 'Boss' } },
      ],
    });
    assert.ok(text !== null);
    for (const secret of ['hunter2', 'hunter3', 'hunter4', 'k1', 's1']) assert.ok(!text.includes(secret), `${secret} is hidden: ${text}`);
    assert.match(text, /"title":"Boss"/);
    assert.match(text, /"userName":"a@example.com"/);
    assert.equal(redactBody(undefined), null);
    assert.match(redactBody({ big: 'x'.repeat(100) }, undefined, 20) ?? '', /^\{"big":"x{12}…\[90 more characters\]$/);
    // A long body is walked only as far as the log keeps it: the rest is not counted, and a
    // secret past the cut is not even reached.
    const many = { emails: Array.from({ length: 30_000 }, (_, i) => ({ value: `e${i}@x.io` })), password: 'hunter5' };
    const cut = redactBody(many, undefined, 100) ?? '';
    assert.match(cut, /^\{"emails":\[\{"value":"e0@x\.io"\}.{60,}…\[more characters\]$/);
    assert.equal(cut.length, 100 + '…[more characters]'.length);
    assert.ok(!cut.includes('hunter5'));
  });
});

for (const engine of testEngines()) {
  describe(`provisioning log on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;

    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());

    async function search(query: string, tenantId = server.tenantId): Promise<{ entries: Entry[]; nextCursor?: string }> {
      await flushProvisioningLog(server);
      const response = await api('GET', `/tenants/${tenantId}/provisioning-log${query}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as { entries: Entry[]; nextCursor?: string };
    }

    it('records each SCIM request: token, method, path, status, duration, user agent, resources, error, redacted body', async () => {
      const tenant = await server.addTenant('Logged');
      const headers = { authorization: `Bearer ${tenant.token}`, 'user-agent': 'Okta SCIM Client 1.0.0' };
      const created = await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody('logged@example.com', { password: 'Sup3rSecret!' }), headers);
      const id = String(created.body.id);
      await server.request('PATCH', `/scim/v2/${tenant.tenantId}/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: 'N3wSecret!' }] }, headers);
      await server.request('POST', `/scim/v2/${tenant.tenantId}/Users`, userBody('logged@example.com'), headers);
      await server.request('GET', `/scim/v2/${tenant.tenantId}/Users/${id}`, undefined, headers);
      await server.request('GET', `/scim/v2/${tenant.tenantId}/Users`, undefined, { ...headers, authorization: 'Bearer rst_wrong' });

      const { entries } = await search('', tenant.tenantId);
      assert.deepEqual(
        entries.map((entry) => [entry.method, entry.status]),
        [['GET', 200], ['POST', 409], ['PATCH', 200], ['POST', 201]],
        'newest first; the refused request is counted, not logged (refused-requests.test.ts)',
      );
      const [read, conflict, patch, create] = entries;
      assert.equal(create?.tokenName, 'test');
      assert.equal(create?.userAgent, 'Okta SCIM Client 1.0.0');
      assert.equal(create?.path, `/scim/v2/${tenant.tenantId}/Users`);
      assert.deepEqual(create?.resources, [{ type: 'User', id }]);
      assert.equal(create?.events, 2, 'user.created and member.provisioned');
      assert.equal(typeof create?.durationMs, 'number');
      assert.ok(create?.finishedAt !== null);
      assert.match(create?.requestBody ?? '', /"password":"\[REDACTED\]"/);
      assert.ok(!JSON.stringify(entries).includes('Secret!'), 'no password anywhere in the log');
      assert.equal(patch?.events, 0, 'a password is never stored, so changing it changes nothing');
      assert.deepEqual([conflict?.scimType, conflict?.events], ['uniqueness', 0]);
      assert.match(conflict?.errorDetail ?? '', /already exists/);
      assert.deepEqual(read?.resources, [{ type: 'User', id }]);
    });

    it('names the resource type and id of requests on the token-only base URL /scim/v2 as on the tenant\'s', async () => {
      const tenant = await server.addTenant('TokenOnly');
      const headers = { authorization: `Bearer ${tenant.token}` };
      const user = await server.request('POST', '/scim/v2/Users', userBody('token-only@example.com'), headers);
      const userId = String(user.body.id);
      const group = await server.request('POST', '/scim/v2/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Token only' }, headers);
      const groupId = String(group.body.id);
      await server.request('PATCH', `/scim/v2/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Pilot' }] }, headers);
      await server.request('GET', `/scim/v2/Groups/${groupId}`, undefined, headers);
      const { entries } = await search('', tenant.tenantId);
      assert.deepEqual(
        entries.map((entry) => [entry.method, entry.path, entry.resources]),
        [
          ['GET', `/scim/v2/Groups/${groupId}`, [{ type: 'Group', id: groupId }]],
          ['PATCH', `/scim/v2/Users/${userId}`, [{ type: 'User', id: userId }]],
          ['POST', '/scim/v2/Groups', [{ type: 'Group', id: groupId }]],
          ['POST', '/scim/v2/Users', [{ type: 'User', id: userId }]],
        ],
      );
    });

    it('logs one successful read per token a minute, and every failed read and every write', async () => {
      const tenant = await server.addTenant('Sampled');
      const base = `/scim/v2/${tenant.tenantId}`;
      const first = { authorization: `Bearer ${tenant.token}` };
      const other = { authorization: `Bearer ${(await server.services.tokens.issue(tenant.tenantId, { name: 'other' })).secret}` };
      const id = String((await server.request('POST', `${base}/Users`, userBody('sampled@example.com'), first)).body.id);
      for (let i = 0; i < 3; i++) await server.request('GET', `${base}/Users/${id}`, undefined, first);
      await server.request('GET', `${base}/Users?filter=${encodeURIComponent('userName eq "sampled@example.com"')}`, undefined, first);
      await server.request('POST', `${base}/Users/.search`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] }, first);
      await server.request('GET', `${base}/Users/00000000-0000-0000-0000-000000000000`, undefined, first);
      await server.request('GET', `${base}/Users/${id}`, undefined, other);
      await server.request('PATCH', `${base}/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Reader' }] }, first);
      const { entries } = await search('', tenant.tenantId);
      // Which entries, not their order: two requests can start in the same millisecond, and
      // entries of one instant have no order of their own.
      const logged = entries.map((entry) => `${entry.method} ${String(entry.status)} ${String(entry.tokenName)}`).sort();
      assert.deepEqual(
        logged,
        ['GET 200 other', 'GET 200 test', 'GET 404 test', 'PATCH 200 test', 'POST 201 test'],
        'the first read of each token is logged, the next ones in the minute are not; errors and writes are',
      );
    });

    it('logs a token\'s successful read again once its last logged one is a minute old', async () => {
      const tenant = await server.addTenant('Sampled later');
      const recorder = new LogRecorder(server.store);
      const read = (id: string, startedAt: string): ProvisioningLogEntry => ({
        tenantId: tenant.tenantId, id, startedAt, finishedAt: startedAt, tokenId: 't1', tokenName: 'one', method: 'GET', path: '/Users', status: 200,
        durationMs: 1, userAgent: null, resources: [], events: 0, scimType: null, errorDetail: null, requestBody: null, undeclared: [],
      });
      // Recent instants: the retention test below prunes every tenant's old entries.
      const t0 = Date.now() - 120_000;
      const at = (ms: number) => new Date(t0 + ms).toISOString();
      const built: string[] = [];
      const entry = (id: string, startedAt: string, tokenId = 't1') => () => {
        built.push(id);
        return { ...read(id, startedAt), tokenId };
      };
      recorder.read(tenant.tenantId, 't1', entry('r1', at(0)), t0);
      recorder.read(tenant.tenantId, 't1', entry('r2', at(59_999)), t0 + 59_999);
      recorder.read(tenant.tenantId, 't1', entry('r3', at(60_000)), t0 + 60_000);
      recorder.read(tenant.tenantId, 't2', entry('r4', at(60_000), 't2'), t0 + 60_000);
      assert.deepEqual(built, ['r1', 'r3', 'r4'], 'the entry of a read left out is never built');
      await recorder.flush();
      assert.deepEqual((await search('', tenant.tenantId)).entries.map((entry) => entry.id).sort(), ['r1', 'r3', 'r4']);
    });

    it('searches by status, resource, text and time, a page at a time', async () => {
      const tenant = await server.addTenant('Search');
      const headers = { authorization: `Bearer ${tenant.token}` };
      const base = `/scim/v2/${tenant.tenantId}`;
      const ids: string[] = [];
      for (const name of ['one', 'two', 'three']) ids.push(String((await server.request('POST', `${base}/Users`, userBody(`${name}@example.com`), headers)).body.id));
      await server.request('GET', `${base}/Users/00000000-0000-0000-0000-000000000000`, undefined, headers);
      await server.request('PATCH', `${base}/Users/${ids[1]}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Needle Finder' }] }, headers);
      const q = (query: string) => search(query, tenant.tenantId);

      assert.deepEqual((await q('?status=404')).entries.map((entry) => entry.status), [404]);
      assert.deepEqual((await q('?status=4xx')).entries.map((entry) => entry.status), [404]);
      assert.equal((await q('?status=2xx')).entries.length, 4);
      assert.deepEqual((await q(`?resource=${ids[1]}`)).entries.map((entry) => entry.method), ['PATCH', 'POST']);
      assert.deepEqual((await q('?q=needle%20FINDER')).entries.map((entry) => entry.method), ['PATCH']);
      assert.equal((await q('?q=50%25')).entries.length, 0, 'LIKE wildcards in the text are literal');
      assert.equal((await q('?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z')).entries.length, 0);
      assert.equal((await q(`?until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).entries.length, 5);

      const first = await q('?limit=2');
      assert.equal(first.entries.length, 2);
      const second = await q(`?limit=2&cursor=${first.nextCursor}`);
      const third = await q(`?limit=2&cursor=${second.nextCursor}`);
      assert.equal(third.nextCursor, undefined);
      const all = [...first.entries, ...second.entries, ...third.entries].map((entry) => entry.id);
      assert.equal(new Set(all).size, 5);
      assert.equal((await api('GET', `/tenants/${tenant.tenantId}/provisioning-log?status=abc`)).status, 400);
      assert.equal((await api('GET', '/tenants/nope/provisioning-log')).status, 404);
    });

    it('commits a write\'s entry in its transaction: a failed write leaves none, a committed one always has one', async () => {
      const store = server.services.store;
      const facts = { startedAt: new Date().toISOString(), method: 'POST', path: '/scim/v2/x/Users', userAgent: null, tenantId: server.tenantId, tokenId: null, tokenName: 'test', requestBody: null };
      const failing = new RequestLogScope(facts);
      await assert.rejects(
        requestScope.run(failing, () =>
          store.transaction(async (tx) => {
            await tx.events.append(server.tenantId, [{ type: 'user.created', resourceType: 'User', resourceId: 'ghost', payload: {} }], facts.startedAt);
            throw new Error('the write fails after its event');
          }),
        ),
      );
      assert.equal(failing.written, false);
      const committed = new RequestLogScope(facts);
      await requestScope.run(committed, () =>
        store.transaction((tx) => tx.events.append(server.tenantId, [{ type: 'user.created', resourceType: 'User', resourceId: 'real', payload: {} }], facts.startedAt)),
      );
      assert.equal(committed.written, true);
      // Read straight from the store: no response has completed these entries.
      const rows = await server.store.read.provisioningLog.search(server.tenantId, { limit: 1000 });
      assert.equal(rows.find((row) => row.id === failing.id), undefined, 'the rolled-back write left no entry');
      const row = rows.find((entry) => entry.id === committed.id);
      assert.deepEqual([row?.events, row?.status, row?.resources], [1, null, [{ type: 'User', id: 'real' }]]);
      const events = await server.store.read.events.list(server.tenantId, 0, 1000);
      assert.equal(events.filter((event) => event.resourceId === 'ghost').length, 0);

      // Over HTTP: the entry is there the moment the response is, before the recorder runs.
      const created = await server.request('POST', '/Users', userBody('instant@example.com'));
      const logged = await server.store.read.provisioningLog.search(server.tenantId, { limit: 5, resourceId: String(created.body.id) });
      assert.equal(logged[0]?.events, 2, 'user.created and member.provisioned');
    });

    it('logs each transaction of a /Bulk request into one entry with every resource', async () => {
      const response = await server.request('POST', '/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: userBody('bulk-a@example.com') },
          { method: 'POST', path: '/Users', bulkId: 'b', data: userBody('bulk-b@example.com') },
          { method: 'POST', path: '/Users', bulkId: 'c', data: userBody('bulk-a@example.com') },
        ],
      });
      assert.equal(response.status, 200);
      const [entry] = (await search('?q=bulk-b')).entries;
      assert.equal(entry?.resources.length, 2);
      assert.equal(entry?.events, 4, 'each user: user.created and member.provisioned');
      assert.match(entry?.errorDetail ?? '', /1 of 3 bulk operations failed/);
      // Each operation's transaction adds the search row of its own resource.
      const operations = (response.body.Operations as { status: string; location?: string }[]).filter((operation) => operation.status === '201');
      assert.equal(operations.length, 2);
      for (const operation of operations) {
        const resourceId = String(operation.location?.split('/').at(-1));
        const found = await server.store.read.provisioningLog.search(server.tenantId, { limit: 5, resourceId });
        assert.deepEqual(found.map((logged) => logged.id), [entry?.id], `the entry is found by ${resourceId}`);
      }
    });

    it('prunes entries older than the retention', async () => {
      const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
      const entry: ProvisioningLogEntry = {
        tenantId: server.tenantId,
        id: 'old-entry',
        startedAt: old,
        finishedAt: old,
        tokenId: null,
        tokenName: null,
        method: 'GET',
        path: '/scim/v2/Users',
        status: 200,
        durationMs: 1,
        userAgent: null,
        resources: [{ type: 'User', id: 'someone' }],
        events: 0,
        scimType: null,
        errorDetail: null,
        requestBody: null,
        undeclared: [],
      };
      await server.store.read.provisioningLog.insertMany([entry]);
      const before = (await search('')).entries.length;
      const retention = new LogRetention(server.services.provisioningLog, { retentionMs: 30 * 86_400_000, intervalMs: 60_000 });
      assert.equal(await retention.pruneNow(), 1);
      assert.equal((await search('')).entries.length, before - 1);
      assert.equal((await search('?resource=someone')).entries.length, 0);
    });

    it('serves Prometheus metrics: requests by operation and status, latency, queue depth', async () => {
      await server.request('GET', '/Users?count=1');
      const response = await server.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      assert.match(response.body, /roster_scim_requests_total\{operation="GET \/Users",status="200",tenant_class="default"\} \d+/);
      assert.match(response.body, /roster_scim_request_duration_seconds_bucket\{le="0.1",operation="GET \/Users",tenant_class="default"\}/);
      assert.match(response.body, /roster_webhook_queue_depth \d+/);
      assert.doesNotMatch(response.body, new RegExp(server.tenantId), 'no tenant ids in labels');
    });
  });
}
