import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { testEngines } from '../support/engines.js';
import { ENTERPRISE, GROUP_SCHEMA, assertScimError, startServer, userBody, type Json, type ScimResponse, type TestServer } from '../support/scim-client.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function bulkBody(operations: unknown[], extra: Json = {}): Json {
  return { schemas: [BULK_REQUEST], ...extra, Operations: operations };
}

/** The response's Operations, after checking the BulkResponse envelope. */
function resultsOf(response: ScimResponse): Json[] {
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(response.body.schemas, [BULK_RESPONSE]);
  assert.match(String(response.headers['content-type']), /^application\/scim\+json/);
  return response.body.Operations as Json[];
}

/** Asserts a failed operation's entry: its status and the SCIM error body in `response`. */
function assertFailed(result: Json | undefined, status: number, scimType?: string): Json {
  assert.ok(result !== undefined, 'missing operation result');
  assert.equal(result.status, String(status), JSON.stringify(result));
  const body = result.response as Json;
  assert.deepEqual(body.schemas, [ERROR]);
  assert.equal(body.status, String(status));
  assert.equal(body.scimType, scimType);
  assert.equal(typeof body.detail, 'string');
  return body;
}

/** The id at the end of a result's location. */
function idOf(result: Json | undefined): string {
  const location = String(result?.location);
  return decodeURIComponent(location.slice(location.lastIndexOf('/') + 1));
}

const postUser = (bulkId: string, userName: string, extra: Json = {}): Json => ({ method: 'POST', path: '/Users', bulkId, data: userBody(userName, extra) });
const postGroup = (bulkId: string, displayName: string, members: string[] = []): Json => ({
  method: 'POST',
  path: '/Groups',
  bulkId,
  data: { schemas: [GROUP_SCHEMA], displayName, members: members.map((value) => ({ value })) },
});

