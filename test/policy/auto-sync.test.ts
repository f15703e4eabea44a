import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { policyServer, setActive } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`automatic sync off on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('stores SCIM writes as the IdP\'s view and queues the member changes they imply, in order', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ autoSync: false });
      const ada = await tenant.createUser('ada@example.com');
      const read = await tenant.scim('GET', `/Users/${ada}`);
      assert.equal(read.status, 200, 'the IdP sees what it sent');
      assertApiError(await tenant.api('GET', `/members/${ada}`), 'NOT_FOUND');
      await tenant.scim('PATCH', `/Users/${ada}`, setActive(false));
      const pending = await tenant.api('GET', '/pending-changes');
      assert.equal(pending.body.total, 2);
      const changes = pending.body.changes as { seq: number; kind: string; userId: string }[];
      assert.deepEqual(changes.map((change) => [change.kind, change.userId]), [['created', ada], ['archived', ada]]);
      assert.ok((changes[0]?.seq ?? 0) < (changes[1]?.seq ?? 0));
    });

    it('applies pending changes in order on sync now and empties the queue', async () => {
      const tenant = await policy.tenant();
      const admins = await tenant.createGroup('Admins');
      await tenant.settings({ autoSync: false, adminGroupId: admins });
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      await tenant.addToGroup(admins, [bob]);
      await tenant.scim('PATCH', `/Users/${ada}`, setActive(false));
      const synced = await tenant.api('POST', '/sync');
      assert.equal(synced.status, 200, JSON.stringify(synced.body));
      assert.equal(synced.body.applied, 4);
      assert.equal((await tenant.member(ada)).status, 'archived');
      assert.equal((await tenant.member(bob)).role, 'admin');
      assert.equal((await tenant.api('GET', '/pending-changes')).body.total, 0);
      assert.equal((await tenant.api('POST', '/sync')).body.applied, 0);
    });

    it('gives seats at sync in the order the IdP provisioned, leaving the rest inactive', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ autoSync: false, seatLimit: 1 });
      const first = await tenant.createUser('first@example.com');
      const second = await tenant.createUser('second@example.com');
      await tenant.api('POST', '/sync');
      assert.equal((await tenant.member(first)).status, 'active');
      assert.equal((await tenant.member(second)).status, 'inactive');
    });

    it('applies the queue when automatic sync is turned back on', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ autoSync: false });
      const ada = await tenant.createUser('ada@example.com');
      await tenant.settings({ autoSync: true });
      assert.equal((await tenant.member(ada)).status, 'active');
      assert.equal((await tenant.api('GET', '/pending-changes')).body.total, 0);
    });

    it('queues the role changes of a new group mapping until sync (seed 003)', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const group = await tenant.createGroup('Interviewers', [ada]);
      await tenant.settings({ autoSync: false });
      await tenant.settings({ accessGroupIds: [group] });
      assert.equal((await tenant.member(ada)).accessGroupId, null);
      await tenant.api('POST', '/sync');
      assert.equal((await tenant.member(ada)).accessGroupId, group);
    });
  });
}
