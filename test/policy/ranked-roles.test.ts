import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { GROUP_SCHEMA } from '../support/scim-client.js';
import { patchOp, policyServer, type PolicyTenant } from './policy-client.js';

/** The `member.role_changed` payloads of one user, oldest first. */
async function roleChanges(tenant: PolicyTenant, userName: string): Promise<Record<string, unknown>[]> {
  return (await tenant.events()).filter((event) => event.type === 'member.role_changed' && event.payload.userName === userName).map((event) => event.payload);
}

for (const engine of testEngines()) {
  describe(`ranked roles, groups as roles and the admin group as only admin source on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('turns every pushed group into a role of its name (seed 002), ranked alphabetically, beside explicit mappings', async () => {
      const tenant = await policy.tenant();
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
      const tenant = await policy.tenant();
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
      const tenant = await policy.tenant();
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

    it('lists every holder of a role under role=…, wherever it ranks in their roles, as their groups change', async () => {
      const tenant = await policy.tenant();
      const [ada, bob, cai] = [await tenant.createUser('ada@example.com'), await tenant.createUser('bob@example.com'), await tenant.createUser('cai@example.com')];
      const auditors = await tenant.createGroup('Auditors', [ada]);
      const editors = await tenant.createGroup('Editors', [ada, bob]);
      await tenant.createGroup('Viewers', [cai]);
      await tenant.settings({ roleMappings: { [auditors]: 'auditor', [editors]: 'editor' } });
      // Made by hand with the role, then linked to the SCIM user of its userName: its key changes.
      const dee = await tenant.api('POST', '/members', { userName: 'dee@example.com', role: 'editor' });
      assert.equal(dee.status, 201, JSON.stringify(dee.body));
      const deeId = await tenant.createUser('dee@example.com');
      assert.notEqual(deeId, dee.body.userId);
      assert.deepEqual((await tenant.member(ada)).roles, ['auditor', 'editor'], 'editor is ada\'s second role');
      const holders = async (query = ''): Promise<string[]> => (await tenant.members(`?role=editor${query}`)).map((member) => String(member.userName));
      assert.deepEqual(await holders('&sort=userName'), ['ada@example.com', 'bob@example.com', 'dee@example.com']);
      assert.deepEqual(await holders('&sort=-userName'), ['dee@example.com', 'bob@example.com', 'ada@example.com']);
      assert.deepEqual(await holders('&sort=userName&q=bob'), ['bob@example.com'], 'with the other filters');
      assert.deepEqual(await holders('&status=inactive'), []);
      assert.deepEqual((await tenant.members('?role=auditor')).map((member) => member.userId), [ada]);
      // Paging by the default order (userId) and by another, one member a page.
      for (const sort of ['userId', '-createdAt']) {
        const seen: string[] = [];
        for (let after = ''; ; ) {
          const page = await tenant.api('GET', `/members?role=editor&sort=${sort}&limit=1${after === '' ? '' : `&after=${encodeURIComponent(after)}`}`);
          assert.equal(page.status, 200, JSON.stringify(page.body));
          seen.push(...(page.body.members as { userId: string }[]).map((member) => member.userId));
          if (typeof page.body.next !== 'string') break;
          after = page.body.next;
        }
        assert.deepEqual([...seen].sort(), [ada, bob, deeId].sort(), `every holder once, sorted by ${sort}`);
      }
      await tenant.removeFromGroup(editors, [ada]);
      assert.deepEqual(await holders('&sort=userName'), ['bob@example.com', 'dee@example.com'], 'leaving the group takes the role');
      assert.equal((await tenant.scim('DELETE', `/Groups/${editors}`)).status, 204);
      assert.deepEqual(await holders(), ['dee@example.com'], 'the group that gave it is gone');
      await tenant.settings({ deletePolicy: 'hard' });
      assert.equal((await tenant.scim('DELETE', `/Users/${deeId}`)).status, 204);
      assert.deepEqual(await holders(), [], 'a member removed for good holds nothing');
    });

    it('queues SCIM members while automatic sync is off, and recomputes members made by hand at once', async () => {
      const tenant = await policy.tenant('Pinpoint', { creator: { userName: 'owner@example.com' } });
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
      const tenant = await policy.tenant('Hinsley', { creator: { userName: 'owner@example.com' } });
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
