import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { policyServer, setActive } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`enabling and disabling SCIM on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('disabling deletes every token, SCIM groups and memberships, and externalIds, and keeps members active', async () => {
      const tenant = await policy.tenant('Acme', { creator: { userName: 'founder@example.com' } });
      await tenant.settings({ ssoPolicy: 'saml' });
      const ada = await tenant.createUser('ada@example.com', { externalId: 'entra-1' });
      await tenant.createGroup('Engineering', [ada]);
      const oldToken = tenant.token;
      const settings = await tenant.settings({ scimEnabled: false });
      assert.equal(settings.scimEnabled, false);
      assert.deepEqual((await tenant.api('GET', '/tokens')).body.tokens, [], 'tokens are deleted, not only revoked');
      assert.equal((await tenant.scim('GET', '/Users')).status, 401, 'the old token stops working');
      assert.equal((await tenant.api('GET', '/groups')).body.total, 0);
      const member = await tenant.member(ada);
      assert.equal(member.status, 'active');
      assert.equal(member.signInMethod, 'saml');
      const user = await policy.server.store.read.users.get(tenant.id, ada);
      assert.equal(user?.externalId, null);
      assert.equal(user?.data.externalId, undefined);
      assert.ok((await tenant.events()).some((event) => event.type === 'scim.disabled' && event.payload.tokensDeleted === 1 && event.payload.groupsRemoved === 1));
      assert.equal(tenant.token, oldToken);
    });

    it('promotes the tenant\'s creator to admin when removing the SCIM groups leaves no admin', async () => {
      const tenant = await policy.tenant('Acme', { creator: { userName: 'founder@example.com', role: 'member' } });
      const ada = await tenant.createUser('ada@example.com');
      const admins = await tenant.createGroup('Admins', [ada]);
      await tenant.settings({ adminGroupId: admins });
      assert.equal((await tenant.member(ada)).role, 'admin');
      const settings = await tenant.settings({ scimEnabled: false });
      assert.equal(settings.adminGroupId, null);
      assert.equal((await tenant.member(ada)).role, 'member', 'the admin group is gone with its role');
      const creator = (await tenant.members()).find((member) => member.creator === true);
      assert.equal(creator?.role, 'admin');
      assert.equal((await tenant.api('PATCH', `/members/${ada}`, { role: 'admin' })).status, 200, 'roles are hand-editable again');
    });

    it('answers SCIM requests with 401 while disabled, and needs a new token after re-enabling', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ scimEnabled: false });
      assertApiError(await tenant.api('POST', '/tokens', { name: 'too early' }), 'SCIM_DISABLED');
      await tenant.settings({ scimEnabled: true });
      assert.equal((await tenant.scim('GET', '/Users')).status, 401, 'the old token is gone for good');
      await tenant.newToken();
      assert.equal((await tenant.scim('GET', '/Users')).status, 200);
      assert.ok((await tenant.events()).some((event) => event.type === 'scim.enabled'));
    });

    it('refuses to delete the SCIM setup while provisioned members are active, and says so', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      await tenant.createUser('bob@example.com');
      const refused = await tenant.api('DELETE', '/scim');
      assertApiError(refused, 'SCIM_MEMBERS_ACTIVE');
      assert.match(String((refused.body.error as { message: string }).message), /2 SCIM-provisioned members are still active/);
      assert.equal((await tenant.scim('GET', `/Users/${ada}`)).status, 200, 'nothing was deleted');
    });

    it('deletes the SCIM setup once no provisioned member is active, keeping the members', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      await tenant.scim('PATCH', `/Users/${ada}`, setActive(false));
      await tenant.scim('DELETE', `/Users/${bob}`);
      assert.equal((await tenant.api('DELETE', '/scim')).status, 204);
      assert.equal(((await tenant.api('GET', '')).body.settings as { scimEnabled: boolean }).scimEnabled, false);
      assert.equal(await policy.server.store.read.users.get(tenant.id, ada), undefined, 'the SCIM users are gone');
      const members = await tenant.members();
      assert.equal(members.length, 2);
      assert.ok(members.every((member) => member.managedByScim === false && member.status === 'archived'));
      assert.ok(members.every((member) => member.formerlyManagedByScim === true), 'shown as formerly provisioned, not as made by hand');
      const byHand = await tenant.api('POST', '/members', { userName: 'carol@example.com' });
      assert.equal(byHand.status, 201, JSON.stringify(byHand.body));
      assert.equal(byHand.body.formerlyManagedByScim, false);
    });
  });
}
