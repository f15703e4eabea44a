// Transactions begun together on SQLite's one connection share a commit (shared-commits.ts):
// each still commits or fails as a whole with its events, and its caller hears after the commit.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, it } from 'node:test';
import type { NewEvent, UserRecord } from '../../src/store/records.js';
import { SharedCommits } from '../../src/store/sql/shared-commits.js';
import { testEngines } from '../support/engines.js';
import { withTenantStore } from './fixtures.js';

/** A fake engine: a transaction is a list of what its members did, "committed" when its body ends. */
function fakeEngine(options: { failCommit?: boolean; connection?: Promise<void> } = {}) {
  const commits: string[][] = [];
  const broken = new Set<string[]>();
  const shared = new SharedCommits<string[], string[]>(
    async (body) => {
      // Another transaction may hold the one connection: this one waits for it.
      await options.connection;
      const done: string[] = [];
      await body(done);
      if (options.failCommit === true) throw new Error('commit failed');
      commits.push(done);
    },
    async (group, work) => {
      const mark = group.length;
      try {
        return await work(group);
      } catch (error) {
        group.splice(mark);
        throw error;
      }
    },
    (group) => !broken.has(group),
  );
  return { shared, commits, broken };
}

describe('shared commits', () => {
  it('runs transactions begun together one after another in one transaction, each answered after its commit', async () => {
    const { shared, commits } = fakeEngine();
    let answered = 0;
    const runs = ['a', 'b', 'c'].map(async (name) => {
      const value = await shared.run(async (done) => {
        await Promise.resolve();
        // Nothing is answered before the commit, which follows the last of them.
        assert.equal(answered, 0);
        done.push(name);
        return name.toUpperCase();
      });
      answered += 1;
      assert.deepEqual(commits, [['a', 'b', 'c']]);
      return value;
    });
    assert.deepEqual(await Promise.all(runs), ['A', 'B', 'C']);
  });

  it('undoes a failing transaction alone, answering it at once, and commits the others', async () => {
    const { shared, commits } = fakeEngine();
    const results = await Promise.allSettled([
      shared.run((done) => Promise.resolve(done.push('a'))),
      shared.run((done) => {
        done.push('b');
        return Promise.reject(new Error('b fails'));
      }),
      shared.run((done) => Promise.resolve(done.push('c'))),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(commits, [['a', 'c']]);
  });

  it('fails every transaction of a commit that fails', async () => {
    const { shared, commits } = fakeEngine({ failCommit: true });
    const results = await Promise.allSettled([shared.run((done) => Promise.resolve(done.push('a'))), shared.run((done) => Promise.resolve(done.push('b')))]);
    assert.deepEqual(
      results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'fulfilled')),
      ['Error: commit failed', 'Error: commit failed'],
    );
    assert.deepEqual(commits, []);
  });

  it('runs no more transactions in one that can take no more, and runs the rest in a new one', async () => {
    const { shared, commits, broken } = fakeEngine();
    const results = await Promise.allSettled([
      shared.run((done) => {
        broken.add(done);
        return Promise.reject(new Error('the transaction is gone'));
      }),
      shared.run((done) => Promise.resolve(done.push('b'))),
    ]);
    assert.deepEqual(
      results.map((result) => result.status),
      ['rejected', 'fulfilled'],
    );
    assert.deepEqual(commits, [[], ['b']], 'b ran in a transaction of its own');
  });

  it('takes in at most 32 transactions, also of those queued while the connection was busy', async () => {
    let release = (): void => undefined;
    const connection = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { shared, commits } = fakeEngine({ connection });
    const runs = Array.from({ length: 40 }, (_, n) => shared.run((done) => Promise.resolve(done.push(String(n)))));
    release();
    await Promise.all(runs);
    assert.deepEqual(
      commits.map((commit) => commit.length),
      [32, 8],
    );
    assert.deepEqual(commits.flat(), Array.from({ length: 40 }, (_, n) => String(n)), 'in the order they were begun');
  });

  it('fails the waiting transactions too when a transaction cannot begin', async () => {
    const shared = new SharedCommits<string[], string[]>(
      () => Promise.reject(new Error('cannot begin')),
      (group, work) => work(group),
      () => true,
    );
    const results = await Promise.allSettled([shared.run(() => Promise.resolve(1)), shared.run(() => Promise.resolve(2))]);
    assert.deepEqual(
      results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'fulfilled')),
      ['Error: cannot begin', 'Error: cannot begin'],
    );
  });

  it('runs each transaction in the async context of its caller', async () => {
    const { shared } = fakeEngine();
    const context = new AsyncLocalStorage<string>();
    const seen = await Promise.all(['x', 'y', 'z'].map((name) => context.run(name, () => shared.run(() => Promise.resolve(context.getStore())))));
    assert.deepEqual(seen, ['x', 'y', 'z']);
  });

  it('begins a new transaction for one begun after the last one committed', async () => {
    const { shared, commits } = fakeEngine();
    await shared.run((done) => Promise.resolve(done.push('a')));
    await shared.run((done) => Promise.resolve(done.push('b')));
    assert.deepEqual(commits, [['a'], ['b']]);
  });
});

const TENANT = '33333333-3333-4333-8333-333333333333';
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function user(n: number, userName = `u${n}@example.com`): UserRecord {
  const at = new Date().toISOString();
  return { tenantId: TENANT, id: id(n), userName, externalId: null, active: true, deletedAt: null, created: at, lastModified: at, version: 1, data: { userName, active: true } };
}

const event = (n: number): NewEvent => ({ type: 'user.created', resourceType: 'User', resourceId: id(n), payload: { n } });

for (const engine of testEngines()) {
  describe(`transactions begun together on ${engine.name}`, () => {
    it('commit each with its events, undo a failing one alone, and number the events gap-free in commit order', async () => {
      await withTenantStore(engine, TENANT, async (store) => {
        const results = await Promise.allSettled(
          Array.from({ length: 12 }, (_, index) =>
            store.transaction(async (tx) => {
              const n = index + 1;
              await tx.users.insert(user(n));
              await tx.events.append(TENANT, [event(n)], new Date().toISOString());
              // The fifth takes the first one's userName: refused, and its user and event undone.
              if (n === 5) await tx.users.insert(user(100, 'u1@example.com'));
              return n;
            }),
          ),
        );
        assert.deepEqual(
          results.map((result) => result.status === 'fulfilled'),
          Array.from({ length: 12 }, (_, index) => index !== 4),
        );
        const present = await Promise.all(Array.from({ length: 12 }, async (_, index) => (await store.read.users.get(TENANT, id(index + 1))) !== undefined));
        assert.deepEqual(present, Array.from({ length: 12 }, (_, index) => index !== 4));
        const events = await store.read.events.list(TENANT, 0, 100);
        assert.deepEqual(
          events.map((recorded) => recorded.seq),
          Array.from({ length: 11 }, (_, index) => index + 1),
        );
        // On SQLite they ran one after another in the order begun; PostgreSQL runs them at once.
        const resources = events.map((recorded) => recorded.resourceId);
        assert.deepEqual(engine.name === 'sqlite' ? resources : resources.sort(), [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12].map(id));
      });
    });
  });
}
