import type { ServerProcess } from './children.js';
import type { LatencySummary } from './histogram.js';
import { runLoad, type LoadResult, type LoadSpec, type TagResult } from './load.js';
import type { SeedManifest, SeededGroup } from './manifest.js';
import type { MeteredServer, MeterSample } from './meter.js';
import { LockSampler, type LockWaits } from './lock-sampler.js';
import type { BenchOptions } from './options.js';
import { cpuMicrosBetween, warmUp } from './warmup.js';

/**
 * A server a scenario sends load to and meters: one the benchmark started (Roster,
 * hello-world), or a peer SCIM server given by URL (metered from /proc when its PID is known).
 */
/** Where a scenario's SCIM requests go: Roster's benchmark tenant or a peer's seeded users. */
export interface ScimTarget {
  readonly servers: readonly MeteredServer[];
  /** Path prefix of the SCIM endpoints (`/scim/v2/{tenantId}` for Roster). */
  readonly base: string;
  /** Header lines for its requests (bearer token, accept). */
  readonly headers: string;
  readonly users: number;
  /** Seeded user ids by index (user i is `userBody(i)`). */
  readonly userIds: readonly string[];
  readonly groups: { readonly small?: SeededGroup; readonly large?: SeededGroup };
}

/** What the scenarios need to know about the run. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly manifest: SeedManifest;
  /** The Roster processes (one, or two with --processes 2). */
  readonly roster: readonly ServerProcess[];
  readonly hello: ServerProcess;
  /** `/scim/v2/{tenantId}` */
  readonly base: string;
  /** Header lines for SCIM requests (bearer token, accept). */
  readonly headers: string;
  readonly capabilities: { readonly cursor: boolean; readonly bulkMaxOperations: number; readonly bulkMaxPayload: number };
  /** A run-unique string for userNames created by this run. */
  readonly runId: string;
}

/** One scenario: a closed-loop load against some servers. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Which servers get the load (connection i → servers[i % n]); all of them are metered. */
  readonly servers: readonly MeteredServer[];
  readonly load: Omit<LoadSpec, 'targets' | 'headers' | 'durationMs'> & { readonly durationMs?: number };
  readonly headers?: string;
  /**
   * Unmeasured load before the measurement: by default a fifth of the duration (1–3 s), then
   * more until the servers are steady (warmup.ts); when given, exactly this long (0: none).
   */
  readonly warmupMs?: number;
  /** The tag whose figures are the scenario's (default: every request). */
  readonly tag?: string;
  /** Runs after the warm-up, just before the measurement. */
  readonly before?: () => Promise<void>;
  /** Runs after the measurement (e.g. puts the data set back as it was). */
  readonly finish?: () => Promise<void>;
  /** Remarks for the report, from the measured run (e.g. failed Bulk operations, events written). */
  readonly notes?: (result: LoadResult) => Promise<readonly string[]>;
}

/** A scenario's figures, as the report shows them. */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly processes: number;
  readonly connections: number;
  readonly seconds: number;
  /** Unmeasured warm-up before it. */
  readonly warmupSeconds: number;
  readonly requests: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly latency: LatencySummary;
  readonly firstByteP50Ms: number;
  /** Server CPU time (user + system, all metered processes) per successful request. */
  readonly cpuMsPerRequest: number;
  /** Server CPU use over the measurement, in cores (1.0 = one core busy all the time). */
  readonly cpuCores: number;
  /** The load generator's own CPU use, in cores: near 1.0 means the client may be the limit. */
  readonly clientCpuCores: number;
  readonly rssBeforeBytes: number;
  readonly peakRssBytes: number;
  readonly bodyBytesPerRequest: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, TagResult>>;
  readonly firstError?: string;
  readonly notes: readonly string[];
  /** PostgreSQL only: lock waits seen in the benchmark database while the scenario was measured. */
  readonly lockWaits?: LockWaits;
}

/** Roster's benchmark tenant, on its first process (or on `servers`, for the two-process scenarios). */
export function rosterTarget(context: BenchContext, servers: readonly MeteredServer[] = context.roster.slice(0, 1)): ScimTarget {
  const { manifest } = context;
  return { servers, base: context.base, headers: context.headers, users: manifest.users, userIds: manifest.userIds, groups: { small: manifest.smallGroup, large: manifest.largeGroup } };
}

/** One line on stderr after a scenario; `server` names a peer's run. */
export function summaryLine(result: ScenarioResult, server?: string): string {
  const errors = result.errors > 0 ? `, ${result.errors} errors (${Object.entries(result.statuses).map(([status, count]) => `${status} × ${count}`).join(', ')})` : '';
  const label = server === undefined ? result.id : `[${server}] ${result.id}`;
  return `  ${label.padEnd(26)} ${result.perSecond.toFixed(0).padStart(7)} req/s  p50 ${result.latency.p50Ms.toFixed(2).padStart(8)} ms  p99 ${result.latency.p99Ms.toFixed(2).padStart(8)} ms  cpu ${result.cpuMsPerRequest.toFixed(3)} ms/req (server ${result.cpuCores.toFixed(2)}, client ${result.clientCpuCores.toFixed(2)} cores; warm-up ${result.warmupSeconds.toFixed(0)} s)${errors}`;
}

