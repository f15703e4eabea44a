import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { flushProvisioningLog, GROUP_SCHEMA, startServer, userBody, type Json, type ScimResponse, type TestServer } from '../support/scim-client.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** More operations than one group of the store takes (100), so that a request spans groups. */
const OPERATIONS = 105;

function resultsOf(response: ScimResponse): Json[] {
  assert.equal(response.status, 200, response.text);
  return response.body.Operations as Json[];
}

function idOf(result: Json | undefined): string {
  const location = String(result?.location);
  return decodeURIComponent(location.slice(location.lastIndexOf('/') + 1));
}

const postUser = (bulkId: string, userName: string): Json => ({ method: 'POST', path: '/Users', bulkId, data: userBody(userName) });

for (const engine of testEngines()) {
  describe(`/Bulk across transaction groups on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    const bulk = (operations: unknown[], extra: Json = {}): Promise<ScimResponse> => server.request('POST', '/Bulk', { schemas: [BULK_REQUEST], ...extra, Operations: operations });
    const userNamed = async (userName: string): Promise<number> => Number((await server.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&count=0`)).body.totalResults);
    const eventsOf = async (ids: readonly string[]): Promise<number> => {
      const wanted = new Set(ids);
      return (await server.store.read.events.list(server.tenantId, 0, 100_000)).filter((event) => wanted.has(event.resourceId) && event.type === 'user.created').length;
    };

    it('undoes only the failed operations in the middle of a group: the rest commit with their events and one log entry', async () => {
      const operations = Array.from({ length: OPERATIONS }, (_, index) => postUser(`m${index}`, index === 40 || index === 102 ? 'mid0@example.com' : `mid${index}@example.com`));
      const results = resultsOf(await bulk(operations));
      assert.equal(results.length, OPERATIONS);
      const failed = results.flatMap((result, index) => (result.status === '201' ? [] : [[index, result.status, (result.response as Json).scimType]]));
      assert.deepEqual(failed, [
        [40, '409', 'uniqueness'],
        [102, '409', 'uniqueness'],
      ]);
      const created = results.filter((result) => result.status === '201').map(idOf);
      assert.equal(new Set(created).size, OPERATIONS - 2);
      assert.equal(await userNamed('mid39@example.com'), 1);
      assert.equal(await userNamed('mid41@example.com'), 1);
      assert.equal(await userNamed('mid104@example.com'), 1);
      assert.equal(await userNamed('mid0@example.com'), 1, 'the clashing creates left nothing');
      assert.equal(await eventsOf(created), OPERATIONS - 2, 'one user.created per committed create, none for the failed ones');
      await flushProvisioningLog(server);
      const logged = (await server.store.read.provisioningLog.search(server.tenantId, { limit: 5 })).filter((entry) => entry.path.endsWith('/Bulk'));
      assert.equal(logged.length, 1, 'one entry for the request, whatever its groups');
      assert.equal(logged[0]?.events, 2 * (OPERATIONS - 2), 'user.created and member.provisioned per committed create');
      assert.equal(logged[0]?.status, 200);
    });

    it('counts failOnErrors across groups', async () => {
      const operations = Array.from({ length: OPERATIONS }, (_, index) => postUser(`f${index}`, index === 10 || index === 101 ? 'mid1@example.com' : `fail${index}@example.com`));
      const results = resultsOf(await bulk(operations, { failOnErrors: 2 }));
      assert.equal(results.length, 102, 'processing stops at the second failure, in the second group');
      assert.deepEqual([results[10]?.status, results[100]?.status, results[101]?.status], ['409', '201', '409']);
      assert.equal(await userNamed('fail100@example.com'), 1);
      assert.equal(await userNamed('fail102@example.com'), 0, 'operations after the stop never ran');
    });

    it('resolves bulkId references to resources an earlier group created', async () => {
      const users = Array.from({ length: OPERATIONS }, (_, index) => postUser(`r${index}`, `ref${index}@example.com`));
      const later = [
        { method: 'PATCH', path: '/Users/bulkId:r0', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'First' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'team', data: { schemas: [GROUP_SCHEMA], displayName: 'Across groups', members: [{ value: 'bulkId:r1' }, { value: 'bulkId:r104' }] } },
      ];
      const results = resultsOf(await bulk([...users, ...later]));
      assert.ok(results.every((result) => result.status === '201' || result.status === '200'), JSON.stringify(results.filter((result) => !['200', '201'].includes(String(result.status)))));
      const [patched, team] = results.slice(OPERATIONS);
      assert.equal(patched?.location, results[0]?.location);
      assert.equal((await server.request('GET', `/Users/${idOf(results[0])}`)).body.title, 'First');
      const members = ((await server.request('GET', `/Groups/${idOf(team)}`)).body.members as Json[]).map((member) => member.value).sort();
      assert.deepEqual(members, [idOf(results[1]), idOf(results[104])].sort());
    });
  });
}
