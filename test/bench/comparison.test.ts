import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareWithPeers, renderComparison } from '../../bench/comparison.js';
import type { PeerReport } from '../../bench/peers.js';
import type { ScenarioResult } from '../../bench/scenario.js';
import { scenarioResult } from './scenario-result.js';

function result(id: string, figures: { ok: number; failed?: Record<string, number>; cpuMs: number }): ScenarioResult {
  const failed = Object.values(figures.failed ?? {}).reduce((sum, count) => sum + count, 0);
  return scenarioResult(id, {
    warmupSeconds: 3,
    requests: figures.ok + failed,
    errors: failed,
    perSecond: figures.ok / 5,
    latency: { count: figures.ok, meanMs: 1, p50Ms: 1, p90Ms: 2, p99Ms: 3, maxMs: 4 },
    cpuMsPerRequest: figures.ok === 0 ? 0 : figures.cpuMs,
    statuses: { ...(figures.ok > 0 ? { 200: figures.ok } : {}), ...figures.failed },
  });
}

function peer(name: string, scenarios: ScenarioResult[], pid: number | undefined = 1): PeerReport {
  return {
    name,
    url: 'http://127.0.0.1:1/scim',
    pid,
    cpuSource: pid === undefined ? 'not measured (no PID given)' : '/proc',
    users: 1000,
    seed: { seconds: 10, usersPerSecond: 100, created: 1000, existing: 0 },
    scenarios,
    failures: [{ scenario: 'user-post', message: 'connection refused' }],
    deviations: [{ scenario: 'list-page', note: 'count=100 returned 50 resources' }],
    notes: [],
  };
}

describe('bench: Roster beside its peers', () => {
  const roster = [result('user-by-id', { ok: 1000, cpuMs: 0.4 }), result('filter-username', { ok: 1000, cpuMs: 0.6 }), result('user-post', { ok: 10, cpuMs: 2 })];
  const fast = peer('fast', [result('user-by-id', { ok: 1000, cpuMs: 0.2 }), result('filter-username', { ok: 0, failed: { 404: 800 }, cpuMs: 0 })]);
  const comparison = compareWithPeers(roster, [], [fast], 0.03, 1000);

  it("divides Roster's CPU per request by the peer's", () => {
    const row = comparison.rows.find((candidate) => candidate.scenario === 'user-by-id');
    assert.equal(row?.peers.fast?.rosterOverPeer, 2);
  });

  it('reports a scenario the peer answers with non-2xx as failing, with the statuses', () => {
    const cell = comparison.rows.find((candidate) => candidate.scenario === 'filter-username')?.peers.fast;
    assert.equal(cell?.failure, 'fails: 404 × 800');
    assert.equal(cell?.rosterOverPeer, null);
    assert.equal(cell?.cpuMsPerRequest, null);
  });

  it('reports a scenario that could not run at all with the reason', () => {
    assert.equal(comparison.rows.find((candidate) => candidate.scenario === 'user-post')?.peers.fast?.failure, 'could not run: connection refused');
  });

  it('leaves out requests neither Roster nor a peer ran', () => {
    assert.deepEqual(comparison.rows.map((row) => row.scenario), ['user-by-id', 'filter-username', 'user-post']);
  });

  it('has no CPU figure or ratio for a peer without a PID', () => {
    const unmetered = peer('blind', [result('user-by-id', { ok: 1000, cpuMs: Number.NaN })], undefined);
    const cell = compareWithPeers(roster, [], [unmetered], 0.03, 1000).rows[0]?.peers.blind;
    assert.equal(cell?.cpuMsPerRequest, null);
    assert.equal(cell?.rosterOverPeer, null);
  });

  it('renders the table with the failure, the ratio, hello-world and the deviations', () => {
    const markdown = renderComparison(comparison, [fast]).join('\n');
    assert.match(markdown, /\| GET \/Users\/\{id\} \| 0\.400 \| 0\.200 \| 2\.00 \| 0\.030 \|/);
    assert.match(markdown, /\| GET \/Users\?filter=userName eq "…" \| 0\.600 \| \*\*fails: 404 × 800\*\* \| — \| 0\.030 \|/);
    assert.match(markdown, /- fast, list-page: count=100 returned 50 resources/);
  });
});
