import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewEvent } from '../../src/store/records.js';
import type { Store, StoreSession } from '../../src/store/store.js';
import { decodeFeedPosition } from '../../src/store/sql/events/feed-position.js';
import { testEngines } from '../support/engines.js';
import { statementsWaitingForLocks } from '../support/postgres.js';
import { withTenantStore } from './fixtures.js';

const TENANT = '33333333-3333-4333-8333-333333333333';

function event(name: string): NewEvent {
  return { type: 'user.updated', resourceType: 'User', resourceId: name, payload: { name } };
}

/** The tenant's events as `seq resourceId` lines. */
async function eventsOf(store: Store): Promise<string[]> {
  return (await store.read.events.list(TENANT, 0, 100)).map((row) => `${row.seq} ${row.resourceId}`);
}

const at = (): string => new Date().toISOString();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and the function that settles it. */
function signal(): { promise: Promise<void>; settle: () => void } {
  let settle = (): void => undefined;
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return { promise, settle };
}

for (const engine of testEngines()) {
  describe(`a transaction's events on ${engine.name}`, () => {
    it('are numbered with one reservation at commit, in the order they were appended', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        await store.transaction((tx) => tx.events.append(TENANT, [event('first')], at()));
        const before = decodeFeedPosition(await store.read.events.feedPosition()).key;
        await store.transaction(async (tx) => {
          await tx.events.append(TENANT, [event('a')], at());
          await tx.events.append(TENANT, [event('b'), event('c')], at());
        });
        assert.deepEqual(await eventsOf(store), ['1 first', '2 a', '3 b', '4 c']);
        const rows = await store.read.events.list(TENANT, 1, 100);
        // One reservation takes one feed key: every event of the transaction carries it.
        assert.equal(new Set(rows.map((row) => decodeFeedPosition(row.position).key)).size, 1);
        // SQLite's feed keys count reservations: the transaction took one, not two.
        if (engine.name === 'sqlite') assert.equal(decodeFeedPosition(await store.read.events.feedPosition()).key, before + 1);
      });
    });

    it('are seen by reads of the same transaction that come after the append', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        const seen = await store.transaction(async (tx) => {
          await tx.events.append(TENANT, [event('a'), event('b')], at());
          const lastSeq = await tx.events.lastSeq(TENANT);
          const listed = await tx.events.list(TENANT, 0, 10);
          await tx.events.append(TENANT, [event('c')], at());
          return { lastSeq, listed: listed.map((row) => row.resourceId) };
        });
        assert.deepEqual(seen, { lastSeq: 2, listed: ['a', 'b'] });
        assert.deepEqual(await eventsOf(store), ['1 a', '2 b', '3 c']);
      });
    });

    /**
     * A group of three operations whose second appends an event and fails (after `inFailed`,
     * run in its savepoint); the first and third append theirs.
     */
    const groupWithFailedOperation = (store: Store, inFailed: (tx: StoreSession) => Promise<void> = async () => {}): Promise<void> =>
      store.transactionGroup(async () => {
        await store.transaction((tx) => tx.events.append(TENANT, [event('kept 1')], at()));
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.events.append(TENANT, [event('undone')], at());
            await inFailed(tx);
            throw new Error('the operation fails');
          }),
          /the operation fails/,
        );
        await store.transaction((tx) => tx.events.append(TENANT, [event('kept 2')], at()));
      });

    it('are gone with a failed transaction of a group, and the sequence stays gap-free', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        await groupWithFailedOperation(store);
        assert.deepEqual(await eventsOf(store), ['1 kept 1', '2 kept 2']);
      });
    });

    it('written early by a read in a savepoint that is then undone, are written again at commit', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        await groupWithFailedOperation(store, async (tx) => {
          // The read writes both queued events inside this savepoint; undoing it undoes both rows.
          assert.equal((await tx.events.list(TENANT, 0, 10)).length, 2);
        });
        assert.deepEqual(await eventsOf(store), ['1 kept 1', '2 kept 2']);
      });
    });

    it('of concurrent writers make one gap-free sequence, each transaction\'s in one run in append order', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        const writers = Array.from({ length: 12 }, (_, writer) =>
          store.transaction(async (tx) => {
            await tx.events.append(TENANT, [event(`w${writer}.1`)], at());
            await sleep(writer % 3);
            // Every third writer reads the sequence mid-way: its first events are written then.
            if (writer % 3 === 0) await tx.events.lastSeq(TENANT);
            await tx.events.append(TENANT, [event(`w${writer}.2`), event(`w${writer}.3`)], at());
          }),
        );
        await Promise.all(writers);
        const rows = await store.read.events.list(TENANT, 0, 100);
        assert.deepEqual(
          rows.map((row) => row.seq),
          rows.map((_, index) => index + 1),
        );
        for (let start = 0; start < rows.length; start += 3) {
          const writer = rows[start]?.resourceId.split('.')[0];
          assert.deepEqual(
            rows.slice(start, start + 3).map((row) => row.resourceId),
            [1, 2, 3].map((n) => `${writer}.${n}`),
          );
        }
        const keys = rows.map((row) => decodeFeedPosition(row.position).key);
        assert.deepEqual(
          keys,
          [...keys].sort((a, b) => a - b),
        );
      });
    });

    if (engine.name === 'postgres') {
      it('take the tenant\'s row lock in COMMIT itself, not before it', async () => {
        await withTenantStore(engine, TENANT, async (store) => {
          const holding = signal();
          const release = signal();
          // The first writer reads the sequence after its append, which writes its event at
          // once: it holds the tenant's row lock until it commits.
          const first = store.transaction(async (tx) => {
            await tx.events.append(TENANT, [event('first')], at());
            await tx.events.lastSeq(TENANT);
            holding.settle();
            await release.promise;
          });
          await holding.promise;
          const second = store.transaction((tx) => tx.events.append(TENANT, [event('second')], at()));
          let waiting: string[] = [];
          for (let tries = 0; tries < 200 && waiting.length === 0; tries += 1) {
            await sleep(10);
            waiting = await statementsWaitingForLocks();
          }
          release.settle();
          await Promise.all([first, second]);
          // The second did all its work, its events included, and waits in COMMIT only.
          assert.deepEqual(
            waiting.map((query) => query.trim().toLowerCase()),
            ['commit'],
          );
          assert.deepEqual(await eventsOf(store), ['1 first', '2 second']);
        });
      });
    }

    it('are not written when the transaction fails', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.events.append(TENANT, [event('undone')], at());
            throw new Error('the write fails');
          }),
          /the write fails/,
        );
        await store.transaction((tx) => tx.events.append(TENANT, [event('next')], at()));
        assert.deepEqual(await eventsOf(store), ['1 next']);
      });
    });
  });
}
