import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { assertScimError, userBody } from '../support/scim-client.js';
import { policyServer, setActive } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`seats on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('answers 409 naming the limit when provisioning past it under seatPolicy reject (the default)', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ seatLimit: 2 });
      await tenant.createUser('one@example.com');
      await tenant.createUser('two@example.com');
      const refused = await tenant.scim('POST', '/Users', userBody('three@example.com'));
      assertScimError(refused, 409);
      assert.match(String(refused.body.detail), /seat limit of 2/);
      const found = await tenant.scim('GET', '/Users?filter=userName eq "three@example.com"');
      assert.equal(found.body.totalResults, 0, 'nothing was stored');
      assert.equal((await tenant.members()).length, 2);
    });

    it('stores the user inactive past the limit under seatPolicy createInactive', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ seatLimit: 1, seatPolicy: 'createInactive' });
      await tenant.createUser('one@example.com');
      const created = await tenant.scim('POST', '/Users', userBody('two@example.com'));
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.active, false);
      const member = await tenant.member(String(created.body.id));
      assert.equal(member.status, 'inactive');
      const events = await tenant.events();
      assert.ok(events.some((event) => event.type === 'seat.limit_reached' && event.payload.outcome === 'inactive' && event.payload.seatLimit === 1));
      assert.ok(events.some((event) => event.type === 'seat.limit_reached' && event.payload.outcome === 'filled'), 'the write that took the last seat says so');
    });

    it('does not count archived or inactive members against the limit', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ seatLimit: 1 });
      const first = await tenant.createUser('first@example.com');
      assert.equal((await tenant.scim('PATCH', `/Users/${first}`, setActive(false))).status, 200);
      const second = await tenant.createUser('second@example.com');
      assert.equal((await tenant.scim('DELETE', `/Users/${second}`)).status, 204);
      await tenant.createUser('third@example.com');
      const seats = await tenant.api('GET', '/members');
      assert.deepEqual(seats.body.seats, { limit: 1, used: 1, policy: 'reject' });
    });

    it('applies the seat policy to reactivation past the limit', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ seatLimit: 1 });
      const first = await tenant.createUser('first@example.com');
      await tenant.scim('PATCH', `/Users/${first}`, setActive(false));
      await tenant.createUser('second@example.com');
      assertScimError(await tenant.scim('PATCH', `/Users/${first}`, setActive(true)), 409);
      assert.equal((await tenant.member(first)).status, 'archived');
      await tenant.settings({ seatPolicy: 'createInactive' });
      const reactivated = await tenant.scim('PATCH', `/Users/${first}`, setActive(true));
      assert.equal(reactivated.status, 200, reactivated.text);
      assert.equal(reactivated.body.active, false);
      assert.equal((await tenant.member(first)).status, 'inactive');
    });

    it('lets an admin give an inactive member a freed seat by hand, which activates its SCIM user', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ seatLimit: 1, seatPolicy: 'createInactive' });
      const first = await tenant.createUser('first@example.com');
      const second = await tenant.createUser('second@example.com');
      assertApiError(await tenant.api('PATCH', `/members/${second}`, { status: 'active' }), 'SEAT_LIMIT_REACHED');
      await tenant.scim('DELETE', `/Users/${first}`);
      const activated = await tenant.api('PATCH', `/members/${second}`, { status: 'active' });
      assert.equal(activated.status, 200, JSON.stringify(activated.body));
      assert.equal(activated.body.status, 'active');
      assert.equal((await tenant.scim('GET', `/Users/${second}`)).body.active, true);
    });

    it('lets no two concurrent creates take the same last seat', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ seatLimit: 3 });
      const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => tenant.scim('POST', '/Users', userBody(`racer${i}@example.com`))));
      assert.equal(responses.filter((response) => response.status === 201).length, 3);
      assert.equal(responses.filter((response) => response.status === 409).length, 5);
      assert.equal((await tenant.members('?status=active')).length, 3);
    });
  });
}
