import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { type Json } from '../support/scim-client.js';
import { policyServer, type PolicyTenant, setActive } from './policy-client.js';

interface Entry {
  userId: string;
  userName: string;
  outcome: string;
  fields: { field: string; from: string | null; to: string | null }[];
  groups: { displayName: string; change: string }[];
  queued: number;
}

async function preview(tenant: PolicyTenant, query = ''): Promise<{ upTo: number; total: number; members: number; entries: Entry[] }> {
  const response = await tenant.api('GET', `/pending-changes/preview${query}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body as unknown as { upTo: number; total: number; members: number; entries: Entry[] };
}

function entryOf(entries: readonly Entry[], userId: string): Entry {
  const entry = entries.find((e) => e.userId === userId);
  assert.ok(entry !== undefined, `no entry for ${userId} in ${JSON.stringify(entries)}`);
  return entry;
}

for (const engine of testEngines()) {
  describe(`pending changes you can check, on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('previews member by member what sync will change, and changes nothing', async () => {
      const tenant = await policy.tenant();
      const admins = await tenant.createGroup('Admins');
      const ada = await tenant.createUser('ada@example.com', { displayName: 'Ada Lovelace' });
      await tenant.settings({ autoSync: false, adminGroupId: admins });
      const bob = await tenant.createUser('bob@example.com');
      await tenant.addToGroup(admins, [ada]);
      await tenant.scim('PATCH', `/Users/${ada}`, setActive(false));
      const seen = await preview(tenant);
      assert.equal(seen.total, 3);
      assert.equal(seen.members, 2);
      assert.deepEqual(seen.entries.map((e) => e.userId), [bob, ada], 'in the order sync applies them');
      const adaEntry = entryOf(seen.entries, ada);
      assert.equal(adaEntry.userName, 'ada@example.com');
      assert.equal(adaEntry.outcome, 'updated');
      assert.deepEqual(adaEntry.groups, [{ groupId: admins, displayName: 'Admins', change: 'added' }]);
      assert.deepEqual(adaEntry.fields, [
        { field: 'status', from: 'active', to: 'archived' },
        { field: 'role', from: 'member', to: 'admin' },
      ]);
      const bobEntry = entryOf(seen.entries, bob);
      assert.equal(bobEntry.outcome, 'added');
      assert.deepEqual(bobEntry.fields, [{ field: 'status', from: null, to: 'active' }, { field: 'role', from: null, to: 'member' }]);
      // Nothing was applied: the preview rolled back.
      assert.equal((await tenant.member(ada)).role, 'member');
      assertApiError(await tenant.api('GET', `/members/${bob}`), 'NOT_FOUND');
      assert.equal((await tenant.api('GET', '/pending-changes')).body.total, 3);
      assert.ok(!(await tenant.events()).some((event) => event.type === 'member.role_changed'));
    });

    it('applies exactly what the preview showed: changes arriving after it wait', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ autoSync: false });
      const ada = await tenant.createUser('ada@example.com');
      const shown = await preview(tenant);
      const late = await tenant.createUser('late@example.com');
      const synced = await tenant.api('POST', `/sync?upTo=${shown.upTo}`);
      assert.equal(synced.status, 200, JSON.stringify(synced.body));
      assert.deepEqual(synced.body, { applied: shown.total, members: shown.members, upTo: shown.upTo });
      assert.equal((await tenant.member(ada)).status, 'active');
      assertApiError(await tenant.api('GET', `/members/${late}`), 'NOT_FOUND');
      assert.deepEqual((await preview(tenant)).entries.map((e) => e.userId), [late]);
    });

    it('applies one member\'s changes, or discards them with an event, leaving the others queued', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const bob = await tenant.createUser('bob@example.com');
      await tenant.settings({ autoSync: false });
      await tenant.scim('PATCH', `/Users/${ada}`, setActive(false));
      await tenant.scim('PATCH', `/Users/${bob}`, setActive(false));
      const discarded = await tenant.api('DELETE', `/pending-changes/${ada}`);
      assert.equal(discarded.status, 200, JSON.stringify(discarded.body));
      assert.deepEqual(discarded.body, { discarded: 1 });
      assert.equal((await tenant.member(ada)).status, 'active', 'a discarded change is never applied');
      const event = (await tenant.events()).find((e) => e.type === 'pending.discarded');
      assert.equal(event?.payload.userName, 'ada@example.com');
      assert.equal(event.payload.changes, 1);
      const applied = await tenant.api('POST', `/pending-changes/${bob}/apply`);
      assert.equal(applied.status, 200, JSON.stringify(applied.body));
      assert.equal(applied.body.applied, 1);
      assert.equal(applied.body.members, 1);
      assert.equal((await tenant.member(bob)).status, 'archived');
      assert.equal((await tenant.api('GET', '/pending-changes')).body.total, 0);
    });

    it('answers 404 with an error body for a member with nothing waiting, and 400 for a bad upTo', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const none = await tenant.api('DELETE', `/pending-changes/${ada}`);
      assertApiError(none, 'NOT_FOUND');
      assert.match(String((none.body.error as Json).message), /No change is waiting for user/);
      assertApiError(await tenant.api('POST', `/pending-changes/${ada}/apply`), 'NOT_FOUND');
      assertApiError(await tenant.api('POST', '/sync?upTo=-1'), 'VALIDATION_FAILED');
      assertApiError(await policy.admin('GET', '/tenants/no-such-tenant/pending-changes/preview'), 'NOT_FOUND');
    });

    it('names access groups and shows a group deleted by the IdP', async () => {
      const tenant = await policy.tenant();
      const ada = await tenant.createUser('ada@example.com');
      const interviewers = await tenant.createGroup('Interviewers', [ada]);
      await tenant.settings({ accessGroupIds: [interviewers] });
      await tenant.settings({ autoSync: false });
      assert.equal((await tenant.scim('DELETE', `/Groups/${interviewers}`)).status, 204);
      const [entry] = (await preview(tenant)).entries;
      assert.deepEqual(entry?.groups, [{ groupId: interviewers, displayName: 'Interviewers', change: 'deleted' }]);
      assert.deepEqual(entry?.fields, [{ field: 'accessGroup', from: 'Interviewers', to: null }]);
    });
  });
}
