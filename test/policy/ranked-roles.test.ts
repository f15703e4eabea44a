import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminClient, assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA, startServer, type TestServer } from '../support/scim-client.js';
import { newTenant, patchOp, type Admin, type PolicyTenant } from './policy-client.js';

/** The `member.role_changed` payloads of one user, oldest first. */
async function roleChanges(tenant: PolicyTenant, userName: string): Promise<Record<string, unknown>[]> {
  return (await tenant.events()).filter((event) => event.type === 'member.role_changed' && event.payload.userName === userName).map((event) => event.payload);
}

for (const engine of testEngines()) {
  describe(`ranked roles, groups as roles and the admin group as only admin source on ${engine.name}`, () => {
    let server: TestServer;
    let admin: Admin;
    before(async () => {
      server = await startServer(engine);
      admin = await adminClient(server);
    });
    after(() => server.close());

    it('turns every pushed group into a role of its name (seed 002), ranked alphabetically, beside explicit mappings', async () => {
      const tenant = await newTenant(server, admin);
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      // Okta pushes a group with its members, then renames it with a PUT.
      const support = await tenant.createGroup('Support', [ada]);
      const billing = await tenant.createGroup('Billing', [ada, bob]);
      const ops = await tenant.createGroup('Ops');
      await tenant.settings({ groupsAsRoles: true, roleMappings: { [ops]: 'admin' } });
      const member = await tenant.member(ada);
      assert.deepEqual([member.role, member.roles, member.roleManagedByScim], ['Billing', ['Billing', 'Support'], true]);
      await tenant.addToGroup(ops, [ada]);
      assert.deepEqual((await tenant.member(ada)).roles, ['admin', 'Billing', 'Support'], 'the explicit mapping wins for its group, and admin ranks first');
      const renamed = await tenant.scim('PUT', `/Groups/${billing}`, { schemas: [GROUP_SCHEMA], displayName: 'Accounts', members: [{ value: ada }, { value: bob }] });
      assert.equal(renamed.status, 200, renamed.text);
      assert.deepEqual((await tenant.member(bob)).roles, ['Accounts'], 'a renamed group gives its new name');
      const listed = (await tenant.members()).find((candidate) => candidate.userId === ada);
      assert.deepEqual(listed?.roles, ['admin', 'Accounts', 'Support'], 'the member list carries roles too');
      const groups = (await tenant.api('GET', '/groups')).body.groups as { id: string; role: string | null }[];
      assert.equal(groups.find((group) => group.id === support)?.role, 'Support');
      await tenant.removeFromGroup(ops, [ada]);
      const changes = await roleChanges(tenant, 'ada@example.com');
      const last = changes.at(-1);
      assert.deepEqual([last?.role, last?.roles, last?.previousRole, last?.previousRoles], ['Accounts', ['Accounts', 'Support'], 'admin', ['admin', 'Accounts', 'Support']]);
    });

    it('ranks roles by the tenant\'s roleOrder after admin, unlisted roles after it alphabetically', async () => {
      const tenant = await newTenant(server, admin);
      const ada = await tenant.createUser('ada@example.com');
      const viewers = await tenant.createGroup('Viewers', [ada]);
      const editors = await tenant.createGroup('Editors', [ada]);
      const auditors = await tenant.createGroup('Auditors', [ada]);
      await tenant.settings({ roleMappings: { [viewers]: 'viewer', [editors]: 'editor', [auditors]: 'auditor' } });
      assert.deepEqual((await tenant.member(ada)).roles, ['auditor', 'editor', 'viewer']);
      await tenant.settings({ roleOrder: ['viewer', 'editor'] });
      const member = await tenant.member(ada);
      assert.deepEqual([member.role, member.roles], ['viewer', ['viewer', 'editor', 'auditor']]);
      const change = (await roleChanges(tenant, 'ada@example.com')).at(-1);
      assert.deepEqual([change?.previousRole, change?.role], ['auditor', 'viewer']);
      assertApiError(await tenant.api('PATCH', '', { settings: { roleOrder: ['a', 'a'] } }), 'VALIDATION_FAILED');
    });

    it('keeps a hand-set role beside the roles groups give, and falls back to it when they are gone', async () => {
      const tenant = await newTenant(server, admin);
      const ada = await tenant.createUser('ada@example.com');
      const editors = await tenant.createGroup('Editors');
      await tenant.settings({ roleMappings: { [editors]: 'editor' } });
      const set = await tenant.api('PATCH', `/members/${ada}`, { role: 'billing' });
      assert.deepEqual([set.status, set.body.roles], [200, ['billing']]);
      await tenant.addToGroup(editors, [ada]);
      assert.deepEqual((await tenant.member(ada)).roles, ['billing', 'editor']);
      assertApiError(await tenant.api('PATCH', `/members/${ada}`, { role: 'viewer' }), 'ROLE_MANAGED_BY_SCIM');
      await tenant.removeFromGroup(editors, [ada]);
      const member = await tenant.member(ada);
      assert.deepEqual([member.role, member.roles, member.roleManagedByScim], ['billing', ['billing'], true]);
    });

    it('queues SCIM members while automatic sync is off, and recomputes members made by hand at once', async () => {
      const tenant = await newTenant(server, admin, 'Pinpoint', { creator: { userName: 'owner@example.com' } });
      const owner = String((await tenant.members()).find((member) => member.userName === 'owner@example.com')?.userId);
      const ada = await tenant.createUser('ada@example.com');
      const admins = await tenant.createGroup('Admins');
      await tenant.createGroup('Sales', [ada]);
      await tenant.settings({ autoSync: false, adminGroupId: admins });
      await tenant.settings({ groupsAsRoles: true, adminGroupOnly: true });
      assert.equal((await tenant.member(owner)).role, 'member', 'the creator has no IdP state to wait for');
      assert.deepEqual((await tenant.member(ada)).roles, ['member'], 'Ada waits for sync');
      const pending = await tenant.api('GET', '/pending-changes');
      assert.ok((pending.body.changes as { userId: string; kind: string }[]).some((change) => change.userId === ada && change.kind === 'mappings'), JSON.stringify(pending.body));
      assert.equal((await tenant.api('POST', '/sync')).status, 200);
      assert.deepEqual((await tenant.member(ada)).roles, ['Sales']);
    });

    it('makes the admin group the only source of admin rights (seed 000): hand admins lose it, hand promotion is refused', async () => {
      const tenant = await newTenant(server, admin, 'Hinsley', { creator: { userName: 'owner@example.com' } });
      const owner = (await tenant.members()).find((member) => member.userName === 'owner@example.com');
      assert.equal(owner?.role, 'admin', 'the creator is admin by hand');
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      const admins = await tenant.createGroup('Admins', [ada]);
      const ops = await tenant.createGroup('Ops', [bob]);
      await tenant.settings({ adminGroupId: admins, roleMappings: { [ops]: 'admin' } });
      assert.equal((await tenant.member(bob)).role, 'admin', 'without the setting, a mapping may give admin');
      assertApiError(await tenant.api('PATCH', '', { settings: { adminGroupId: null, roleMappings: {}, adminGroupOnly: true } }), 'INVALID');
      await tenant.settings({ adminGroupOnly: true });
      assert.equal((await tenant.member(String(owner?.userId))).role, 'member', 'the hand-made admin outside the group is demoted');
      assert.equal((await tenant.member(bob)).role, 'member', 'a mapping to admin gives nothing');
      assert.equal((await tenant.member(ada)).role, 'admin');
      const refused = await tenant.api('PATCH', `/members/${String(owner?.userId)}`, { role: 'admin' });
      assertApiError(refused, 'ADMIN_GROUP_ONLY');
      assert.match(String((refused.body.error as { message: string }).message), /adminGroupOnly/);
      assertApiError(await tenant.api('POST', '/members', { userName: 'eve@example.com', role: 'admin' }), 'ADMIN_GROUP_ONLY');
      assert.equal((await tenant.api('PATCH', `/members/${String(owner?.userId)}`, { role: 'billing' })).status, 200, 'other roles stay hand-editable');
      const demotion = (await roleChanges(tenant, 'owner@example.com')).at(-1);
      assert.deepEqual([demotion?.previousRoles, demotion?.roles], [['member'], ['billing']]);
      // Entra adds the owner to the admin group: admin again, through the group.
      const added = await tenant.scim('PATCH', `/Groups/${admins}`, patchOp([{ op: 'Add', path: 'members', value: [{ value: bob }] }]));
      assert.equal(added.status, 204, added.text);
      assert.deepEqual((await tenant.member(bob)).roles, ['admin']);
      // Disabling SCIM drops the setting with the groups; no admin is left, so the creator is promoted.
      await tenant.settings({ scimEnabled: false });
      const settings = (await tenant.api('GET', '')).body.settings as Record<string, unknown>;
      assert.equal(settings.adminGroupOnly, false);
      assert.deepEqual((await tenant.member(bob)).roles, ['member']);
      assert.deepEqual((await tenant.member(String(owner?.userId))).roles, ['admin']);
    });
  });
}
