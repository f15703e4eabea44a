/** Latency, error and memory figures of a soak run, per interval and overall. */
import { loadavg } from 'node:os';

/** One interval of the run (a minute by default). */
export interface IntervalFigures {
  /** Seconds since the start of the run at the interval's end. */
  readonly atSeconds: number;
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Server RSS at the interval's end, and the largest sample within it, in MiB. */
  readonly rssMiB: number | undefined;
  readonly rssMaxMiB: number | undefined;
  /** V8 heap in use as the server's /metrics reports it, in MiB, when it does. */
  readonly heapUsedMiB: number | undefined;
  /** How far behind its schedule the generator fell at worst, in ms. */
  readonly maxLagMs: number;
  /** The machine's one-minute load average at the interval's end (other work shares the cores). */
  readonly load1: number;
  /** Server CPU time per request in the interval, in ms: Roster's own cost, whatever else runs. */
  readonly cpuMsPerRequest: number | undefined;
}

/** The value at quantile `q` of ascending `sorted` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

const round = (value: number): number => Math.round(value * 100) / 100;
const mib = (bytes: number | undefined): number | undefined => (bytes === undefined ? undefined : round(bytes / 1_048_576));

/** Collects one interval's samples. */
export class IntervalMeter {
  private latencies: number[] = [];
  private errors = 0;
  private rss: number[] = [];
  private lag = 0;

  record(latencyMs: number, ok: boolean): void {
    this.latencies.push(latencyMs);
    if (!ok) this.errors += 1;
  }

  sampleRss(bytes: number | undefined): void {
    if (bytes !== undefined) this.rss.push(bytes);
  }

  noteLag(ms: number): void {
    this.lag = Math.max(this.lag, ms);
  }

  /** The interval's figures; the meter starts over. */
  close(atSeconds: number, heapUsedBytes: number | undefined, cpuMs: number | undefined): { figures: IntervalFigures; latencies: number[] } {
    const sorted = this.latencies.sort((a, b) => a - b);
    const figures: IntervalFigures = {
      atSeconds: Math.round(atSeconds),
      requests: sorted.length,
      errors: this.errors,
      p50Ms: round(quantile(sorted, 0.5)),
      p90Ms: round(quantile(sorted, 0.9)),
      p99Ms: round(quantile(sorted, 0.99)),
      maxMs: round(sorted.at(-1) ?? 0),
      rssMiB: mib(this.rss.at(-1)),
      rssMaxMiB: mib(this.rss.length === 0 ? undefined : Math.max(...this.rss)),
      heapUsedMiB: mib(heapUsedBytes),
      maxLagMs: round(this.lag),
      load1: round(loadavg()[0] ?? 0),
      cpuMsPerRequest: cpuMs === undefined || sorted.length === 0 ? undefined : round(cpuMs / sorted.length),
    };
    this.latencies = [];
    this.errors = 0;
    this.rss = [];
    this.lag = 0;
    return { figures, latencies: sorted };
  }
}

/** The intervals as a markdown table. */
export function intervalTable(intervals: readonly IntervalFigures[]): string {
  const dash = (value: number | undefined): string => (value === undefined ? '–' : String(value));
  const lines = [
    '| minute | requests | errors | p50 ms | p90 ms | p99 ms | max ms | CPU ms/req | RSS MiB | heap MiB | load |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of intervals) {
    lines.push(
      `| ${round(row.atSeconds / 60)} | ${row.requests} | ${row.errors} | ${row.p50Ms} | ${row.p90Ms} | ${row.p99Ms} | ${row.maxMs} | ${dash(row.cpuMsPerRequest)} | ${dash(row.rssMiB)} | ${dash(row.heapUsedMiB)} | ${row.load1} |`,
    );
  }
  return lines.join('\n');
}

/** Latency percentiles per request kind over the whole run. */
export class KindMeter {
  private readonly latencies = new Map<string, number[]>();

  record(kind: string, latencyMs: number): void {
    const list = this.latencies.get(kind) ?? [];
    list.push(latencyMs);
    this.latencies.set(kind, list);
  }

  table(): string {
    const lines = ['| request | count | p50 ms | p99 ms | max ms |', '|---|---:|---:|---:|---:|'];
    for (const [kind, list] of [...this.latencies].sort((a, b) => b[1].length - a[1].length)) {
      const sorted = [...list].sort((a, b) => a - b);
      lines.push(`| ${kind} | ${sorted.length} | ${round(quantile(sorted, 0.5))} | ${round(quantile(sorted, 0.99))} | ${round(sorted.at(-1) ?? 0)} |`);
    }
    return lines.join('\n');
  }
}
