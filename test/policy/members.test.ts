import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { policyServer } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`members on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('makes every provisioned user an active, confirmed member with the member role', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('ada@example.com', { displayName: 'Ada Lovelace' });
      const member = await tenant.member(id);
      assert.equal(member.userName, 'ada@example.com');
      assert.equal(member.email, 'ada@example.com');
      assert.equal(member.displayName, 'Ada Lovelace');
      assert.equal(member.status, 'active');
      assert.equal(member.role, 'member');
      assert.equal(member.confirmed, true);
      assert.equal(member.managedByScim, true);
      assert.equal(member.roleManagedByScim, false);
    });

    it('gives a password sign-in with a secret that no answer contains when no SSO is required', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('pat@example.com');
      const member = await tenant.member(id);
      assert.equal(member.signInMethod, 'password');
      assert.ok(!Object.keys(member).some((key) => /secret|password|hash/i.test(key)), 'no secret field');
      const listed = await tenant.api('GET', '/members');
      assert.doesNotMatch(JSON.stringify(listed.body), /secret|hash/i);
    });

    it('signs provisioned users in with SAML when SAML is required and OIDC when OIDC is', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ ssoPolicy: 'saml' });
      assert.equal((await tenant.member(await tenant.createUser('saml@example.com'))).signInMethod, 'saml');
      await tenant.settings({ ssoPolicy: 'oidc' });
      assert.equal((await tenant.member(await tenant.createUser('oidc@example.com'))).signInMethod, 'oidc');
      // Members keep the method they were provisioned with when the policy changes.
      const members = await tenant.members();
      assert.deepEqual(members.map((member) => member.signInMethod).sort(), ['oidc', 'saml']);
    });

    it('follows profile changes and keeps the member when the user is renamed', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('old@example.com');
      const put = await tenant.scim('PUT', `/Users/${id}`, { userName: 'new@example.com', emails: [{ value: 'new@example.com', primary: true }] });
      assert.equal(put.status, 200, put.text);
      const member = await tenant.member(id);
      assert.equal(member.userName, 'new@example.com');
      assert.equal(member.email, 'new@example.com');
    });

    it('links a provisioned user to the hand-made member with its userName, keeping creator and role', async () => {
      const tenant = await policy.tenant('Linked', { creator: { userName: 'Founder@example.com' } });
      const [creator] = await tenant.members();
      assert.equal(creator?.creator, true);
      assert.equal(creator?.role, 'admin');
      assert.equal(creator?.managedByScim, false);
      const id = await tenant.createUser('founder@example.com');
      const members = await tenant.members();
      assert.equal(members.length, 1, 'one member, not two');
      assert.equal(members[0]?.userId, id);
      assert.equal(members[0]?.creator, true);
      assert.equal(members[0]?.role, 'admin');
      assert.equal(members[0]?.managedByScim, true);
    });

    it('lists members by status and role, a page at a time, with the seats in use', async () => {
      const tenant = await policy.tenant();
      const ids = [];
      for (const name of ['a', 'b', 'c']) ids.push(await tenant.createUser(`${name}@example.com`));
      await tenant.scim('DELETE', `/Users/${ids[0] ?? ''}`);
      const active = await tenant.api('GET', '/members?status=active&limit=1');
      assert.equal((active.body.members as unknown[]).length, 1);
      assert.equal(typeof active.body.next, 'string');
      const rest = await tenant.api('GET', `/members?status=active&after=${String(active.body.next)}`);
      assert.equal((rest.body.members as unknown[]).length, 1);
      assert.equal(rest.body.next, null);
      assert.deepEqual(active.body.seats, { limit: null, used: 2, policy: 'reject' });
      assert.equal((await tenant.members('?role=member')).length, 3);
    });
  });
}
