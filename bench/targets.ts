import type { Engine } from './options.js';
import type { ScenarioResult } from './scenario.js';

/** One performance target of docs/benchmarks.md and what this run measured for it. */
export interface TargetCheck {
  /** The scenario the target belongs to in the main table (or a pseudo-id such as `startup`). */
  readonly scenario: string;
  readonly target: string;
  readonly measured: string;
  /** Undefined when the run did not measure it (scenario skipped or failed). */
  readonly pass: boolean | undefined;
}

/** Figures that are not a scenario's. */
export interface RunFigures {
  readonly engine: Engine;
  readonly helloPerSecond: number;
  readonly startupMs: number;
  /** What the start-up figure is of (the built `roster serve`, or the benchmark's tsx process). */
  readonly startupSource: string;
  readonly peakRssBytes: number;
  readonly users: number;
  readonly largeGroupMembers: number;
  readonly smallGroupMembers: number;
}

/** RSS growth during a full read of the large group below this counts as "flat memory". */
export const FLAT_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

const MB = 1024 * 1024;

function ratioCheck(result: ScenarioResult | undefined, id: string, hello: number, minimum: number): TargetCheck {
  if (result === undefined || result.perSecond === 0) return { scenario: id, target: `≥ ${minimum} × hello req/s`, measured: 'not measured', pass: undefined };
  const ratio = result.perSecond / hello;
  return { scenario: id, target: `≥ ${minimum} × hello req/s`, measured: `${ratio.toFixed(2)} ×`, pass: ratio >= minimum };
}

function p99Check(result: ScenarioResult | undefined, id: string): TargetCheck {
  if (result === undefined || result.perSecond === 0) return { scenario: id, target: 'p99 < 10 ms', measured: 'not measured', pass: undefined };
  return { scenario: id, target: 'p99 < 10 ms', measured: `${result.latency.p99Ms.toFixed(2)} ms`, pass: result.latency.p99Ms < 10 };
}

function sameCheck(small: ScenarioResult | undefined, large: ScenarioResult | undefined, id: string, target: string): TargetCheck {
  if (small === undefined || large === undefined || small.latency.count === 0 || large.latency.count === 0) return { scenario: id, target, measured: 'not measured', pass: undefined };
  const ratio = large.latency.p50Ms / small.latency.p50Ms;
  return {
    scenario: id,
    target,
    measured: `p50 ${large.latency.p50Ms.toFixed(2)} / ${small.latency.p50Ms.toFixed(2)} ms = ${ratio.toFixed(2)} × (p99 ${(large.latency.p99Ms / small.latency.p99Ms).toFixed(2)} ×)`,
    pass: ratio <= 1.2,
  };
}

function scalingCheck(one: ScenarioResult | undefined, two: ScenarioResult | undefined, id: string, what: string): TargetCheck | undefined {
  if (two === undefined) return undefined;
  if (one === undefined || one.perSecond === 0) return { scenario: id, target: `${what}: 2 processes ≥ 1.6 × one`, measured: 'not measured', pass: undefined };
  const ratio = two.perSecond / one.perSecond;
  return { scenario: id, target: `${what}: 2 processes ≥ 1.6 × one`, measured: `${ratio.toFixed(2)} ×`, pass: ratio >= 1.6 };
}

/**
 * The hot path's targets, in server CPU per request at 100,000 users (docs/benchmarks.md,
 * "Performance targets"): the steadiest figure on a shared machine.
 */
const CPU_TARGETS: Readonly<Record<Engine, ReadonlyArray<readonly [id: string, maxMs: number]>>> = {
  sqlite: [
    ['user-by-id', 0.25],
    ['filter-username', 0.25],
    ['user-patch', 0.6],
    ['user-post', 0.7],
  ],
  postgres: [
    ['user-by-id', 0.4],
    ['filter-username', 0.4],
  ],
};

/** /Bulk of 1,000 operations, wall time (p50) per engine. */
const BULK_TARGET_MS: Readonly<Record<Engine, number>> = { sqlite: 500, postgres: 2000 };

function cpuCheck(result: ScenarioResult | undefined, id: string, maxMs: number): TargetCheck {
  const target = `server CPU ≤ ${maxMs} ms/req`;
  if (result === undefined || result.cpuMsPerRequest === 0) return { scenario: id, target, measured: 'not measured', pass: undefined };
  return { scenario: id, target, measured: `${result.cpuMsPerRequest.toFixed(3)} ms`, pass: result.cpuMsPerRequest <= maxMs };
}

function lockCheck(result: ScenarioResult | undefined, id: string): TargetCheck | undefined {
  const waits = result?.lockWaits;
  if (waits === undefined) return undefined;
  return { scenario: id, target: 'reads wait on no lock (pg_locks sampled)', measured: `${waits.samplesWithWaits} of ${waits.samples} samples with waits`, pass: waits.samples > 0 && waits.samplesWithWaits === 0 };
}

