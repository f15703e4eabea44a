import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { flushProvisioningLog, userBody, type TestServer } from '../support/scim-client.js';
import { patchOp, policyServer, type PolicyTenant } from './policy-client.js';

const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

interface Undeclared {
  path: string;
  count: number;
  lastUserId: string | null;
}

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  undeclared: string[];
}

/** The tenant's provisioning log, newest first. */
async function logOf(server: TestServer, tenant: PolicyTenant): Promise<LoggedRequest[]> {
  await flushProvisioningLog(server);
  const response = await tenant.api('GET', '/provisioning-log');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.entries as LoggedRequest[];
}

async function undeclared(tenant: PolicyTenant): Promise<Undeclared[]> {
  const response = await tenant.api('GET', '/undeclared-attributes');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.attributes as Undeclared[];
}

for (const engine of testEngines()) {
  describe(`undeclared attributes and the IdP choice on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('lists the attributes IdPs send that nobody declared, with how often, until they are declared', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com', { favouriteColour: 'blue', [ACME]: { costCenter: '42' } });
      const bob = await tenant.createUser('bob@example.com', { favouritecolour: 'green' });
      const patched = await tenant.scim('PATCH', `/Users/${ada}`, patchOp([{ op: 'replace', value: { shoeSize: 9 } }]));
      assert.equal(patched.status, 200, patched.text);
      const seen = await undeclared(tenant);
      const byPath = new Map(seen.map((entry) => [entry.path, entry]));
      assert.deepEqual([...byPath.keys()].sort(), ['favouriteColour', 'shoeSize', `${ACME}:costCenter`]);
      assert.equal(byPath.get('favouriteColour')?.count, 2, 'compared case-insensitively, first spelling kept');
      assert.equal(byPath.get('favouriteColour')?.lastUserId, bob);
      await tenant.settings({ extensionSchemas: [{ id: ACME, attributes: [{ name: 'costCenter', type: 'string' }] }] });
      assert.ok(!(await undeclared(tenant)).some((entry) => entry.path === `${ACME}:costCenter`), 'declared now');
      assert.equal((await tenant.scim('POST', '/Users', userBody('carol@example.com', { [ACME]: { costCenter: '7' } }))).status, 201);
      assert.ok(!(await undeclared(tenant)).some((entry) => entry.path.startsWith(ACME)));
    });

    it('names on each write\'s provisioning-log entry the undeclared attributes it carried, never their values', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com', { favouriteColour: 'blue-7731', [ACME]: { costCenter: '42' } });
      assert.equal((await tenant.scim('PATCH', `/Users/${ada}`, patchOp([{ op: 'replace', value: { shoeSize: 9 } }]))).status, 200);
      assert.equal((await tenant.scim('GET', `/Users/${ada}`)).status, 200);
      // More than a write keeps (20), each with a value that must not reach the log.
      await tenant.createUser('bob@example.com', Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`extra${index}`, `value-${index}-8842`])));
      // A /Bulk request: its writes' paths together on its one entry, each once (any case).
      const operations = [
        { method: 'POST', bulkId: 'c', path: '/Users', data: userBody('cai@example.com', { nickName2: 'c' }) },
        { method: 'POST', bulkId: 'd', path: '/Users', data: userBody('dee@example.com', { NICKNAME2: 'd', hatSize: 7 }) },
      ];
      const bulk = await tenant.scim('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: operations });
      assert.equal(bulk.status, 200, bulk.text);
      // A write refused after reading its body records nothing: it changed nothing.
      assert.equal((await tenant.scim('POST', '/Users', userBody('ada@example.com', { refusedAttribute: 1 }))).status, 409);

      const [refused, bulkEntry, bob, read, patch, create] = await logOf(policy.server, tenant);
      assert.deepEqual([create?.method, create?.undeclared.sort()], ['POST', ['favouriteColour', `${ACME}:costCenter`]]);
      assert.deepEqual([patch?.method, patch?.undeclared], ['PATCH', ['shoeSize']]);
      assert.deepEqual([read?.method, read?.undeclared], ['GET', []]);
      assert.equal(bob?.undeclared.length, 20, 'at most 20 a write');
      assert.ok(bob?.undeclared.every((path) => /^extra\d+$/.test(path)));
      assert.deepEqual([bulkEntry?.path.endsWith('/Bulk'), bulkEntry?.undeclared], [true, ['nickName2', 'hatSize']]);
      assert.deepEqual([refused?.status, refused?.undeclared], [409, []]);
      const stored = JSON.stringify(await policy.server.store.read.provisioningLog.search(tenant.id, { limit: 10 }).then((entries) => entries.map((entry) => entry.undeclared)));
      assert.ok(!/7731|8842|hatSize":7/.test(stored), 'paths only, no values');
    });

    it('answers 404 with an error body for an unknown tenant', async () => {
      assertApiError(await policy.admin('GET', '/tenants/no-such-tenant/undeclared-attributes'), 'NOT_FOUND');
    });

    it('keeps the identity provider picked for the guide as a tenant setting, and refuses an unknown one', async () => {
      const tenant = await policy.tenant();
      assert.equal(((await tenant.api('GET', '')).body.settings as { identityProvider: unknown }).identityProvider, null);
      assert.equal((await tenant.settings({ identityProvider: 'okta' })).identityProvider, 'okta');
      assertApiError(await tenant.api('PATCH', '', { settings: { identityProvider: 'myspace' } }), 'VALIDATION_FAILED');
    });
  });
}
