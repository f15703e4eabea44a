import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { asComparableRun, compareWithBaseline, loadBaseline, renderBaseline, type ComparableRun } from '../../bench/baseline.js';

function run(commit: string, helloCpu: number, scenarios: Array<[id: string, cpuMs: number, perSecond: number]>, engine = 'sqlite', users = 100_000): ComparableRun {
  return {
    command: 'npm run bench -- --users 100000',
    date: '2026-12-06T06:00:00.000Z',
    source: { commit, changedSourceFiles: 0 },
    engine,
    dataSet: { users },
    hello: { cpuMsPerRequest: helloCpu },
    scenarios: [['hello-start', helloCpu, 20_000] as const, ...scenarios].map(([id, cpuMs, perSecond]) => ({ id, title: `title of ${id}`, perSecond, cpuMsPerRequest: cpuMs, latency: { p50Ms: 1 } })),
  };
}

describe('bench: before and after (--baseline, bench:compare)', () => {
  const before = run('aaaaaaa', 0.04, [['user-by-id', 0.4, 2000], ['user-post', 3, 300], ['bulk-1000', 1300, 0.7]]);
  const after = run('bbbbbbb', 0.02, [['user-by-id', 0.2, 4000], ['user-post', 1.5, 600], ['filter-username', 0.3, 3000]]);
  const comparison = compareWithBaseline(before, after);

  it('divides each scenario’s CPU per request after by before, and by each run’s own hello-world', () => {
    const row = comparison.rows.find((candidate) => candidate.id === 'user-by-id');
    assert.equal(row?.cpuRatio, 0.5);
    assert.equal(row?.before.cpuOverHello, 10);
    assert.equal(row?.after.cpuOverHello, 10);
    assert.deepEqual(comparison.rows.map((candidate) => candidate.id), ['user-by-id', 'user-post'], 'hello-world runs are the reference, not rows');
  });

  it('says which scenarios only one run measured, and when the runs are unlike', () => {
    assert.ok(comparison.warnings.includes('filter-username ran only after'));
    assert.ok(comparison.warnings.includes('bulk-1000 ran only before'));
    const unlike = compareWithBaseline(before, run('c', 0.02, [], 'postgres', 20_000));
    assert.ok(unlike.warnings.some((warning) => warning.includes('engines differ')));
    assert.ok(unlike.warnings.some((warning) => warning.includes('100,000 users before, 20,000 after')));
  });

  it('renders a markdown table with both commits', () => {
    const text = renderBaseline(comparison).join('\n');
    assert.match(text, /Before: commit aaaaaaa/);
    assert.match(text, /\| title of user-post \| 3\.000 \| 1\.500 \| 0\.50 \| 75\.0 \| 75\.0 \| 300 \| 600 \|/);
  });

  it('refuses a file that is not a benchmark report, saying what is missing', () => {
    assert.throws(() => asComparableRun({ engine: 'sqlite' }, 'x.json'), /x\.json is not a benchmark report .*no engine, date or command/);
    assert.throws(() => asComparableRun({ ...before, scenarios: [{ id: 'user-by-id' }] }, 'y.json'), /scenarios missing or malformed/);
    assert.throws(() => loadBaseline('/nonexistent/report.json'), /Cannot read the baseline \/nonexistent\/report\.json/);
  });

  it('npm run bench:compare prints the table from two report files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-baseline-'));
    writeFileSync(join(dir, 'before.json'), JSON.stringify(before));
    writeFileSync(join(dir, 'after.json'), JSON.stringify(after));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/compare.ts', join(dir, 'before.json'), join(dir, 'after.json')]);
    assert.match(stdout, /## Before and after/);
    assert.match(stdout, /title of user-by-id \| 0\.400 \| 0\.200 \| 0\.50/);
  });
});