/** Every performance target of docs/benchmarks.md, checked against this run. */
export function checkTargets(results: ReadonlyMap<string, ScenarioResult>, figures: RunFigures): TargetCheck[] {
  const hello = figures.helloPerSecond;
  const full = results.get('group-get-full-large');
  const checks: (TargetCheck | undefined)[] = [
    ratioCheck(results.get('filter-username'), 'filter-username', hello, 0.5),
    p99Check(results.get('filter-username'), 'filter-username'),
    ratioCheck(results.get('user-by-id'), 'user-by-id', hello, 0.5),
    p99Check(results.get('user-by-id'), 'user-by-id'),
    ratioCheck(results.get('list-page'), 'list-page', hello, 0.25),
    results.has('cursor-page') ? ratioCheck(results.get('cursor-page'), 'cursor-page', hello, 0.25) : undefined,
    (() => {
      const post = results.get('user-post');
      if (post === undefined) return { scenario: 'user-post', target: '≥ 2,000 creates/s', measured: 'not measured', pass: undefined };
      return { scenario: 'user-post', target: '≥ 2,000 creates/s', measured: `${post.perSecond.toFixed(0)}/s`, pass: post.perSecond >= 2000 };
    })(),
    ratioCheck(results.get('user-patch'), 'user-patch', hello, 0.4),
    sameCheck(
      results.get('group-add-small'),
      results.get('group-add-large'),
      'group-add-large',
      `add-member latency at ${figures.largeGroupMembers.toLocaleString('en-US')} members ≤ 1.2 × at ${figures.smallGroupMembers}`,
    ),
    sameCheck(results.get('group-get-excluded-small'), results.get('group-get-excluded-large'), 'group-get-excluded-large', 'excludedAttributes=members independent of size (≤ 1.2 ×)'),
    full === undefined
      ? { scenario: 'group-get-full-large', target: 'full read ≤ 1 s', measured: 'not measured', pass: undefined }
      : { scenario: 'group-get-full-large', target: 'full read ≤ 1 s', measured: `p50 ${(full.latency.p50Ms / 1000).toFixed(2)} s, max ${(full.latency.maxMs / 1000).toFixed(2)} s`, pass: full.latency.count > 0 && full.latency.p50Ms <= 1000 },
    full === undefined
      ? undefined
      : !Number.isFinite(full.peakRssBytes - full.rssBeforeBytes)
        ? { scenario: 'group-get-full-large', target: `flat memory (RSS growth < ${FLAT_RSS_GROWTH_BYTES / MB} MB)`, measured: 'not measured (server did not answer)', pass: undefined }
        : {
          scenario: 'group-get-full-large',
          target: `flat memory (RSS growth < ${FLAT_RSS_GROWTH_BYTES / MB} MB)`,
          measured: `+${((full.peakRssBytes - full.rssBeforeBytes) / MB).toFixed(0)} MB (peak ${(full.peakRssBytes / MB).toFixed(0)} MB)`,
          pass: full.peakRssBytes - full.rssBeforeBytes < FLAT_RSS_GROWTH_BYTES,
        },
    { scenario: 'peak-rss', target: `peak RSS < 300 MB with ${figures.users.toLocaleString('en-US')} users`, measured: `${(figures.peakRssBytes / MB).toFixed(0)} MB`, pass: figures.peakRssBytes < 300 * MB },
    { scenario: 'startup', target: 'start-up < 1 s', measured: `${figures.startupMs.toFixed(0)} ms (${figures.startupSource})`, pass: figures.startupMs < 1000 },
    scalingCheck(results.get('filter-username'), results.get('filter-username-x2'), 'filter-username-x2', 'filtered GET'),
    scalingCheck(results.get('user-patch'), results.get('user-patch-x2'), 'user-patch-x2', 'PATCH'),
    ...CPU_TARGETS[figures.engine].map(([id, maxMs]) => cpuCheck(results.get(id), id, maxMs)),
    figures.engine === 'postgres'
      ? (() => {
          const post = results.get('user-post');
          return { scenario: 'user-post', target: '≥ 600 creates/s (PostgreSQL)', measured: post === undefined ? 'not measured' : `${post.perSecond.toFixed(0)}/s`, pass: post === undefined ? undefined : post.perSecond >= 600 };
        })()
      : undefined,
    (() => {
      const bulk = results.get('bulk-1000');
      const target = `/Bulk of 1,000 operations ≤ ${BULK_TARGET_MS[figures.engine] / 1000} s`;
      if (bulk === undefined || bulk.latency.count === 0) return { scenario: 'bulk-1000', target, measured: 'not measured', pass: undefined };
      return { scenario: 'bulk-1000', target, measured: `p50 ${(bulk.latency.p50Ms / 1000).toFixed(2)} s`, pass: bulk.latency.p50Ms <= BULK_TARGET_MS[figures.engine] };
    })(),
    ...['user-by-id', 'filter-username', 'filter-username-x2'].map((id) => lockCheck(results.get(id), id)),
  ];
  return checks.filter((check): check is TargetCheck => check !== undefined);
}