for (const engine of testEngines()) {
  describe(`/Bulk on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());
    const bulk = (operations: unknown[], extra: Json = {}): Promise<ScimResponse> => server.request('POST', '/Bulk', bulkBody(operations, extra));
    const membershipIds = async (groupId: string): Promise<string[]> =>
      (((await server.request('GET', `/Groups/${groupId}`)).body.members as Json[] | undefined) ?? []).map((member) => String(member.value)).sort();

    it('advertises bulk with its limits in ServiceProviderConfig', async () => {
      const config = await server.request('GET', '/ServiceProviderConfig');
      assert.deepEqual(config.body.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 1_048_576 });
    });

    it('creates a user and a group that references it by bulkId (RFC 7644 §3.7.2)', async () => {
      const results = resultsOf(await bulk([postUser('ada', 'bulk-ada@example.com'), postGroup('eng', 'Bulk Engineering', ['bulkId:ada'])]));
      assert.equal(results.length, 2);
      const [user, group] = results;
      const userId = idOf(user);
      assert.deepEqual(user, { location: `https://roster.test${server.base}/Users/${userId}`, method: 'POST', bulkId: 'ada', version: 'W/"1"', status: '201' });
      assert.equal(group?.method, 'POST');
      assert.equal(group?.bulkId, 'eng');
      assert.equal(group?.status, '201');
      assert.equal(group?.response, undefined);
      assert.match(String(group?.location), new RegExp(`^https://roster.test${server.base}/Groups/`));
      assert.deepEqual(await membershipIds(idOf(group)), [userId]);
      const read = await server.request('GET', `/Users/${userId}`);
      assert.equal(read.body.userName, 'bulk-ada@example.com');
      assert.equal((read.body.groups as Json[])[0]?.value, idOf(group));
    });

    it('runs a POST referenced by an earlier operation first, keeping request order otherwise', async () => {
      const results = resultsOf(await bulk([postGroup('g', 'Reordered', ['bulkId:late1', 'bulkId:late2']), postUser('late1', 'late1@example.com'), postUser('late2', 'late2@example.com')]));
      assert.deepEqual(results.map((result) => [result.bulkId, result.status]), [['g', '201'], ['late1', '201'], ['late2', '201']]);
      assert.deepEqual(await membershipIds(idOf(results[0])), [idOf(results[1]), idOf(results[2])].sort());
    });

    it('resolves bulkId references in paths and in extension attributes', async () => {
      const results = resultsOf(
        await bulk([
          postUser('boss', 'boss@example.com'),
          postUser('report', 'report@example.com', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], [ENTERPRISE]: { manager: { value: 'bulkId:boss' } } }),
          { method: 'PATCH', path: '/Users/bulkId:report', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Analyst' }] } },
          postGroup('team', 'Team'),
          { method: 'PATCH', path: '/Groups/bulkId:team', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:report' }] }] } },
          { method: 'PUT', path: '/Users/bulkId:boss', data: userBody('boss@example.com', { title: 'Boss' }) },
        ]),
      );
      const [boss, report, patchUser, team, patchGroup, put] = results;
      assert.deepEqual(results.map((result) => result.status), ['201', '201', '200', '201', '204', '200']);
      assert.equal(patchUser?.location, report?.location);
      assert.equal(patchUser?.version, 'W/"2"');
      assert.equal(patchGroup?.location, team?.location);
      assert.equal(put?.location, boss?.location);
      const read = await server.request('GET', `/Users/${idOf(report)}`);
      assert.equal((read.body[ENTERPRISE] as Json & { manager: Json }).manager.value, idOf(boss));
      assert.equal(read.body.title, 'Analyst');
      assert.deepEqual(await membershipIds(idOf(team)), [idOf(report)]);
      assert.equal((await server.request('GET', `/Users/${idOf(boss)}`)).body.title, 'Boss');
    });

    it('resolves circular references through a multi-valued attribute (RFC 7644 §3.7.1)', async () => {
      // The user's entitlement names the group, the group's members name the user.
      const results = resultsOf(await bulk([postUser('cu', 'circular@example.com', { entitlements: [{ value: 'bulkId:cg' }] }), postGroup('cg', 'Circular', ['bulkId:cu'])]));
      const [user, group] = results;
      assert.deepEqual(results.map((result) => result.status), ['201', '201']);
      const read = await server.request('GET', `/Users/${idOf(user)}`);
      assert.deepEqual((read.body.entitlements as Json[]).map((item) => item.value), [idOf(group)]);
      assert.deepEqual(await membershipIds(idOf(group)), [idOf(user)]);
      // Each result shows the version after any deferred elements were added.
      assert.equal(user?.version, read.headers.etag);
      assert.equal(group?.version, (await server.request('GET', `/Groups/${idOf(group)}`)).headers.etag);
    });

    it('reports a create whose held-back elements were never added because failOnErrors stopped the request', async () => {
      await server.request('POST', '/Users', userBody('held@example.com'));
      // The group runs first without its member; the user then fails, and processing stops.
      const results = resultsOf(await bulk([postUser('hu', 'held@example.com', { entitlements: [{ value: 'bulkId:hg' }] }), postGroup('hg', 'Held', ['bulkId:hu'])], { failOnErrors: 1 }));
      assertFailed(results[0], 409, 'uniqueness');
      assert.match(String(assertFailed(results[1], 409).detail), /created without .*members \(1\).*failOnErrors/);
      assert.ok(results[1]?.location !== undefined);
    });

    it('attempts the RFC §3.7.1 groups that contain each other, and reports the nested-group cycle Roster refuses', async () => {
      // B is created first without A, then A with B, then adding A to B would close the cycle.
      const [first, second] = resultsOf(await bulk([postGroup('qwerty', 'Group A', ['bulkId:ytrewq']), postGroup('ytrewq', 'Group B', ['bulkId:qwerty'])]));
      assert.equal(first?.status, '201');
      const body = assertFailed(second, 400, 'invalidValue');
      assert.match(String(body.detail), /created.*cycle of nested groups/);
      assert.ok(second?.location !== undefined, 'the created group keeps its location');
      assert.deepEqual(await membershipIds(idOf(first)), [idOf(second)]);
      assert.deepEqual(await membershipIds(idOf(second)), []);
    });

    it('fails circular references outside multi-valued attributes with 409, and what depends on them', async () => {
      const managed = (bulkId: string, userName: string, manager: string): Json =>
        postUser(bulkId, userName, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], [ENTERPRISE]: { manager: { value: `bulkId:${manager}` } } });
      const results = resultsOf(await bulk([managed('m1', 'm1@example.com', 'm2'), managed('m2', 'm2@example.com', 'm1'), postGroup('mg', 'Managers', ['bulkId:m1'])]));
      assert.match(String(assertFailed(results[0], 409).detail), /circular/);
      assert.match(String(assertFailed(results[1], 409).detail), /circular/);
      assert.match(String(assertFailed(results[2], 409).detail), /bulkId:m1.*failed/);
      assert.equal(results[0]?.location, undefined);
      const listed = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "m1@example.com"')}`);
      assert.equal(listed.body.totalResults, 0);
    });

    it('answers each failing operation with its own status and SCIM error, and runs the rest', async () => {
      await server.request('POST', '/Users', userBody('taken@example.com'));
      const results = resultsOf(
        await bulk([
          { method: 'POST', path: '/Users', bulkId: 'noname', data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] } },
          postUser('dup', 'taken@example.com'),
          { method: 'PUT', path: '/Users/no-such-id', data: userBody('x@example.com') },
          { method: 'GET', path: '/Users' },
          { method: 'DELETE', path: '/Widgets/1' },
          { method: 'POST', path: '/Users', data: userBody('no-bulk-id@example.com') },
          { method: 'PATCH', path: '/Users/no-such-id' },
          { method: 'POST', path: '/Users/123', bulkId: 'x', data: userBody('x@example.com') },
          { method: 'DELETE', path: '/Groups' },
          postGroup('ghost', 'Ghost', ['bulkId:nobody']),
          postGroup('orphan', 'Orphan', ['bulkId:noname']),
          { method: 'PATCH', path: '/Users/bulkId:dup', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] } },
          postUser('fine', 'fine@example.com'),
          { path: '/Users' },
        ]),
      );
      assert.deepEqual(results.map((result) => result.method), ['POST', 'POST', 'PUT', 'GET', 'DELETE', 'POST', 'PATCH', 'POST', 'DELETE', 'POST', 'POST', 'PATCH', 'POST', undefined]);
      assertFailed(results[0], 400, 'invalidValue');
      assert.equal(results[0]?.location, undefined, 'a failed POST has no location');
      assert.equal(results[0]?.bulkId, 'noname');
      assertFailed(results[1], 409, 'uniqueness');
      assertFailed(results[2], 404);
      assert.equal(results[2]?.location, `https://roster.test${server.base}/Users/no-such-id`);
      assertFailed(results[3], 405);
      assertFailed(results[4], 404);
      assertFailed(results[5], 400, 'invalidSyntax');
      assertFailed(results[6], 400, 'invalidSyntax');
      assertFailed(results[7], 405);
      assertFailed(results[8], 405);
      assert.match(String(assertFailed(results[9], 400, 'invalidValue').detail), /bulkId:nobody/);
      assert.match(String(assertFailed(results[10], 409).detail), /bulkId:noname.*Operations\[0\].*failed/);
      assertFailed(results[11], 409);
      assert.equal(results[12]?.status, '201');
      assertFailed(results[13], 400, 'invalidSyntax');
      for (const result of results) assert.doesNotMatch(JSON.stringify(result), /\bat .+\.(ts|js):\d+/);
    });

    it("writes the group's events in one append at its commit, without the failed operation's, numbered without gaps", async () => {
      const { tenantId } = server;
      const before = await server.store.read.events.lastSeq(tenantId);
      const results = resultsOf(
        await bulk([
          postUser('a', 'append-a@example.com'),
          postUser('dup', 'append-a@example.com'),
          { method: 'PATCH', path: '/Users/bulkId:a', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] } },
          postUser('b', 'append-b@example.com'),
        ]),
      );
      assert.deepEqual(results.map((result) => result.status), ['201', '409', '200', '201']);
      const events = await server.store.read.events.list(tenantId, before, 100);
      assert.deepEqual(events.map((event) => event.seq), events.map((_, index) => before + 1 + index), 'gap-free');
      const userEvents = events.filter((event) => event.resourceType === 'User' && event.type.startsWith('user.'));
      assert.deepEqual(userEvents.map((event) => `${event.type} ${event.resourceId}`), [`user.created ${idOf(results[0])}`, `user.updated ${idOf(results[0])}`, `user.created ${idOf(results[3])}`]);
      // One reservation for the whole group: every event carries the same feed key.
      assert.equal(new Set(events.map((event) => event.position.split('.')[0])).size, 1);
    });

    it('runs a bad PATCH as its own failure without touching the resource', async () => {
      const created = await server.request('POST', '/Users', userBody('patch-me@example.com', { title: 'Before' }));
      const id = String(created.body.id);
      const results = resultsOf(
        await bulk([{ method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'nope', value: 1 }] } }]),
      );
      assertFailed(results[0], 400, 'invalidPath');
      assert.equal((await server.request('GET', `/Users/${id}`)).body.title, 'Before');
    });

    it('checks version as If-Match: 412 for a stale version, success for the current one (RFC 7644 §3.14)', async () => {
      const created = await server.request('POST', '/Users', userBody('versioned@example.com'));
      const id = String(created.body.id);
      await server.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'v2' }] });
      const results = resultsOf(
        await bulk([
          { method: 'PUT', path: `/Users/${id}`, version: 'W/"1"', data: userBody('versioned@example.com', { title: 'stale' }) },
          { method: 'PATCH', path: `/Users/${id}`, version: 'W/"2"', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'v3' }] } },
          { method: 'DELETE', path: `/Users/${id}`, version: 'W/"2"' },
        ]),
      );
      assert.match(String(assertFailed(results[0], 412).detail), /W\/"2"/);
      assert.equal(results[0]?.location, `https://roster.test${server.base}/Users/${id}`);
      assert.equal(results[1]?.status, '200');
      assert.equal(results[1]?.version, 'W/"3"');
      assertFailed(results[2], 412);
      assert.equal((await server.request('GET', `/Users/${id}`)).body.title, 'v3');
    });

    it('deletes through bulk with 204 and the resource location', async () => {
      const created = await server.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'To delete' });
      const id = String(created.body.id);
      const [result] = resultsOf(await bulk([{ method: 'delete', path: `/Groups/${id}` }]));
      assert.deepEqual(result, { location: `https://roster.test${server.base}/Groups/${id}`, method: 'DELETE', status: '204' });
      assertScimError(await server.request('GET', `/Groups/${id}`), 404);
    });

    it('stops after failOnErrors errors and returns what was processed', async () => {
      const results = resultsOf(
        await bulk([postUser('f1', 'foe1@example.com'), { method: 'PUT', path: '/Users/missing', data: userBody('m@example.com') }, postUser('f2', 'foe2@example.com')], { failOnErrors: 1 }),
      );
      assert.deepEqual(results.map((result) => result.status), ['201', '404']);
      const second = await server.request('GET', `/Users?filter=${encodeURIComponent('userName eq "foe2@example.com"')}`);
      assert.equal(second.body.totalResults, 0, 'operations after the stop did not run');

      const two = resultsOf(
        await bulk(
          [
            { method: 'DELETE', path: '/Users/missing-1' },
            postUser('f3', 'foe3@example.com'),
            { method: 'DELETE', path: '/Users/missing-2' },
            { method: 'DELETE', path: '/Users/missing-3' },
          ],
          { failOnErrors: 2 },
        ),
      );
      assert.deepEqual(two.map((result) => result.status), ['404', '201', '404']);
    });

    it('answers 413 naming maxOperations when a request has more operations', async () => {
      const operations = Array.from({ length: 1001 }, (_, index) => ({ method: 'DELETE', path: `/Users/u${index}` }));
      const response = await bulk(operations);
      assertScimError(response, 413);
      assert.match(String(response.body.detail), /maxOperations \(1000\)/);
    });

    it('answers 413 naming maxPayloadSize when the body is larger', async () => {
      const response = await bulk([postUser('big', 'big@example.com', { nickName: 'x'.repeat(1_048_576) })]);
      assertScimError(response, 413);
      assert.match(String(response.body.detail), /maxPayloadSize \(1048576 bytes\)/);
    });

    it('answers 400 invalidSyntax for a malformed BulkRequest', async () => {
      const invalid: unknown[] = [
        [],
        { Operations: [{ method: 'DELETE', path: '/Users/1' }] },
        { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ method: 'DELETE', path: '/Users/1' }] },
        { schemas: [BULK_REQUEST] },
        { schemas: [BULK_REQUEST], Operations: [] },
        { schemas: [BULK_REQUEST], Operations: {} },
        { schemas: [BULK_REQUEST], Operations: ['DELETE /Users/1'] },
        { schemas: [BULK_REQUEST], failOnErrors: 0, Operations: [{ method: 'DELETE', path: '/Users/1' }] },
        { schemas: [BULK_REQUEST], failOnErrors: '1', Operations: [{ method: 'DELETE', path: '/Users/1' }] },
        bulkBody([postUser('same', 'same1@example.com'), postUser('same', 'same2@example.com')]),
      ];
      for (const body of invalid) assertScimError(await server.request('POST', '/Bulk', body), 400, 'invalidSyntax');
      assertScimError(await server.request('POST', '/Bulk', '{"schemas": ['), 400, 'invalidSyntax');
      const listed = await server.request('GET', `/Users?filter=${encodeURIComponent('userName sw "same"')}`);
      assert.equal(listed.body.totalResults, 0, 'a request with duplicate bulkIds runs nothing');
    });

    it('accepts case variants of attribute names and answers 405 for other methods on /Bulk', async () => {
      const response = await server.request('POST', '/Bulk', { schemas: [BULK_REQUEST.toLowerCase()], operations: [{ Method: 'post', Path: '/Users', BulkId: 'c', Data: userBody('cased@example.com') }] });
      assert.equal(resultsOf(response)[0]?.status, '201');
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) assertScimError(await server.request(method, '/Bulk', method === 'GET' || method === 'DELETE' ? undefined : {}), 405);
    });

    it('serves /Bulk at the base URL without a tenant id too', async () => {
      const response = await server.request('POST', '/scim/v2/Bulk', bulkBody([postUser('t', 'no-tenant-url@example.com')]));
      assert.match(String(resultsOf(response)[0]?.location), /^https:\/\/roster\.test\/scim\/v2\/Users\//);
    });

    it('runs a 1,000-operation request', async () => {
      const operations = Array.from({ length: 1000 }, (_, index) => postUser(`load${index}`, `load-${index}@example.com`));
      const results = resultsOf(await bulk(operations));
      assert.equal(results.length, 1000);
      assert.ok(results.every((result, index) => result.status === '201' && result.bulkId === `load${index}`));
      const listed = await server.request('GET', `/Users?count=1&filter=${encodeURIComponent('userName sw "load-"')}`);
      assert.equal(listed.body.totalResults, 1000);
    });
  });
}