function lockWaitNote(waits: LockWaits): string {
  if (waits.samplesWithWaits === 0) return `pg_locks sampled ${waits.samples} times during the run: no lock request waited`;
  return `pg_locks sampled ${waits.samples} times during the run: ${waits.samplesWithWaits} samples with lock waits (at most ${waits.maxWaitingLocks} lock requests, ${waits.maxWaitingBackends} backends waiting at once)`;
}

/**
 * Each process's CPU time in a multi-process scenario, and per request of its share (the
 * connections are spread round-robin, so each process serves about an equal share).
 */
function perProcessNote(before: readonly (MeterSample | undefined)[], after: readonly (MeterSample | undefined)[], ok: number): string {
  const shares = after.map((_, index) => cpuMicrosBetween([before[index]], [after[index]]) / 1000);
  const share = ok / Math.max(1, after.length);
  return `server CPU by process: ${shares.map((ms, index) => `#${index + 1} ${(ms / 1000).toFixed(2)} s (${share > 0 ? (ms / share).toFixed(3) : '—'} ms per request of its share)`).join(', ')}`;
}

/** Runs one scenario: warm-up, CPU/RSS mark, measured load, mark (and, on PostgreSQL, lock samples). */
export async function runScenario(context: BenchContext, scenario: Scenario): Promise<ScenarioResult> {
  const durationMs = scenario.load.durationMs ?? context.options.durationS * 1000;
  const targets = scenario.servers.map((server) => ({ host: server.host, port: server.port }));
  const spec: LoadSpec = { ...scenario.load, targets, headers: scenario.headers ?? context.headers, durationMs };
  let warmupMs = scenario.warmupMs ?? 0;
  if (scenario.warmupMs === undefined) warmupMs = await warmUp(spec, scenario.servers, Math.min(3000, Math.max(1000, durationMs / 5)));
  else if (warmupMs > 0) await runLoad({ ...spec, durationMs: warmupMs, ...(spec.maxRequests === undefined ? {} : { maxRequests: Math.max(1, Math.floor(spec.maxRequests / 5)) }) });
  await scenario.before?.();
  const before = await Promise.all(scenario.servers.map((server) => server.mark()));
  // Roster's scenarios only: hello-world and the peers do not use the benchmark database.
  const onRoster = context.roster.some((server) => scenario.servers.includes(server));
  const sampler = context.options.engine === 'postgres' && onRoster ? await LockSampler.start(context.options.databaseUrl) : undefined;
  const client = process.cpuUsage();
  let result: LoadResult;
  let lockWaits: LockWaits | undefined;
  try {
    result = await runLoad(spec);
  } finally {
    lockWaits = await sampler?.stop();
  }
  const clientCpu = process.cpuUsage(client);
  const after = await Promise.all(scenario.servers.map((server) => server.mark()));
  await scenario.finish?.();
  const notes = (await scenario.notes?.(result)) ?? [];
  // A server that did not answer (blocked by a long request) leaves its CPU figures unknown (NaN).
  const cpuUs = cpuMicrosBetween(before, after);
  const rssBefore = before.map((sample) => sample?.rssBytes ?? Number.NaN);
  const peaks = after.map((sample) => sample?.peakRssBytes ?? Number.NaN);
  const tagged = scenario.tag === undefined ? undefined : result.tags[scenario.tag];
  return {
    id: scenario.id,
    title: scenario.title,
    processes: scenario.servers.length,
    connections: scenario.load.connections,
    seconds: result.seconds,
    warmupSeconds: warmupMs / 1000,
    requests: result.requests,
    errors: result.errors,
    perSecond: tagged?.perSecond ?? result.perSecond,
    latency: tagged?.latency ?? result.latency,
    firstByteP50Ms: result.firstByte.p50Ms,
    cpuMsPerRequest: result.ok === 0 ? 0 : cpuUs / 1000 / result.ok,
    cpuCores: cpuUs / 1e6 / result.seconds,
    clientCpuCores: (clientCpu.user + clientCpu.system) / 1e6 / result.seconds,
    rssBeforeBytes: Math.max(...rssBefore),
    peakRssBytes: Math.max(...peaks),
    bodyBytesPerRequest: result.ok === 0 ? 0 : result.bodyBytes / result.ok,
    statuses: result.statuses,
    tags: result.tags,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
    notes: [...notes, ...(scenario.servers.length > 1 ? [perProcessNote(before, after, result.ok)] : []), ...(lockWaits === undefined ? [] : [lockWaitNote(lockWaits)])],
    ...(lockWaits === undefined ? {} : { lockWaits }),
  };
}
