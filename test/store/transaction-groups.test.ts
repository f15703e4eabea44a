import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserRecord } from '../../src/store/records.js';
import { testEngines } from '../support/engines.js';
import { withTenantStore } from './fixtures.js';

const TENANT = '22222222-2222-4222-8222-222222222222';

function user(id: string, userName = `${id}@example.com`): UserRecord {
  const at = new Date().toISOString();
  return { tenantId: TENANT, id, userName, externalId: null, active: true, deletedAt: null, created: at, lastModified: at, version: 1, data: { userName, active: true } };
}

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

for (const engine of testEngines()) {
  describe(`transaction groups on ${engine.name}`, () => {
    it('undoes a failing transaction alone and commits the others of the group together', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        await store.transactionGroup(async () => {
          await store.transaction((tx) => tx.users.insert(user(id(1))));
          await assert.rejects(
            store.transaction(async (tx) => {
              await tx.users.insert(user(id(2)));
              // The same userName again: the unique index refuses it, and the whole transaction (id 2 too) is undone.
              await tx.users.insert(user(id(3), `${id(1)}@example.com`));
            }),
          );
          await store.transaction((tx) => tx.users.insert(user(id(4))));
          // Inside the group its own writes are visible to the next transaction.
          assert.ok((await store.transaction((tx) => tx.users.get(TENANT, id(4)))) !== undefined);
        });
        const found = await Promise.all([1, 2, 3, 4].map(async (n) => (await store.read.users.get(TENANT, id(n))) !== undefined));
        assert.deepEqual(found, [true, false, false, true]);
      });
    });

    it('commits nothing when the group fails as a whole', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        await assert.rejects(
          store.transactionGroup(async () => {
            await store.transaction((tx) => tx.users.insert(user(id(5))));
            throw new Error('the group fails');
          }),
          /the group fails/,
        );
        assert.equal(await store.read.users.get(TENANT, id(5)), undefined);
      });
    });

    it('runs a transaction that work started inside a group, but that runs after it ended, on its own', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        let ended: () => void = () => undefined;
        const groupEnded = new Promise<void>((resolve) => {
          ended = resolve;
        });
        let later: Promise<void> = Promise.resolve();
        await store.transactionGroup(async () => {
          // Begun in the group's async context (as a timer set there would be), run after it.
          later = (async () => {
            await groupEnded;
            await store.transaction((tx) => tx.users.insert(user(id(6))));
          })();
          await store.transaction((tx) => tx.users.insert(user(id(7))));
        });
        ended();
        await later;
        assert.ok((await store.read.users.get(TENANT, id(6))) !== undefined);
        assert.ok((await store.read.users.get(TENANT, id(7))) !== undefined);
      });
    });
  });
}
