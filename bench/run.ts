/**
 * `npm run bench`: seeds a tenant (or reuses an earlier seed), starts Roster and a
 * hello-world Fastify server in child processes, runs every scenario with the closed-loop
 * load generator, and writes the figures as JSON and markdown. With `--peer`, other SCIM
 * servers are seeded over their own API and measured in the same scenarios, each right after
 * Roster's run of it. See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { checkAnswers } from './answer-checks.js';
import { compareWithBaseline, loadBaseline } from './baseline.js';
import { readCapabilities } from './capabilities.js';
import { ServerProcess } from './children.js';
import { compareWithPeers } from './comparison.js';
import { analyzeDatabase, databaseBytes, databaseExists, dropDatabase, resetDatabase, warmDatabaseFiles } from './database.js';
import { loadManifest, saveManifest, type SeedManifest } from './manifest.js';
import { parseOptions, type BenchOptions } from './options.js';
import { checkPeersReachable, preparePeers, runPeerTwins } from './peers.js';
import { planScenarios } from './plan.js';
import { primeRoster } from './prime.js';
import { machine, renderMarkdown, sourceState, type BenchReport } from './report.js';
import { rosterTarget, runScenario, summaryLine, type BenchContext, type ScenarioResult } from './scenario.js';
import { seed } from './seed.js';
import { measureServeStartup } from './startup.js';
import { checkTargets } from './targets.js';

function log(line: string): void {
  process.stderr.write(line + '\n');
}

function storeLocation(options: BenchOptions): { dataDir: string; databaseUrl: string | undefined } {
  return { dataDir: options.dataDir, databaseUrl: options.engine === 'postgres' ? options.databaseUrl : undefined };
}

async function analyze(options: BenchOptions): Promise<void> {
  const seconds = await analyzeDatabase(options.engine, options.databaseUrl);
  if (seconds !== undefined) log(`Analyzed the database (VACUUM ANALYZE) in ${seconds.toFixed(1)} s.`);
}

/** The seeded data set: reused when the data directory holds a matching seed, else seeded now. */
async function prepareData(options: BenchOptions): Promise<{ manifest: SeedManifest; reused: boolean }> {
  const location = storeLocation(options);
  const existing = loadManifest(options.dataDir, options.engine, options.users, location.databaseUrl);
  if (existing !== undefined && (await databaseExists(options.engine, options.dataDir, options.databaseUrl))) {
    log(`Reusing the seed in ${options.dataDir} (${existing.users.toLocaleString('en-US')} users, seeded ${existing.seededAt}).`);
    // Migrations added since the seed are applied here, so that they do not count as Roster's start-up.
    const began = Date.now();
    const store = openStore(location);
    try {
      await store.migrate();
      saveManifest(options.dataDir, existing);
      log(`Migrations checked in ${((Date.now() - began) / 1000).toFixed(1)} s.`);
      return { manifest: existing, reused: true };
    } catch (error) {
      // E.g. a migration the seed's schema had was renamed since: seed again.
      log(`The seed cannot be reused (${error instanceof Error ? error.message : String(error)}).`);
    } finally {
      await store.close();
    }
  }
  log(`Seeding ${options.users.toLocaleString('en-US')} users on ${options.engine} (${options.engine === 'sqlite' ? options.dataDir : options.databaseUrl}) …`);
  await resetDatabase(options.engine, options.dataDir, options.databaseUrl);
  const store = openStore(location);
  try {
    await store.migrate();
    const seeded = await seed(store, options.engine, options.users, async () => {
      await analyzeDatabase(options.engine, options.databaseUrl, false);
    });
    const manifest: SeedManifest = location.databaseUrl === undefined ? seeded : { ...seeded, databaseUrl: location.databaseUrl };
    saveManifest(options.dataDir, manifest);
    log(`Seeded in ${manifest.seedSeconds.total.toFixed(0)} s.`);
    return { manifest, reused: false };
  } finally {
    await store.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Read before seeding, so that a wrong path fails in a second rather than after the seed.
  const baseline = options.baseline === undefined ? undefined : loadBaseline(options.baseline);
  const date = new Date();
  const peerServers = await checkPeersReachable(options);
  const { manifest, reused } = await prepareData(options);
  const peers = await preparePeers(peerServers, options.peerUsers, log);
  await analyze(options);
  const warmed = await warmDatabaseFiles(options.engine, options.dataDir);
  if (warmed !== undefined) log(`Read the database files once (${(warmed.bytes / 1024 ** 2).toFixed(0)} MB in ${warmed.seconds.toFixed(1)} s) to start with a warm file cache.`);
  const location = storeLocation(options);
  // The product's default rate limit (1,000 requests per 10 s per token) would answer most of
  // the load with 429: the limiter keeps running, with limits the benchmark never reaches.
  const rosterEnv = {
    ROSTER_DATA_DIR: options.dataDir,
    DATABASE_URL: location.databaseUrl ?? '',
    ROSTER_RATE_LIMIT_PER_TOKEN: '100000000',
    ROSTER_RATE_LIMIT_PER_TENANT: '100000000',
  };
  const roster: ServerProcess[] = [];
  let hello: ServerProcess | undefined;
  let checkStore: Store | undefined;
  try {
    for (let index = 0; index < options.processes; index += 1) roster.push(await ServerProcess.start(`roster-${index + 1}`, './roster-entry.ts', rosterEnv, options.cpuProfileDir));
    hello = await ServerProcess.start('hello', './hello-entry.ts', {});
    const first = roster[0] as ServerProcess;
    log(`Roster listening on port ${first.port} after ${first.startupMs.toFixed(0)} ms; hello-world on port ${hello.port}.`);
    const base = `/scim/v2/${manifest.tenantId}`;
    const headers = `authorization: Bearer ${manifest.token}\r\naccept: application/scim+json\r\n`;
    const serveStartup = await measureServeStartup(options.dataDir, location.databaseUrl).catch((error: unknown) => {
      log(`Could not time \`roster serve\`: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (serveStartup !== undefined) log(`roster serve (built) started in ${serveStartup.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms.`);
    const capabilities = await readCapabilities(first.port, headers, base, manifest.userIds[0] ?? '');
    const context: BenchContext = { options, manifest, roster, hello, base, headers, capabilities, runId: Date.now().toString(36) };
    const plan = planScenarios(context, capabilities, () => (checkStore ??= openStore(location)));
    // The same answer checks as the peers', so that the comparison's remarks are checked on Roster too.
    const rosterDeviations = peers.length === 0 ? [] : await checkAnswers(rosterTarget(context));
    log('Priming Roster (a few writes, then 5 s of reads; not measured) …');
    await primeRoster(context);
    const results = new Map<string, ScenarioResult>();
    for (const scenario of plan.scenarios) {
      log(`Running ${scenario.id}: ${scenario.title}`);
      const result = await runScenario(context, scenario);
      results.set(result.id, result);
      log(summaryLine(result));
      await runPeerTwins(context, peers, scenario.id, log);
    }
    const final = (await first.mark()) ?? first.lastSample;
    if (final === undefined) throw new Error('Roster never reported its memory');
    const helloRuns = ['hello-start', 'hello-mid', 'hello-end'].flatMap((id) => results.get(id) ?? []);
    const helloReference = median(helloRuns.map((run) => run.perSecond));
    const helloCpu = median(helloRuns.map((run) => run.cpuMsPerRequest));
    const scenarios = [...results.values()];
    const startupMs = serveStartup?.medianMs ?? first.startupMs;
    const targets = checkTargets(results, {
      engine: options.engine,
      helloPerSecond: helloReference,
      startupMs,
      startupSource: serveStartup === undefined ? 'benchmark process through tsx; `roster serve` not measured' : `built \`roster serve\`, median of ${serveStartup.runsMs.length}`,
      peakRssBytes: final.maxRssBytes,
      users: manifest.users,
      largeGroupMembers: manifest.largeGroup.members,
      smallGroupMembers: manifest.smallGroup.members,
    });
    const peerReports = peers.map((peer) => peer.report());
    const measured: BenchReport = {
      command: options.command,
      date: date.toISOString(),
      source: sourceState(),
      machine: machine(),
      engine: options.engine,
      processes: options.processes,
      connections: options.connections,
      durationS: options.durationS,
      dataSet: {
        users: manifest.users,
        groups: manifest.otherGroups + 2,
        memberships: manifest.memberships,
        largeGroupMembers: manifest.largeGroup.members,
        smallGroupMembers: manifest.smallGroup.members,
        seedSeconds: manifest.seedSeconds,
        reused,
        databaseBytes: await databaseBytes(options.engine, options.dataDir, options.databaseUrl),
      },
      roster: { startupMs: first.startupMs, timings: first.timings, serveStartup, peakRssBytes: final.maxRssBytes, finalRssBytes: final.rssBytes },
      hello: { runsPerSecond: helloRuns.map((run) => run.perSecond), referencePerSecond: helloReference, cpuMsPerRequest: helloCpu },
      scenarios,
      skipped: plan.skipped,
      targets,
      peers: peerReports,
      comparison: peers.length === 0 ? undefined : compareWithPeers(scenarios, rosterDeviations, peerReports, helloCpu, manifest.users),
    };
    const report: BenchReport = baseline === undefined ? measured : { ...measured, baseline: compareWithBaseline(baseline, measured) };
    mkdirSync(options.outDir, { recursive: true });
    const name = `roster-bench-${options.engine}-${manifest.users}-${timestamp(date)}`;
    writeFileSync(join(options.outDir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
    const markdown = renderMarkdown(report);
    writeFileSync(join(options.outDir, `${name}.md`), markdown);
    process.stdout.write('\n' + markdown);
    log(`\nWrote ${join(options.outDir, name)}.json and .md`);
  } finally {
    await checkStore?.close();
    await Promise.all([...roster, ...(hello === undefined ? [] : [hello])].map((server) => server.stop()));
    if (!options.keepData) await dropDatabase(options.engine, options.dataDir, options.databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
