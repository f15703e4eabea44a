import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { renderBaseline, type BaselineComparison } from './baseline.js';
import { renderComparison, type Comparison } from './comparison.js';
import type { StartTimings } from './meter.js';
import type { PeerReport } from './peers.js';
import type { ServeStartup } from './startup.js';
import type { ScenarioResult } from './scenario.js';
import type { TargetCheck } from './targets.js';

/** Everything a run produced; written as JSON and rendered as markdown. */
export interface BenchReport {
  readonly command: string;
  readonly date: string;
  /** The commit measured, and how many files under src/ differed from it (uncommitted work). */
  readonly source: { readonly commit: string; readonly changedSourceFiles: number };
  readonly machine: { readonly cpus: number; readonly model: string; readonly memoryGb: number; readonly os: string; readonly node: string };
  readonly engine: string;
  readonly processes: number;
  readonly connections: number;
  readonly durationS: number;
  readonly dataSet: {
    readonly users: number;
    readonly groups: number;
    readonly memberships: number;
    readonly largeGroupMembers: number;
    readonly smallGroupMembers: number;
    readonly seedSeconds: { readonly users: number; readonly total: number };
    readonly reused: boolean;
    readonly databaseBytes: number | undefined;
  };
  readonly roster: {
    /** The benchmark's Roster process (run through tsx), spawn → listening. */
    readonly startupMs: number;
    readonly timings: StartTimings;
    /** `node bin/roster.js serve` (the built product), when built. */
    readonly serveStartup: ServeStartup | undefined;
    readonly peakRssBytes: number;
    readonly finalRssBytes: number;
  };
  /** Hello-world runs (start, middle, end); the median is the reference for ratios. */
  readonly hello: { readonly runsPerSecond: readonly number[]; readonly referencePerSecond: number; readonly cpuMsPerRequest: number };
  readonly scenarios: readonly ScenarioResult[];
  readonly skipped: readonly string[];
  readonly targets: readonly TargetCheck[];
  /** Peer SCIM servers measured in the same run (`--peer`), and the comparison with them. */
  readonly peers: readonly PeerReport[];
  readonly comparison: Comparison | undefined;
  /** This run beside an earlier run's report (`--baseline`). */
  readonly baseline?: BaselineComparison | undefined;
}

/** The machine the run is on, for the header. */
export function machine(): BenchReport['machine'] {
  const list = cpus();
  return { cpus: list.length, model: list[0]?.model.trim() ?? 'unknown', memoryGb: Math.round(totalmem() / 1024 ** 3), os: `${osType()} ${release()}`, node: process.version };
}

/** The commit checked out and the number of source files that differ from it. */
export function sourceState(): BenchReport['source'] {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).split('\n').filter((line) => line.trim() !== '').length;
    return { commit, changedSourceFiles: changed };
  } catch {
    return { commit: 'unknown', changedSourceFiles: 0 };
  }
}

const MB = 1024 * 1024;

function fixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function mark(pass: boolean | undefined): string {
  return pass === undefined ? 'n/a' : pass ? 'pass' : '**FAIL**';
}

function scenarioRow(result: ScenarioResult, hello: BenchReport['hello'], checks: readonly TargetCheck[]): string {
  const own = checks.filter((check) => check.scenario === result.id);
  const target = own.map((check) => check.target).join('; ') || '—';
  const outcome = own.map((check) => `${mark(check.pass)} (${check.measured})`).join('; ') || '—';
  const errors = result.errors > 0 ? ` (${result.errors} errors)` : '';
  const cpuRatio = result.cpuMsPerRequest > 0 ? fixed(hello.cpuMsPerRequest / result.cpuMsPerRequest, 2) : '—';
  return `| ${result.title} | ${fixed(result.perSecond, result.perSecond < 10 ? 2 : 0)}${errors} | ${fixed(result.latency.p50Ms, 2)} | ${fixed(result.latency.p99Ms, 2)} | ${fixed(result.cpuMsPerRequest, 3)} | ${fixed(result.perSecond / hello.referencePerSecond, 2)} | ${cpuRatio} | ${target} | ${outcome} |`;
}

function serveLine(startup: ServeStartup | undefined): string {
  if (startup === undefined) return '`roster serve` not measured (no build: run `npm run build`)';
  const stale = startup.staleBuild ? ' (the build is older than some source files)' : '';
  return `\`node bin/roster.js serve\` spawn → listening ${startup.runsMs.map((ms) => fixed(ms, 0)).join(', ')} ms, median ${fixed(startup.medianMs, 0)} ms${stale}`;
}

