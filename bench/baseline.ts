import { readFileSync } from 'node:fs';

/**
 * Before and after: this run's figures beside those of an earlier run's JSON report
 * (`--baseline FILE`, or `npm run bench:compare -- BEFORE.json AFTER.json`), scenario by
 * scenario. The CPU per request is compared both as milliseconds and as a multiple of the
 * hello-world CPU per request measured in the same run as it, so that a machine that got
 * slower or faster between the two runs shows in the hello figures instead of in Roster's.
 */

/** The parts of a report that the comparison reads (a report JSON of any version has them). */
export interface ComparableRun {
  readonly command: string;
  readonly date: string;
  readonly source: { readonly commit: string; readonly changedSourceFiles: number };
  readonly engine: string;
  readonly dataSet: { readonly users: number };
  readonly hello: { readonly cpuMsPerRequest: number };
  readonly scenarios: readonly ComparableScenario[];
}

interface ComparableScenario {
  readonly id: string;
  readonly title: string;
  readonly perSecond: number;
  readonly cpuMsPerRequest: number;
  readonly latency: { readonly p50Ms: number };
}

/** One scenario, before and after. */
export interface BaselineRow {
  readonly id: string;
  readonly title: string;
  readonly before: { readonly cpuMsPerRequest: number; readonly cpuOverHello: number; readonly perSecond: number; readonly p50Ms: number };
  readonly after: { readonly cpuMsPerRequest: number; readonly cpuOverHello: number; readonly perSecond: number; readonly p50Ms: number };
  /** After's CPU per request divided by before's: below 1 is less CPU. */
  readonly cpuRatio: number;
}

export interface BaselineComparison {
  readonly before: { readonly commit: string; readonly date: string; readonly command: string; readonly helloCpuMsPerRequest: number };
  readonly after: { readonly commit: string; readonly date: string; readonly helloCpuMsPerRequest: number };
  readonly rows: readonly BaselineRow[];
  /** What makes the two runs unlike (engine, size, scenarios only one of them ran). */
  readonly warnings: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScenario(value: unknown): value is ComparableScenario {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    typeof value.perSecond === 'number' &&
    typeof value.cpuMsPerRequest === 'number' &&
    isRecord(value.latency) &&
    typeof value.latency.p50Ms === 'number'
  );
}

/** Checks that `value` (a parsed report JSON) has what the comparison reads; `name` is for the message. */
export function asComparableRun(value: unknown, name: string): ComparableRun {
  const fail = (what: string): never => {
    throw new Error(`${name} is not a benchmark report (the JSON file \`npm run bench\` writes): ${what}.`);
  };
  if (!isRecord(value)) return fail('not a JSON object');
  const { source, dataSet, hello, scenarios } = value;
  if (typeof value.engine !== 'string' || typeof value.date !== 'string' || typeof value.command !== 'string') return fail('no engine, date or command');
  if (!isRecord(source) || typeof source.commit !== 'string' || typeof source.changedSourceFiles !== 'number') return fail('no source commit');
  if (!isRecord(dataSet) || typeof dataSet.users !== 'number') return fail('no data set size');
  if (!isRecord(hello) || typeof hello.cpuMsPerRequest !== 'number') return fail("no hello-world CPU per request");
  if (!Array.isArray(scenarios) || !scenarios.every(isScenario)) return fail('scenarios missing or malformed');
  return value as unknown as ComparableRun;
}

/** Reads an earlier run's JSON report. */
export function loadBaseline(path: string): ComparableRun {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the baseline ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return asComparableRun(parsed, path);
}

const HELLO_IDS = new Set(['hello-start', 'hello-mid', 'hello-end']);

function figures(scenario: ComparableScenario, helloCpu: number): BaselineRow['before'] {
  return {
    cpuMsPerRequest: scenario.cpuMsPerRequest,
    cpuOverHello: helloCpu > 0 ? scenario.cpuMsPerRequest / helloCpu : Number.NaN,
    perSecond: scenario.perSecond,
    p50Ms: scenario.latency.p50Ms,
  };
}

