import type { AnswerDeviation } from './answer-checks.js';
import { PEER_SCENARIOS, type PeerReport } from './peers.js';
import type { ScenarioResult } from './scenario.js';

/** One server's figures for one request in the comparison. */
export interface ComparisonCell {
  /** Server CPU time per successful request; null when not measured (no PID) or nothing succeeded. */
  readonly cpuMsPerRequest: number | null;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly errors: number;
  /** Set when no request succeeded: the statuses it answered, or why it could not run. */
  readonly failure: string | null;
}

/** A peer's cell, with Roster's CPU per request divided by the peer's (below 1: Roster spends less). */
export interface PeerCell extends ComparisonCell {
  readonly rosterOverPeer: number | null;
}

/** One request, on every server. */
export interface ComparisonRow {
  readonly scenario: string;
  readonly request: string;
  /** Undefined when Roster's scenario did not run. */
  readonly roster: ComparisonCell | undefined;
  readonly peers: Readonly<Record<string, PeerCell>>;
}

/** Roster beside its peers: CPU per request of each, with hello-world's as the floor. */
export interface Comparison {
  readonly rosterUsers: number;
  /** Where Roster's own answers differ from what the scenarios ask for (the same checks as the peers'). */
  readonly rosterDeviations: readonly AnswerDeviation[];
  readonly helloCpuMsPerRequest: number;
  readonly rows: readonly ComparisonRow[];
}

const REQUESTS: Readonly<Record<(typeof PEER_SCENARIOS)[number], string>> = {
  'user-by-id': 'GET /Users/{id}',
  'filter-username': 'GET /Users?filter=userName eq "…"',
  'group-get-excluded-small': 'GET /Groups/{id}?excludedAttributes=members (10 members)',
  'list-page': 'GET /Users?startIndex=<random>&count=100',
  'user-patch': 'PATCH /Users/{id} replace title',
  'user-post': 'POST /Users',
};

function statusList(statuses: Readonly<Record<string, number>>): string {
  const failed = Object.entries(statuses).filter(([status]) => !/^2\d\d$/.test(status));
  return failed.map(([status, count]) => `${status} × ${count.toLocaleString('en-US')}`).join(', ');
}

function cellOf(result: ScenarioResult): ComparisonCell {
  const ok = result.latency.count;
  return {
    cpuMsPerRequest: ok > 0 && Number.isFinite(result.cpuMsPerRequest) ? result.cpuMsPerRequest : null,
    perSecond: result.perSecond,
    p50Ms: result.latency.p50Ms,
    p99Ms: result.latency.p99Ms,
    requests: result.requests,
    errors: result.errors,
    failure: ok > 0 ? null : `fails: ${statusList(result.statuses) || 'no answer'}`,
  };
}

function peerCell(peer: PeerReport, scenario: string, roster: ComparisonCell | undefined): PeerCell | undefined {
  const result = peer.scenarios.find((candidate) => candidate.id === scenario);
  if (result === undefined) {
    const failure = peer.failures.find((candidate) => candidate.scenario === scenario);
    if (failure === undefined) return undefined;
    return { cpuMsPerRequest: null, perSecond: 0, p50Ms: 0, p99Ms: 0, requests: 0, errors: 0, failure: `could not run: ${failure.message}`, rosterOverPeer: null };
  }
  const cell = cellOf(result);
  const ratio = roster?.cpuMsPerRequest != null && cell.cpuMsPerRequest != null && cell.cpuMsPerRequest > 0 ? roster.cpuMsPerRequest / cell.cpuMsPerRequest : null;
  return { ...cell, rosterOverPeer: ratio };
}

/** The comparison of Roster's runs with each peer's twin runs of the same scenarios. */
export function compareWithPeers(
  rosterResults: readonly ScenarioResult[],
  rosterDeviations: readonly AnswerDeviation[],
  peers: readonly PeerReport[],
  helloCpuMsPerRequest: number,
  rosterUsers: number,
): Comparison {
  const rows: ComparisonRow[] = [];
  for (const scenario of PEER_SCENARIOS) {
    const own = rosterResults.find((result) => result.id === scenario);
    const roster = own === undefined ? undefined : cellOf(own);
    const cells: Record<string, PeerCell> = {};
    for (const peer of peers) {
      const cell = peerCell(peer, scenario, roster);
      if (cell !== undefined) cells[peer.name] = cell;
    }
    if (roster !== undefined || Object.keys(cells).length > 0) rows.push({ scenario, request: REQUESTS[scenario], roster, peers: cells });
  }
  return { rosterUsers, rosterDeviations, helloCpuMsPerRequest, rows };
}