describe('/Bulk limits from AppOptions', () => {
  const engine = testEngines()[0];
  let server: TestServer;
  let app: FastifyInstance;
  before(async () => {
    if (engine === undefined) throw new Error('no test engine');
    server = await startServer(engine);
    // A global body limit below maxPayloadSize: /Bulk still takes bodies up to maxPayloadSize.
    app = await buildApp({ services: server.services, publicUrl: 'https://roster.test', bodyLimit: 1000, bulk: { maxOperations: 3, maxPayloadSize: 4000 } });
  });
  after(async () => {
    await app.close();
    await server.close();
  });
  const post = async (path: string, body: unknown): Promise<ScimResponse> => {
    const response = await app.inject({ method: 'POST', url: `${server.base}${path}`, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json' }, payload: JSON.stringify(body) });
    return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) as Json, text: response.body };
  };

  it('advertises and enforces the configured numbers', async () => {
    const config = await app.inject({ method: 'GET', url: `${server.base}/ServiceProviderConfig`, headers: { authorization: `Bearer ${server.token}` } });
    assert.deepEqual((JSON.parse(config.body) as Json).bulk, { supported: true, maxOperations: 3, maxPayloadSize: 4000 });
    const four = await post('/Bulk', bulkBody(Array.from({ length: 4 }, (_, index) => ({ method: 'DELETE', path: `/Users/${index}` }))));
    assertScimError(four, 413);
    assert.match(String(four.body.detail), /maxOperations \(3\)/);
    const big = await post('/Bulk', bulkBody([postUser('big', 'big@example.com', { nickName: 'x'.repeat(4000) })]));
    assertScimError(big, 413);
    assert.match(String(big.body.detail), /maxPayloadSize \(4000 bytes\)/);
  });

  it('takes a bulk body above the global body limit but within maxPayloadSize', async () => {
    const body = bulkBody([postUser('mid', 'mid@example.com', { nickName: 'x'.repeat(2000) })]);
    assert.equal(resultsOf(await post('/Bulk', body))[0]?.status, '201');
    assertScimError(await post('/Users', userBody('other@example.com', { nickName: 'x'.repeat(2000) })), 413);
  });
});
