import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA } from '../support/scim-client.js';
import { policyServer } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`groups as roles on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('promotes members added to the admin group and demotes those removed, in the same transaction', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      const admins = await tenant.createGroup('Admins', [ada]);
      await tenant.settings({ adminGroupId: admins });
      assert.equal((await tenant.member(ada)).role, 'admin', 'designating the group promotes its members');
      await tenant.addToGroup(admins, [bob]);
      assert.equal((await tenant.member(bob)).role, 'admin');
      assert.equal((await tenant.member(bob)).roleManagedByScim, true);
      await tenant.removeFromGroup(admins, [ada]);
      const demoted = await tenant.member(ada);
      assert.equal(demoted.role, 'member');
      assert.equal(demoted.roleManagedByScim, true);
      const changes = (await tenant.events()).filter((event) => event.type === 'member.role_changed');
      assert.ok(changes.some((event) => event.payload.userName === 'ada@example.com' && event.payload.role === 'member' && event.payload.previousRole === 'admin'));
    });

    it('leaves no role change behind when the membership change fails', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const admins = await tenant.createGroup('Admins');
      await tenant.settings({ adminGroupId: admins });
      const failed = await tenant.scim('PATCH', `/Groups/${admins}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: ada }] }, { op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }],
      });
      assert.equal(failed.status, 400, failed.text);
      assert.equal((await tenant.member(ada)).role, 'member');
    });

    it('refuses hand changes of a role SCIM manages with ROLE_MANAGED_BY_SCIM, and allows the others', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      const admins = await tenant.createGroup('Admins', [ada]);
      await tenant.settings({ adminGroupId: admins });
      assertApiError(await tenant.api('PATCH', `/members/${ada}`, { role: 'member' }), 'ROLE_MANAGED_BY_SCIM');
      const changed = await tenant.api('PATCH', `/members/${bob}`, { role: 'billing' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.role, 'billing');
      assert.equal(changed.body.roleManagedByScim, false);
    });

    it('maps groups to roles of the product\'s own, admin first, then the alphabetically first role', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const editors = await tenant.createGroup('Editors', [ada]);
      const viewers = await tenant.createGroup('Viewers', [ada]);
      await tenant.settings({ roleMappings: { [viewers]: 'viewer', [editors]: 'editor' } });
      assert.equal((await tenant.member(ada)).role, 'editor');
      const ops = await tenant.createGroup('Ops');
      await tenant.settings({ roleMappings: { [viewers]: 'viewer', [editors]: 'editor', [ops]: 'admin' } });
      await tenant.addToGroup(ops, [ada]);
      assert.equal((await tenant.member(ada)).role, 'admin');
      const groups = await tenant.api('GET', '/groups');
      const listed = groups.body.groups as { id: string; role: string | null }[];
      assert.deepEqual(listed.map((group) => [group.id, group.role]).sort(), [[editors, 'editor'], [ops, 'admin'], [viewers, 'viewer']].sort());
    });

    it('returns roles to hand control, as they are, when no group gives a role any more', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const admins = await tenant.createGroup('Admins', [ada]);
      await tenant.settings({ adminGroupId: admins });
      await tenant.settings({ adminGroupId: null });
      const member = await tenant.member(ada);
      assert.deepEqual([member.role, member.roleManagedByScim], ['admin', false]);
      assert.equal((await tenant.api('PATCH', `/members/${ada}`, { role: 'member' })).status, 200);
    });

    it('demotes the members of a deleted admin group', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const admins = await tenant.createGroup('Admins', [ada]);
      await tenant.settings({ adminGroupId: admins });
      assert.equal((await tenant.scim('DELETE', `/Groups/${admins}`)).status, 204);
      assert.equal((await tenant.member(ada)).role, 'member');
    });

    it('takes a deleted user out of its SCIM-given role and gives it back when the IdP restores it', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const admins = await tenant.createGroup('Admins', [ada]);
      await tenant.settings({ adminGroupId: admins });
      await tenant.scim('DELETE', `/Users/${ada}`);
      assert.equal((await tenant.member(ada)).role, 'member');
      const restored = await tenant.scim('POST', '/Users', { userName: 'ada@example.com' });
      assert.equal(restored.body.id, ada);
      await tenant.addToGroup(admins, [ada]);
      assert.equal((await tenant.member(ada)).role, 'admin');
    });

    it('refuses role mappings that name groups the tenant does not have', async () => {
      const tenant = await policy.tenant();
      assertApiError(await tenant.api('PATCH', '', { settings: { adminGroupId: 'no-such-group' } }), 'INVALID');
      assertApiError(await tenant.api('PATCH', '', { settings: { roleMappings: { x: '' } } }), 'VALIDATION_FAILED');
      const group = await tenant.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Real' });
      assert.equal((await tenant.api('PATCH', '', { settings: { roleMappings: { [String(group.body.id)]: 'auditor' } } })).status, 200);
    });
  });
}
