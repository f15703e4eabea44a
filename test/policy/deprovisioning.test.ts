import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { userBody } from '../support/scim-client.js';
import { policyServer, setActive } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`deprovisioning on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('archives the member on active false and reactivates it on active true, keeping its data', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('ada@example.com', { title: 'Countess' });
      assert.equal((await tenant.scim('PATCH', `/Users/${id}`, setActive(false))).status, 200);
      assert.equal((await tenant.member(id)).status, 'archived');
      const kept = await tenant.scim('GET', `/Users/${id}`);
      assert.equal(kept.body.title, 'Countess');
      assert.equal((await tenant.scim('PATCH', `/Users/${id}`, setActive(true))).status, 200);
      assert.equal((await tenant.member(id)).status, 'active');
    });

    it('archives the member on DELETE (deletePolicy archive, the default) and keeps it listed', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('gone@example.com');
      assert.equal((await tenant.scim('DELETE', `/Users/${id}`)).status, 204);
      const member = await tenant.member(id);
      assert.equal(member.status, 'archived');
      assert.equal(member.userName, 'gone@example.com');
    });

    it('removes the member for good on DELETE when deletePolicy is hard', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ deletePolicy: 'hard' });
      const id = await tenant.createUser('gone@example.com');
      assert.equal((await tenant.scim('DELETE', `/Users/${id}`)).status, 204);
      assertApiError(await tenant.api('GET', `/members/${id}`), 'NOT_FOUND');
      const again = await tenant.scim('POST', '/Users', userBody('gone@example.com'));
      assert.notEqual(again.body.id, id, 'a hard-deleted user comes back as someone new');
    });

    it('gives a re-created archived user its old id and makes its member active again', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('back@example.com', { externalId: 'ext-1' });
      await tenant.scim('DELETE', `/Users/${id}`);
      const restored = await tenant.scim('POST', '/Users', userBody('back@example.com', { externalId: 'ext-1' }));
      assert.equal(restored.status, 201, restored.text);
      assert.equal(restored.body.id, id);
      const member = await tenant.member(id);
      assert.equal(member.status, 'active');
      assert.equal((await tenant.members()).length, 1);
    });

    it('refuses to archive a SCIM member by hand: the IdP decides its status', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('idp@example.com');
      assertApiError(await tenant.api('PATCH', `/members/${id}`, { status: 'archived' }), 'STATUS_MANAGED_BY_SCIM');
      const own = await tenant.api('POST', '/members', { userName: 'local@example.com' });
      assert.equal(own.status, 201, JSON.stringify(own.body));
      const archived = await tenant.api('PATCH', `/members/${String(own.body.userId)}`, { status: 'archived' });
      assert.equal(archived.body.status, 'archived', 'a member made by hand is changed by hand');
    });
  });
}
