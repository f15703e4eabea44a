import { checkAnswers, type AnswerDeviation } from './answer-checks.js';
import { HttpConnection } from './http-connection.js';
import type { BenchOptions } from './options.js';
import { PeerServer } from './peer-server.js';
import { seedPeer, type PeerSeed } from './peer-seed.js';
import { runScenario, summaryLine, type BenchContext, type Scenario, type ScenarioResult, type ScimTarget } from './scenario.js';
import { groupExcludedScenario } from './scenarios-groups.js';
import { filterUserNameScenario, listPageScenario, userByIdScenario } from './scenarios-read.js';
import { userPatchScenario, userPostScenario } from './scenarios-write.js';

/** The scenarios a peer is measured in, as Roster's of the same id (the IdP's requests). */
export const PEER_SCENARIOS = ['user-by-id', 'filter-username', 'group-get-excluded-small', 'list-page', 'user-patch', 'user-post'] as const;

/** A peer's part of the report. */
export interface PeerReport {
  readonly name: string;
  readonly url: string;
  readonly pid: number | undefined;
  /** What its CPU figures cover. */
  readonly cpuSource: string;
  readonly users: number;
  readonly seed: { readonly seconds: number; readonly usersPerSecond: number; readonly created: number; readonly existing: number };
  readonly scenarios: readonly ScenarioResult[];
  /** Scenarios that could not run at all (e.g. the peer stopped answering), with the error. */
  readonly failures: readonly { readonly scenario: string; readonly message: string }[];
  /** Where its answers differ from what the scenario asks for (checked once before the load). */
  readonly deviations: readonly AnswerDeviation[];
  readonly notes: readonly string[];
}

/** A peer being measured: its server, seed and results so far. */
export class Peer {
  readonly results: ScenarioResult[] = [];
  readonly failures: { scenario: string; message: string }[] = [];
  deviations: readonly AnswerDeviation[] = [];

  constructor(
    readonly server: PeerServer,
    readonly seed: PeerSeed,
  ) {}

  get target(): ScimTarget {
    const { server, seed } = this;
    return { servers: [server], base: server.base, headers: server.headers, users: seed.userIds.length, userIds: seed.userIds, groups: seed.smallGroup === undefined ? {} : { small: seed.smallGroup } };
  }

  report(): PeerReport {
    const { server, seed } = this;
    return {
      name: server.name,
      url: server.url,
      pid: server.spec.pid,
      cpuSource: server.cpuSource,
      users: seed.userIds.length,
      seed: { seconds: seed.seconds, usersPerSecond: seed.created / seed.seconds, created: seed.created, existing: seed.existing },
      scenarios: this.results,
      failures: this.failures,
      deviations: this.deviations,
      notes: seed.notes,
    };
  }
}

/**
 * Checks, before anything is seeded, that each peer answers `GET {url}/Users?count=1` with
 * its token and that its PID (when given) can be read: a wrong URL or token fails the run at
 * once rather than after Roster's seed.
 */
export async function checkPeersReachable(options: BenchOptions): Promise<PeerServer[]> {
  const servers = options.peers.map((spec) => new PeerServer(spec));
  for (const server of servers) {
    const connection = await HttpConnection.open(server.host, server.port, server.headers).catch((error: unknown) => {
      throw new Error(`peer ${server.name} (${server.url}) cannot be reached: ${error instanceof Error ? error.message : String(error)}`);
    });
    try {
      const response = await connection.send({ method: 'GET', path: `${server.base}/Users?count=1` }, true);
      if (response.status !== 200) throw new Error(`peer ${server.name}: GET ${server.url}/Users?count=1 answered ${response.status}: ${(response.body ?? '').slice(0, 300)}`);
    } finally {
      connection.close();
    }
    if (server.spec.pid !== undefined && (await server.mark()) === undefined) throw new Error(`peer ${server.name}: no process ${server.spec.pid} (/proc/${server.spec.pid}/stat cannot be read)`);
  }
  return servers;
}

/** Seeds every peer with the run's users and checks its answers once. */
export async function preparePeers(servers: readonly PeerServer[], users: number, log: (line: string) => void): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (const server of servers) {
    log(`Seeding ${users.toLocaleString('en-US')} users into peer ${server.name} (${server.url}) through POST /Users …`);
    const seed = await seedPeer(server, users);
    log(`Seeded peer ${server.name} in ${seed.seconds.toFixed(0)} s (${(seed.created / seed.seconds).toFixed(0)} users/s${seed.existing > 0 ? `; ${seed.existing} already there` : ''}).`);
    const peer = new Peer(server, seed);
    peer.deviations = await checkAnswers(peer.target);
    for (const deviation of peer.deviations) log(`  peer ${server.name}, ${deviation.scenario}: ${deviation.note}`);
    peers.push(peer);
  }
  return peers;
}

/** The peer's twin of Roster's scenario `id`, or undefined when the peer is not measured in it. */
function twinOf(context: BenchContext, peer: Peer, id: string): Scenario | undefined {
  const target = peer.target;
  switch (id) {
    case 'user-by-id':
      return userByIdScenario(context, target);
    case 'filter-username':
      return filterUserNameScenario(context, target);
    case 'list-page':
      return listPageScenario(context, target);
    case 'group-get-excluded-small':
      return target.groups.small === undefined ? undefined : groupExcludedScenario(context, 'small', target);
    case 'user-patch':
      return userPatchScenario(context, target);
    case 'user-post':
      return userPostScenario(context, target);
    default:
      return undefined;
  }
}

/**
 * Runs each peer's twin of the Roster scenario just run, so that the two are measured minutes
 * apart at most on the shared machine. A peer that cannot be loaded at all (connection
 * refused) is recorded as failing that scenario; the run goes on.
 */
export async function runPeerTwins(context: BenchContext, peers: readonly Peer[], id: string, log: (line: string) => void): Promise<void> {
  for (const peer of peers) {
    const scenario = twinOf(context, peer, id);
    if (scenario === undefined) continue;
    try {
      const result = await runScenario(context, scenario);
      peer.results.push(result);
      log(summaryLine(result, peer.server.name));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      peer.failures.push({ scenario: id, message });
      log(`  [${peer.server.name}] ${id} could not run: ${message}`);
    }
  }
}
