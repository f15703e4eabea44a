/**
 * Soak run: `npm run soak -- --minutes 30 --rate 50`. Starts a real `roster serve` on a new
 * database, sends mixed IdP traffic (traffic.ts) at a fixed rate for the given time, and
 * reports per interval the requests, errors, latency percentiles and the server's memory.
 * Exits 1 when any request failed. Not part of `npm test`.
 *
 * Options: --minutes N (30) --rate REQ_PER_S (50) --interval-seconds N (60) --seed N (1)
 * --engine sqlite|postgres (sqlite) --database-url URL (postgres; else a new database on
 * ROSTER_SOAK_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres, dropped after)
 * --max-in-flight N (64) --out FILE (a JSON report).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuMillis, residentBytes, startServer, type SoakServer } from './server.js';
import { IntervalMeter, intervalTable, KindMeter, quantile, type IntervalFigures } from './stats.js';
import { randomSource, Traffic, type SoakRequest } from './traffic.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '50' },
    'interval-seconds': { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    engine: { type: 'string', default: 'sqlite' },
    'database-url': { type: 'string' },
    'max-in-flight': { type: 'string', default: '64' },
    out: { type: 'string' },
  },
});

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got ${String(text)}`);
  return value;
}

const minutes = positive('minutes', values.minutes);
const rate = positive('rate', values.rate);
const intervalSeconds = positive('interval-seconds', values['interval-seconds']);
const seed = Math.trunc(positive('seed', values.seed));
const maxInFlight = Math.trunc(positive('max-in-flight', values['max-in-flight']));
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';

/** A new PostgreSQL database for the run, and how to drop it. */
async function newDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.ROSTER_SOAK_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `roster_soak_${process.pid}_${Date.now()}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${pg.escapeIdentifier(name)} encoding 'UTF8' locale 'C' template template0`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`) };
}

/** The V8 heap in use, from the server's Prometheus endpoint when it has one. */
async function heapUsed(server: SoakServer): Promise<number | undefined> {
  try {
    const response = await fetch(`${server.origin}/metrics`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    const line = /^(?:roster_)?nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(await response.text());
    return line?.[1] === undefined ? undefined : Number(line[1]);
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roster-soak-'));
  const database = engine === 'postgres' ? (values['database-url'] === undefined ? await newDatabase() : { url: values['database-url'], drop: () => Promise.resolve() }) : undefined;
  const server = await startServer({ ROSTER_DATA_DIR: dataDir, DATABASE_URL: database?.url ?? '' });
  const traffic = new Traffic(randomSource(seed));
  const meter = new IntervalMeter();
  const kinds = new KindMeter();
  const intervals: IntervalFigures[] = [];
  const all: number[] = [];
  const errorsByKind = new Map<string, Map<number, number>>();
  let inFlight = 0;
  let sent = 0;
  let failures = 0;

  const send = async (request: SoakRequest): Promise<void> => {
    const started = performance.now();
    let status = 0;
    let body: unknown;
    try {
      const response = await fetch(`${server.baseUrl}${request.path}`, {
        method: request.method,
        headers: { authorization: `Bearer ${server.token}`, ...(request.body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      const text = await response.text();
      body = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      status = 0;
    }
    const ok = request.expect.includes(status);
    const latency = performance.now() - started;
    meter.record(latency, ok);
    kinds.record(request.kind, latency);
    if (!ok) {
      failures += 1;
      const byStatus = errorsByKind.get(request.kind) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      errorsByKind.set(request.kind, byStatus);
      if (failures <= 20) process.stderr.write(`error: ${request.method} ${request.path} → ${status} ${JSON.stringify(body)}\n`);
    }
    request.settle(status, body);
  };

  process.stdout.write(`Soak: ${minutes} min at ${rate} req/s on ${engine}, seed ${seed}, server pid ${server.child.pid}\n`);
  const pid = server.child.pid ?? 0;
  const start = performance.now();
  const end = start + minutes * 60_000;
  const gap = 1000 / rate;
  let nextAt = start;
  let intervalEnd = start + intervalSeconds * 1000;
  let nextRssSample = start;
  let cpuAtIntervalStart = cpuMillis(pid);
  const cpuSince = (): number | undefined => {
    const cpu = cpuMillis(pid);
    const used = cpu === undefined || cpuAtIntervalStart === undefined ? undefined : cpu - cpuAtIntervalStart;
    cpuAtIntervalStart = cpu;
    return used;
  };
  const pending = new Set<Promise<void>>();

  while (performance.now() < end) {
    const now = performance.now();
    while (nextAt <= now && inFlight < maxInFlight) {
      meter.noteLag(now - nextAt);
      nextAt += gap;
      inFlight += 1;
      sent += 1;
      const done = send(traffic.next()).finally(() => {
        inFlight -= 1;
        pending.delete(done);
      });
      pending.add(done);
    }
    if (now >= nextRssSample) {
      meter.sampleRss(residentBytes(pid));
      nextRssSample += 5000;
    }
    if (now >= intervalEnd) {
      const { figures, latencies } = meter.close((now - start) / 1000, await heapUsed(server), cpuSince());
      for (const latency of latencies) all.push(latency);
      intervals.push(figures);
      process.stdout.write(
        `${(figures.atSeconds / 60).toFixed(1)} min: ${figures.requests} requests, ${figures.errors} errors, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, CPU ${String(figures.cpuMsPerRequest)} ms/req, RSS ${String(figures.rssMiB)} MiB, load ${figures.load1}, ${JSON.stringify(traffic.size)}\n`,
      );
      intervalEnd += intervalSeconds * 1000;
    }
    await sleep(Math.max(0, Math.min(nextAt, intervalEnd, nextRssSample) - performance.now()));
  }
  await Promise.all(pending);
  const last = meter.close((performance.now() - start) / 1000, await heapUsed(server), cpuSince());
  if (last.figures.requests > 0) {
    intervals.push(last.figures);
    for (const latency of last.latencies) all.push(latency);
  }
  await server.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });

  all.sort((a, b) => a - b);
  const rss = intervals.map((row) => row.rssMiB).filter((value): value is number => value !== undefined);
  const summary = {
    engine,
    minutes,
    rate,
    seed,
    requests: sent,
    errors: failures,
    errorRate: sent === 0 ? 0 : failures / sent,
    latencyMs: { p50: quantile(all, 0.5), p90: quantile(all, 0.9), p99: quantile(all, 0.99), p999: quantile(all, 0.999), max: all.at(-1) ?? 0 },
    rssMiB: { first: rss[0], last: rss.at(-1), max: rss.length === 0 ? undefined : Math.max(...rss) },
    model: traffic.size,
    errorsByKind: Object.fromEntries([...errorsByKind].map(([kind, byStatus]) => [kind, Object.fromEntries(byStatus)])),
    serverStderr: server.stderr.slice(0, 50),
    intervals,
  };
  process.stdout.write(`\n${intervalTable(intervals)}\n\n${kinds.table()}\n\n${JSON.stringify({ ...summary, intervals: undefined }, null, 2)}\n`);
  if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(summary, null, 2) + '\n');
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
