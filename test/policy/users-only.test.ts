import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { assertScimError, GROUP_SCHEMA, USER_SCHEMA, userBody, type Json } from '../support/scim-client.js';
import { patchOp, policyServer, type PolicyTenant } from './policy-client.js';

/** Seed 004 (Holaspirit): Users only, a `privilege` that may say "inactive", addresses by `value`. */
const HOLASPIRIT = 'urn:ietf:params:scim:schemas:extension:holaspirit:2.0:User';

const holaspiritSchema = {
  id: HOLASPIRIT,
  attributes: [
    { name: 'language', type: 'string' },
    { name: 'privilege', type: 'string', canonicalValues: ['member', 'inactive'] },
  ],
};

/** A user as Okta sends it with Holaspirit's attribute mappings. */
function holaspiritUser(userName: string, privilege: string, extra: Json = {}): Json {
  return userBody(userName, { schemas: [USER_SCHEMA, HOLASPIRIT], [HOLASPIRIT]: { language: 'fr', privilege }, ...extra });
}

function setPrivilege(privilege: string): Json {
  return patchOp([{ op: 'replace', path: `${HOLASPIRIT}:privilege`, value: privilege }]);
}

async function seatsUsed(tenant: PolicyTenant): Promise<number> {
  const listed = await tenant.api('GET', '/members');
  return (listed.body.seats as { used: number }).used;
}

for (const engine of testEngines()) {
  describe(`users-only tenants (seed 004) on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('keeps addresses[].value as the formatted address when that is absent', async () => {
      const tenant = await policy.tenant();
      const created = await tenant.scim('POST', '/Users', userBody('ada@example.com', {
        addresses: [{ type: 'work', value: '1 Rue de Rivoli, Paris' }, { type: 'home', value: 'ignored', formatted: '2 Quai Voltaire' }],
      }));
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body.addresses, [{ type: 'work', formatted: '1 Rue de Rivoli, Paris' }, { type: 'home', formatted: '2 Quai Voltaire' }]);
      const id = String(created.body.id);
      const patched = await tenant.scim('PATCH', `/Users/${id}`, patchOp([{ op: 'replace', path: 'addresses[type eq "work"].value', value: '3 Place Vendôme' }]));
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual((patched.body.addresses as Json[])[0], { type: 'work', formatted: '3 Place Vendôme' });
      const found = await tenant.scim('GET', `/Users?filter=${encodeURIComponent('addresses.value sw "3 Place"')}`);
      assert.equal(found.body.totalResults, 1, found.text);
    });

    it('keeps a member inactive, without a seat, while its privilege says inactive, and applies the seat rules when it changes', async () => {
      const tenant = await policy.tenant();
      assertApiError(await tenant.api('PATCH', '', { settings: { inactiveAttribute: 'privilege' } }), 'INVALID');
      await tenant.settings({ extensionSchemas: [holaspiritSchema], inactiveAttribute: 'privilege', seatLimit: 1 });
      const ada = await tenant.scim('POST', '/Users', holaspiritUser('ada@example.com', 'inactive'));
      assert.equal(ada.status, 201, ada.text);
      assert.equal(ada.body.active, true, 'the IdP\'s view is stored as sent');
      const adaId = String(ada.body.id);
      assert.equal((await tenant.member(adaId)).status, 'inactive');
      const bob = await tenant.scim('POST', '/Users', holaspiritUser('bob@example.com', 'member'));
      assert.equal((await tenant.member(String(bob.body.id))).status, 'active', 'the inactive member held no seat');
      assert.equal(await seatsUsed(tenant), 1);
      // Under seatPolicy reject (the default) the change is refused while every seat is taken.
      const refused = await tenant.scim('PATCH', `/Users/${adaId}`, setPrivilege('member'));
      assertScimError(refused, 409);
      assert.match(String(refused.body.detail), /seat limit of 1/);
      await tenant.settings({ seatPolicy: 'createInactive' });
      const stored = await tenant.scim('PATCH', `/Users/${adaId}`, setPrivilege('member'));
      assert.equal(stored.status, 200, stored.text);
      assert.equal(stored.body.active, false, 'stored inactive for want of a seat');
      assert.equal((await tenant.member(adaId)).status, 'inactive');
      // Bob's privilege turns inactive: his seat is free, and Ada (active again in the IdP) takes it.
      assert.equal((await tenant.scim('PATCH', `/Users/${String(bob.body.id)}`, setPrivilege('inactive'))).status, 200);
      assert.equal((await tenant.member(String(bob.body.id))).status, 'inactive');
      assert.equal((await tenant.scim('PATCH', `/Users/${adaId}`, patchOp([{ op: 'replace', path: 'active', value: 'True' }]))).status, 200);
      assert.equal((await tenant.member(adaId)).status, 'active');
      assert.equal(await seatsUsed(tenant), 1);
    });

    it('refuses /Groups with a SCIM error when the tenant takes Users only, and leaves groups out of root searches', async () => {
      const tenant = await policy.tenant();
      await tenant.createUser('ada@example.com');
      await tenant.createGroup('Before');
      await tenant.settings({ groupsEnabled: false });
      const created = await tenant.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering' });
      assertScimError(created, 501);
      assert.match(String(created.body.detail), /groupsEnabled/);
      assertScimError(await tenant.scim('GET', '/Groups'), 501);
      const types = await tenant.scim('GET', '/ResourceTypes');
      assert.deepEqual((types.body.Resources as { id: string }[]).map((type) => type.id), ['User'], 'discovery shows no Group');
      assertScimError(await tenant.scim('GET', '/ResourceTypes/Group'), 404);
      const schemas = await tenant.scim('GET', '/Schemas');
      assert.ok(!(schemas.body.Resources as { id: string }[]).some((schema) => schema.id === GROUP_SCHEMA), 'nor the Group schema');
      assertScimError(await tenant.scim('GET', `/Schemas/${GROUP_SCHEMA}`), 404);
      const bulk = await tenant.scim('POST', '/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [{ method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_SCHEMA], displayName: 'Engineering' } }],
      });
      assert.equal(bulk.status, 200, bulk.text);
      assert.equal((bulk.body.Operations as { status: string }[])[0]?.status, '501');
      const searched = await tenant.scim('POST', '/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'] });
      assert.equal(searched.status, 200, searched.text);
      assert.equal(searched.body.totalResults, 1, 'the user only');
      await tenant.settings({ groupsEnabled: true });
      assert.equal((await tenant.scim('GET', '/Groups')).body.totalResults, 1);
    });
  });
}