/** The report as markdown: header, the scenario table, the targets, and notes. */
export function renderMarkdown(report: BenchReport): string {
  const { dataSet, roster, hello } = report;
  const lines: string[] = [
    `# Roster benchmark, ${report.engine}, ${dataSet.users.toLocaleString('en-US')} users`,
    '',
    `- Command: \`${report.command}\``,
    `- Date: ${report.date}; source: commit ${report.source.commit}${report.source.changedSourceFiles > 0 ? ` with ${report.source.changedSourceFiles} uncommitted files under src/` : ''}`,
    `- Machine: ${report.machine.cpus} cores (${report.machine.model}), ${report.machine.memoryGb} GB RAM, ${report.machine.os}, Node ${report.machine.node}; load generator, servers${report.engine === 'postgres' ? ' and PostgreSQL' : ''} share the machine`,
    `- Data set: ${dataSet.users.toLocaleString('en-US')} users, ${dataSet.groups} groups, ${dataSet.memberships.toLocaleString('en-US')} memberships (large group ${dataSet.largeGroupMembers.toLocaleString('en-US')}, small group ${dataSet.smallGroupMembers}); ` +
      (dataSet.reused ? 'reused from an earlier seed' : `seeded through the store in ${fixed(dataSet.seedSeconds.total, 0)} s (users ${fixed(dataSet.seedSeconds.users, 0)} s)`) +
      (dataSet.databaseBytes === undefined ? '' : `; database ${fixed(dataSet.databaseBytes / MB, 0)} MB`),
    `- Load: closed loop, ${report.connections} keep-alive connections, ${report.durationS} s per scenario after a warm-up that lasts until the server's CPU per request stops falling (${fixed(Math.min(...report.scenarios.map((result) => result.warmupSeconds)), 0)}–${fixed(Math.max(...report.scenarios.map((result) => result.warmupSeconds)), 0)} s); ${report.processes} Roster process${report.processes > 1 ? 'es' : ''}`,
    `- Hello-world: ${hello.runsPerSecond.map((value) => fixed(value, 0)).join(', ')} req/s (start, middle, end); "× hello" divides by their median, ${fixed(hello.referencePerSecond, 0)} req/s; ` +
      `"CPU × hello" is hello-world's server CPU per request (${fixed(hello.cpuMsPerRequest, 3)} ms) over the scenario's, the ratio the two would reach if each had a core to itself`,
    `- Roster start-up: ${serveLine(roster.serveStartup)}; the benchmark's own Roster process (through tsx) ${fixed(roster.startupMs, 0)} ms ` +
      `(modules loaded ${fixed(roster.timings.modulesLoadedMs, 0)} ms, store open and migrated ${fixed(roster.timings.storeReadyMs, 0)} ms, listening ${fixed(roster.timings.listeningMs, 0)} ms after process start)`,
    `- Roster peak RSS ${fixed(roster.peakRssBytes / MB, 0)} MB over the run, ${fixed(roster.finalRssBytes / MB, 0)} MB at the end`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | server CPU ms/req | × hello | CPU × hello | target | result |',
    '|---|--:|--:|--:|--:|--:|--:|---|---|',
    ...report.scenarios.map((result) => scenarioRow(result, hello, report.targets)),
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...report.targets.map((check) => `| ${check.target} (${check.scenario}) | ${check.measured} | ${mark(check.pass)} |`),
  ];
  const notes: string[] = [];
  for (const result of report.scenarios) {
    for (const note of result.notes) notes.push(`${result.id}: ${note}`);
    if (result.errors > 0) notes.push(`${result.id}: ${result.errors} of ${result.requests} requests failed; statuses ${JSON.stringify(result.statuses)}; first: ${result.firstError ?? ''}`);
  }
  for (const skipped of report.skipped) notes.push(`skipped: ${skipped}`);
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note.replaceAll('|', '\\|').replaceAll('\n', ' ')}`));
  if (report.comparison !== undefined) lines.push('', ...renderComparison(report.comparison, report.peers));
  if (report.baseline !== undefined) lines.push('', ...renderBaseline(report.baseline));
  return lines.join('\n') + '\n';
}
