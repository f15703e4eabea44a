import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InternalError, UniquenessError } from '../../src/scim/errors.js';
import type { JsonObject } from '../../src/scim/json.js';
import { readBulkRequest } from '../../src/scim/bulk/request.js';
import { runBulk, type BulkBatching, type BulkExecutor, type BulkResult, type ExecutableOperation, type Written } from '../../src/scim/bulk/run.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SMALL: BulkBatching = { maxOperations: 3, maxMs: 60_000 };

/**
 * An executor over an in-memory "database" with the store's group semantics: a group's
 * operations stay staged until it ends, a failing operation leaves nothing staged, and a
 * group can be made to fail as a whole at its end (its commit).
 */
class FakeDatabase implements BulkExecutor {
  readonly committed = new Map<string, JsonObject>();
  private staged: Map<string, JsonObject> | undefined;
  private next = 0;
  readonly groups: number[] = [];
  /** Groups (by their number, from 0) whose commit fails. */
  failingCommits = new Set<number>();

  private get rows(): Map<string, JsonObject> {
    return this.staged ?? this.committed;
  }

  async group<T>(work: () => Promise<T>): Promise<T> {
    const number = this.groups.length;
    this.groups.push(0);
    this.staged = new Map(this.committed);
    try {
      const value = await work();
      if (this.failingCommits.has(number)) throw new Error('commit failed');
      for (const [id, row] of this.staged) this.committed.set(id, row);
      return value;
    } finally {
      this.staged = undefined;
    }
  }

  execute(operation: ExecutableOperation): Promise<Written> {
    const last = this.groups.length - 1;
    if (this.staged !== undefined) this.groups[last] = (this.groups[last] ?? 0) + 1;
    const data = operation.data ?? {};
    if (operation.method === 'POST') {
      const userName = typeof data.userName === 'string' ? data.userName : '';
      if ([...this.rows.values()].some((row) => row.userName === userName)) return Promise.reject(new UniquenessError(`${userName} is taken.`));
      const id = `u${this.next++}`;
      this.rows.set(id, data);
      return Promise.resolve({ status: 201, id, version: 'W/"1"' });
    }
    const id = operation.id ?? '';
    const row = this.rows.get(id);
    if (row === undefined) return Promise.reject(new UniquenessError(`no ${id}`));
    this.rows.set(id, { ...row, ...data });
    return Promise.resolve({ status: 200, id, version: 'W/"2"' });
  }

  location(endpoint: string, id: string): string {
    return `https://scim.test${endpoint}/${id}`;
  }

  unexpected(): InternalError {
    return new InternalError('unexpected');
  }
}

function request(operations: object[], failOnErrors?: number): ReturnType<typeof readBulkRequest> {
  return readBulkRequest({ schemas: [BULK_REQUEST], ...(failOnErrors === undefined ? {} : { failOnErrors }), Operations: operations }, { maxOperations: 1000, endpoints: ['/Users'] });
}

const post = (bulkId: string, userName: string): object => ({ method: 'POST', path: '/Users', bulkId, data: { userName } });
const patch = (path: string, title: string): object => ({ method: 'PATCH', path, data: { title } });

function statuses(results: readonly BulkResult[]): string {
  return results.map((result) => result.status).join(' ');
}

describe('runBulk in groups', () => {
  it('commits a group around a failed operation: the others of the group stay', async () => {
    const database = new FakeDatabase();
    database.committed.set('existing', { userName: 'taken' });
    const operations = [post('a', 'a'), post('b', 'taken'), post('c', 'c'), post('d', 'd'), post('e', 'taken'), post('f', 'f'), post('g', 'g')];
    const results = await runBulk(request(operations), database, SMALL);
    assert.equal(statuses(results), '201 409 201 201 409 201 201');
    assert.deepEqual(database.groups, [3, 3, 1]);
    assert.deepEqual([...database.committed.values()].map((row) => row.userName).sort(), ['a', 'c', 'd', 'f', 'g', 'taken']);
    assert.equal(results[1]?.location, undefined, 'a failed POST has no location');
    assert.equal(results[1]?.error?.scimType, 'uniqueness');
  });

  it('counts failOnErrors across groups and stops within the group that reaches it', async () => {
    const database = new FakeDatabase();
    database.committed.set('existing', { userName: 'taken' });
    const operations = [post('a', 'taken'), post('b', 'b'), post('c', 'c'), post('d', 'd'), post('e', 'taken'), post('f', 'f'), post('g', 'g')];
    const results = await runBulk(request(operations, 2), database, SMALL);
    assert.deepEqual(
      results.map((result) => result.index),
      [0, 1, 2, 3, 4],
    );
    assert.equal(statuses(results), '409 201 201 201 409');
    assert.deepEqual(database.groups, [3, 2]);
    assert.equal(database.committed.size, 4);
  });

  it('resolves bulkIds created in an earlier group', async () => {
    const database = new FakeDatabase();
    const operations = [post('a', 'a'), post('b', 'b'), post('c', 'c'), post('d', 'd'), patch('/Users/bulkId:a', 'Lead'), patch('/Users/bulkId:c', 'Chief')];
    const results = await runBulk(request(operations), database, SMALL);
    assert.equal(statuses(results), '201 201 201 201 200 200');
    assert.deepEqual(database.groups, [3, 3]);
    assert.equal(results[4]?.location, results[0]?.location);
    assert.equal(database.committed.get(String(results[0]?.location).split('/').pop() ?? '')?.title, 'Lead');
    assert.equal(database.committed.get(String(results[2]?.location).split('/').pop() ?? '')?.title, 'Chief');
  });

  it('runs a group that failed as a whole again, each operation alone, from where it began', async () => {
    const database = new FakeDatabase();
    database.committed.set('existing', { userName: 'taken' });
    database.failingCommits.add(1);
    const operations = [post('a', 'a'), post('b', 'b'), post('c', 'c'), post('d', 'd'), post('e', 'taken'), patch('/Users/bulkId:d', 'Lead'), post('g', 'g')];
    const results = await runBulk(request(operations, 2), database, SMALL);
    assert.equal(statuses(results), '201 201 201 201 409 200 201');
    // Group 1 (d, e, the PATCH of d) failed at its commit; its three ran alone, then a last group took g.
    assert.deepEqual(database.groups, [3, 3, 1]);
    const d = String(results[3]?.location).split('/').pop() ?? '';
    assert.equal(results[5]?.location, results[3]?.location, 'the PATCH names the id of the POST that committed');
    assert.deepEqual(database.committed.get(d), { userName: 'd', title: 'Lead' });
    const names = [...database.committed.values()].map((row) => row.userName).sort();
    assert.deepEqual(names, ['a', 'b', 'c', 'd', 'g', 'taken'], 'nothing of the failed group committed twice');
  });

  it('ends a group after maxMs, whatever its count', async () => {
    const database = new FakeDatabase();
    const operations = [post('a', 'a'), post('b', 'b'), post('c', 'c')];
    await runBulk(request(operations), database, { maxOperations: 100, maxMs: 0 });
    assert.deepEqual(database.groups, [1, 1, 1]);
  });
});
