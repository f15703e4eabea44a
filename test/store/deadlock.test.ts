import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserRecord } from '../../src/store/records.js';
import { testEngines } from '../support/engines.js';

function user(tenantId: string, id: string): UserRecord {
  const at = new Date().toISOString();
  return { tenantId, id, userName: `${id}@example.com`, externalId: null, active: true, deletedAt: null, created: at, lastModified: at, version: 1, data: { userName: `${id}@example.com`, active: true } };
}

for (const engine of testEngines().filter((candidate) => candidate.name === 'postgres')) {
  describe(`transactions that deadlock on ${engine.name}`, () => {
    it('runs the losing transaction again instead of failing', async () => {
      const store = await engine.open();
      try {
        const tenantId = '11111111-1111-4111-8111-111111111111';
        await store.read.tenants.insert({ id: tenantId, name: 'Deadlock', createdAt: new Date().toISOString(), settings: {} });
        const [a, b] = ['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002'];
        await store.transaction(async (tx) => {
          await tx.users.insert(user(tenantId, a));
          await tx.users.insert(user(tenantId, b));
        });
        // Both transactions take their first lock, wait for each other, then ask for the other's.
        let arrived = 0;
        let release: () => void = () => undefined;
        const bothLocked = new Promise<void>((resolve) => {
          release = resolve;
        });
        let runs = 0;
        const lockInOrder = (first: string, second: string) =>
          store.transaction(async (tx) => {
            runs += 1;
            await tx.users.getForUpdate(tenantId, first);
            arrived += 1;
            if (arrived === 2) release();
            await bothLocked;
            await tx.users.getForUpdate(tenantId, second);
            return true;
          });
        const results = await Promise.all([lockInOrder(a, b), lockInOrder(b, a)]);
        assert.deepEqual(results, [true, true]);
        assert.ok(runs >= 3, `one transaction ran again (runs: ${runs})`);
      } finally {
        await store.close();
      }
    });
  });
}