function fixed(value: number | null, digits: number): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cpuText(cell: ComparisonCell | undefined): string {
  if (cell === undefined) return 'not run';
  if (cell.failure !== null) return `**${cell.failure.replaceAll('|', '\\|')}**`;
  const errors = cell.errors > 0 ? ` (${cell.errors.toLocaleString('en-US')} of ${cell.requests.toLocaleString('en-US')} failed)` : '';
  return `${cell.cpuMsPerRequest === null ? 'not measured' : fixed(cell.cpuMsPerRequest, 3)}${errors}`;
}

function speedText(cell: ComparisonCell | undefined): string[] {
  if (cell === undefined || cell.failure !== null) return ['—', '—', '—'];
  return [fixed(cell.perSecond, 0), fixed(cell.p50Ms, 2), fixed(cell.p99Ms, 2)];
}

function seedText(seed: PeerReport['seed']): string {
  if (seed.created === 0) return `all already there (found by userName in ${fixed(seed.seconds, 0)} s)`;
  const existing = seed.existing > 0 ? `; ${seed.existing.toLocaleString('en-US')} were already there` : '';
  return `seeded over its SCIM API in ${fixed(seed.seconds, 0)} s (${fixed(seed.usersPerSecond, 0)} users/s${existing})`;
}

/** The "Roster beside its peers" section of the markdown report. */
export function renderComparison(comparison: Comparison, peers: readonly PeerReport[]): string[] {
  const names = peers.map((peer) => peer.name);
  const lines = [
    '## Roster beside its peers',
    '',
    `- Roster: ${comparison.rosterUsers.toLocaleString('en-US')} users; hello-world's server CPU per request ${fixed(comparison.helloCpuMsPerRequest, 3)} ms (median of its runs), the floor of a Node HTTP server on this machine`,
    ...peers.map(
      (peer) =>
        `- ${peer.name}: ${peer.url}, ${peer.users.toLocaleString('en-US')} users${peer.users === comparison.rosterUsers ? '' : ' (**not Roster\'s size**)'}, ${seedText(peer.seed)}; CPU: ${peer.cpuSource}`,
    ),
    '- "Roster ÷ peer" is Roster\'s server CPU per request over the peer\'s: below 1, Roster spends less CPU on the request. Each peer run follows Roster\'s run of the same scenario.',
    '',
    `| request | Roster CPU ms/req | ${names.map((name) => `${name} CPU ms/req | Roster ÷ ${name}`).join(' | ')} | hello-world CPU ms/req |`,
    `|---|--:|${names.map(() => '--:|--:|').join('')}--:|`,
    ...comparison.rows.map((row) => {
      const cells = names.map((name) => {
        const cell = row.peers[name];
        return `${cell === undefined ? 'not run' : cpuText(cell)} | ${cell === undefined ? '—' : fixed(cell.rosterOverPeer, 2)}`;
      });
      return `| ${row.request} | ${cpuText(row.roster)} | ${cells.join(' | ')} | ${fixed(comparison.helloCpuMsPerRequest, 3)} |`;
    }),
    '',
    `| request | Roster req/s | p50 ms | p99 ms | ${names.map((name) => `${name} req/s | p50 ms | p99 ms`).join(' | ')} |`,
    `|---|--:|--:|--:|${names.map(() => '--:|--:|--:|').join('')}`,
    ...comparison.rows.map((row) => `| ${row.request} | ${[...speedText(row.roster), ...names.flatMap((name) => speedText(row.peers[name]))].join(' | ')} |`),
  ];
  const notes = [
    ...comparison.rosterDeviations.map((deviation) => `Roster, ${deviation.scenario}: ${deviation.note}`),
    ...peers.flatMap((peer) => [
    ...peer.notes.map((note) => `${peer.name}: ${note}`),
    ...peer.deviations.map((deviation) => `${peer.name}, ${deviation.scenario}: ${deviation.note}`),
    ...peer.scenarios.filter((result) => result.errors > 0).map((result) => `${peer.name}, ${result.id}: ${result.errors} of ${result.requests} requests failed; first: ${result.firstError ?? ''}`),
    ]),
  ];
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note.replaceAll('|', '\\|').replaceAll('\n', ' ')}`));
  return lines;
}
