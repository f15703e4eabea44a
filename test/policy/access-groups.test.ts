import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { policyServer } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`access groups on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('gives members of a selected IdP group that access group, and none to the others', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      const interviewers = await tenant.createGroup('Interviewers', [ada]);
      await tenant.createGroup('Unselected', [bob]);
      await tenant.settings({ accessGroupIds: [interviewers] });
      assert.equal((await tenant.member(ada)).accessGroupId, interviewers);
      assert.equal((await tenant.member(bob)).accessGroupId, null);
      await tenant.removeFromGroup(interviewers, [ada]);
      assert.equal((await tenant.member(ada)).accessGroupId, null);
    });

    it('gives a user in two selected groups exactly one: the first in accessGroupIds order', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const hiring = await tenant.createGroup('Hiring managers', [ada]);
      const interviewers = await tenant.createGroup('Interviewers', [ada]);
      await tenant.settings({ accessGroupIds: [interviewers, hiring] });
      assert.equal((await tenant.member(ada)).accessGroupId, interviewers);
      await tenant.settings({ accessGroupIds: [hiring, interviewers] });
      assert.equal((await tenant.member(ada)).accessGroupId, hiring, 'reordering the setting changes the priority');
      await tenant.removeFromGroup(hiring, [ada]);
      assert.equal((await tenant.member(ada)).accessGroupId, interviewers, 'leaving one falls back to the next');
      const groups = (await tenant.api('GET', '/groups')).body.groups as { id: string; accessGroupPriority: number | null }[];
      assert.deepEqual(Object.fromEntries(groups.map((group) => [group.id, group.accessGroupPriority])), { [hiring]: 0, [interviewers]: 1 });
    });

    it('clears access groups when the selection is emptied', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const group = await tenant.createGroup('Interviewers', [ada]);
      await tenant.settings({ accessGroupIds: [group] });
      await tenant.settings({ accessGroupIds: [] });
      assert.equal((await tenant.member(ada)).accessGroupId, null);
    });
  });
}
