import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { LockSampler } from '../../bench/lock-sampler.js';
import type { ScenarioResult } from '../../bench/scenario.js';
import { checkTargets, type RunFigures } from '../../bench/targets.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { scenarioResult } from './scenario-result.js';

function result(id: string, cpuMs: number, perSecond: number, p50Ms = 1, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return scenarioResult(id, { perSecond, cpuMsPerRequest: cpuMs, latency: { count: 100, meanMs: p50Ms, p50Ms, p90Ms: p50Ms, p99Ms: p50Ms, maxMs: p50Ms }, ...extra });
}

const figures = (engine: RunFigures['engine']): RunFigures => ({ engine, helloPerSecond: 20_000, startupMs: 500, startupSource: 'test', peakRssBytes: 100 * 1024 * 1024, users: 100_000, largeGroupMembers: 100_000, smallGroupMembers: 10 });

function check(checks: ReturnType<typeof checkTargets>, scenario: string, target: RegExp) {
  const found = checks.find((candidate) => candidate.scenario === scenario && target.test(candidate.target));
  assert.ok(found, `no ${String(target)} check for ${scenario}`);
  return found;
}

describe('bench: the hot path targets', () => {
  it('judges the CPU per request by engine: 0.25 ms for SQLite reads, 0.4 ms for PostgreSQL’s', () => {
    const results = new Map([['user-by-id', result('user-by-id', 0.3, 3000)], ['filter-username', result('filter-username', 0.2, 3000)]]);
    const sqlite = checkTargets(results, figures('sqlite'));
    assert.equal(check(sqlite, 'user-by-id', /CPU ≤ 0.25 ms/).pass, false);
    assert.equal(check(sqlite, 'filter-username', /CPU ≤ 0.25 ms/).pass, true);
    const postgres = checkTargets(results, figures('postgres'));
    assert.equal(check(postgres, 'user-by-id', /CPU ≤ 0.4 ms/).pass, true);
    assert.equal(check(sqlite, 'user-post', /CPU ≤ 0.7 ms/).pass, undefined, 'not run: not measured');
  });

  it('judges /Bulk of 1,000 by its p50 wall time: 0.5 s on SQLite, 2 s on PostgreSQL; and PostgreSQL creates/s', () => {
    const results = new Map([['bulk-1000', result('bulk-1000', 900, 1, 1200)], ['user-post', result('user-post', 2, 650)]]);
    assert.equal(check(checkTargets(results, figures('sqlite')), 'bulk-1000', /≤ 0.5 s/).pass, false);
    assert.equal(check(checkTargets(results, figures('postgres')), 'bulk-1000', /≤ 2 s/).pass, true);
    assert.equal(check(checkTargets(results, figures('postgres')), 'user-post', /600 creates/).pass, true);
  });

  it('fails the no-lock-wait check of a read scenario whose samples saw a wait', () => {
    const waited = result('filter-username-x2', 1, 1000, 1, { lockWaits: { samples: 20, samplesWithWaits: 1, maxWaitingLocks: 1, maxWaitingBackends: 1 } });
    const clean = result('user-by-id', 1, 1000, 1, { lockWaits: { samples: 20, samplesWithWaits: 0, maxWaitingLocks: 0, maxWaitingBackends: 0 } });
    const checks = checkTargets(new Map([['filter-username-x2', waited], ['user-by-id', clean]]), figures('postgres'));
    assert.equal(check(checks, 'filter-username-x2', /wait on no lock/).pass, false);
    assert.equal(check(checks, 'user-by-id', /wait on no lock/).pass, true);
  });
});

describe('bench: pg_locks sampler', async () => {
  const available = await postgresAvailable();
  it('sees a lock request that waits, and none when nothing waits', { skip: !available }, async () => {
    const url = await createTestDatabase();
    const holder = new pg.Client({ connectionString: url });
    const waiter = new pg.Client({ connectionString: url });
    await Promise.all([holder.connect(), waiter.connect()]);
    try {
      await holder.query('create table t (id int primary key)');
      await holder.query('insert into t values (1)');
      const quiet = await LockSampler.start(url, 20);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const none = await quiet.stop();
      assert.ok(none.samples > 0);
      assert.equal(none.samplesWithWaits, 0);

      await holder.query('begin');
      await holder.query('select * from t where id = 1 for update');
      const blocked = waiter.query('update t set id = 1 where id = 1');
      const sampler = await LockSampler.start(url, 20);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const waits = await sampler.stop();
      await holder.query('rollback');
      await blocked;
      assert.ok(waits.samplesWithWaits > 0, JSON.stringify(waits));
      assert.ok(waits.maxWaitingBackends >= 1);
      assert.ok(waits.maxWaitingLocks >= 1, 'a wait for another transaction’s row counts as a waiting lock request');
    } finally {
      await Promise.all([holder.end(), waiter.end()]);
    }
  });
});