/** Every scenario both runs measured (hello-world's runs aside), in the after run's order. */
export function compareWithBaseline(before: ComparableRun, after: ComparableRun): BaselineComparison {
  const warnings: string[] = [];
  if (before.engine !== after.engine) warnings.push(`the engines differ: ${before.engine} before, ${after.engine} after`);
  if (before.dataSet.users !== after.dataSet.users) warnings.push(`the data sets differ: ${before.dataSet.users.toLocaleString('en-US')} users before, ${after.dataSet.users.toLocaleString('en-US')} after`);
  const earlier = new Map(before.scenarios.map((scenario) => [scenario.id, scenario]));
  const rows: BaselineRow[] = [];
  for (const scenario of after.scenarios) {
    if (HELLO_IDS.has(scenario.id)) continue;
    const old = earlier.get(scenario.id);
    if (old === undefined) {
      warnings.push(`${scenario.id} ran only after`);
      continue;
    }
    rows.push({
      id: scenario.id,
      title: scenario.title,
      before: figures(old, before.hello.cpuMsPerRequest),
      after: figures(scenario, after.hello.cpuMsPerRequest),
      cpuRatio: old.cpuMsPerRequest > 0 ? scenario.cpuMsPerRequest / old.cpuMsPerRequest : Number.NaN,
    });
  }
  const later = new Set(after.scenarios.map((scenario) => scenario.id));
  for (const scenario of before.scenarios) if (!HELLO_IDS.has(scenario.id) && !later.has(scenario.id)) warnings.push(`${scenario.id} ran only before`);
  const source = (run: ComparableRun): string => (run.source.changedSourceFiles > 0 ? `${run.source.commit} + ${run.source.changedSourceFiles} uncommitted files` : run.source.commit);
  return {
    before: { commit: source(before), date: before.date, command: before.command, helloCpuMsPerRequest: before.hello.cpuMsPerRequest },
    after: { commit: source(after), date: after.date, helloCpuMsPerRequest: after.hello.cpuMsPerRequest },
    rows,
    warnings,
  };
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
}

/** The comparison as a markdown section. */
export function renderBaseline(comparison: BaselineComparison): string[] {
  const { before, after } = comparison;
  return [
    '## Before and after',
    '',
    `- Before: commit ${before.commit}, ${before.date} (\`${before.command}\`); hello-world ${fixed(before.helloCpuMsPerRequest, 3)} ms of CPU per request`,
    `- After: commit ${after.commit}, ${after.date}; hello-world ${fixed(after.helloCpuMsPerRequest, 3)} ms of CPU per request`,
    '- "× hello" is the scenario\'s server CPU per request over hello-world\'s in the same run; "after ÷ before" divides the milliseconds (below 1: less CPU)',
    '',
    '| scenario | CPU ms/req before | after | after ÷ before | × hello before | after | req/s before | after | p50 ms before | after |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...comparison.rows.map(
      (row) =>
        `| ${row.title} | ${fixed(row.before.cpuMsPerRequest, 3)} | ${fixed(row.after.cpuMsPerRequest, 3)} | ${fixed(row.cpuRatio, 2)} | ${fixed(row.before.cpuOverHello, 1)} | ${fixed(row.after.cpuOverHello, 1)} | ${fixed(row.before.perSecond, row.before.perSecond < 10 ? 2 : 0)} | ${fixed(row.after.perSecond, row.after.perSecond < 10 ? 2 : 0)} | ${fixed(row.before.p50Ms, 2)} | ${fixed(row.after.p50Ms, 2)} |`,
    ),
    ...(comparison.warnings.length === 0 ? [] : ['', ...comparison.warnings.map((warning) => `- Note: ${warning}`)]),
  ];
}
