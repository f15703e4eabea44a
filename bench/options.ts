import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The storage engines the benchmark can drive. */
export type Engine = 'sqlite' | 'postgres';

/** Another SCIM server measured beside Roster in the same run (`--peer NAME=URL,TOKEN[,PID]`). */
export interface PeerSpec {
  /** How the report names it (letters, digits, `-`, `_`). */
  readonly name: string;
  /** The SCIM base URL (`{url}/Users`, `{url}/Groups`); plain http, as the load generator speaks it. */
  readonly url: URL;
  /** Bearer token; empty for none. */
  readonly token: string;
  /** The server's process id, for its CPU time from /proc; undefined when not given. */
  readonly pid: number | undefined;
}

/** Everything `npm run bench -- …` can be told. */
export interface BenchOptions {
  /** Users seeded into the benchmark tenant. */
  readonly users: number;
  readonly engine: Engine;
  /** Measured seconds per scenario (a short warm-up comes before each). */
  readonly durationS: number;
  /** Concurrent keep-alive connections of the closed-loop client. */
  readonly connections: number;
  /** Roster processes (PostgreSQL only; 2 adds the one-vs-two scaling figures). */
  readonly processes: 1 | 2;
  /** Where the JSON and markdown results go. */
  readonly outDir: string;
  /**
   * Where the SQLite database and the seed manifest live. A directory holding a manifest for
   * the same engine and user count is reused instead of seeded again.
   */
  readonly dataDir: string;
  /** Whether dataDir was chosen by the user (then it is kept after the run). */
  readonly keepData: boolean;
  /** PostgreSQL database to seed and serve (PostgreSQL engine only). */
  readonly databaseUrl: string;
  /** Write V8 CPU profiles of the Roster processes here (node --cpu-prof), when given. */
  readonly cpuProfileDir: string | undefined;
  /** Only these scenarios (by id), when given. */
  readonly only: readonly string[] | undefined;
  /** Peer SCIM servers measured beside Roster (seeded over their own SCIM API). */
  readonly peers: readonly PeerSpec[];
  /** Users seeded into each peer (default: --users, so that the comparison is at one size). */
  readonly peerUsers: number;
  /** An earlier run's JSON report to print before-and-after figures against, when given. */
  readonly baseline: string | undefined;
  /** The command line as typed (peer tokens replaced by `<token>`), for the report header. */
  readonly command: string;
}

const USAGE = `usage: npm run bench -- [--users N] [--engine sqlite|postgres] [--duration S] [--connections C]
                     [--processes 1|2] [--out DIR] [--data-dir DIR] [--database-url URL] [--only id,id]
                     [--cpu-prof DIR] [--peer NAME=URL,TOKEN[,PID] ...] [--peer-users N] [--baseline REPORT.json]`;

function positiveInteger(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, got "${text}".\n${USAGE}`);
  return value;
}

const PEER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Reads one `--peer` value, `NAME=URL,TOKEN[,PID]`: the SCIM base URL (http), its bearer
 * token (which cannot contain a comma; empty for none) and, optionally, the PID of the
 * server process whose CPU time is to be measured.
 */
export function parsePeer(text: string): PeerSpec {
  const fail = (why: string): never => {
    throw new Error(`--peer ${why}: expected NAME=URL,TOKEN[,PID], got "${redactPeer(text)}".\n${USAGE}`);
  };
  const equals = text.indexOf('=');
  if (equals < 0) return fail('has no NAME=');
  const name = text.slice(0, equals);
  if (!PEER_NAME.test(name)) return fail(`name "${name}" is not letters, digits, "-" and "_"`);
  if (name === 'roster' || name === 'hello') return fail(`name "${name}" is taken by the benchmark's own servers`);
  const parts = text.slice(equals + 1).split(',');
  if (parts.length < 2 || parts.length > 3) return fail('needs a URL and a token (which cannot contain a comma)');
  const [urlText = '', token = '', pidText] = parts;
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    return fail(`URL "${urlText}" is not a URL`);
  }
  if (url.protocol !== 'http:') return fail(`URL must be http:// (the load generator speaks plain HTTP/1.1), got ${url.protocol}`);
  if (url.search !== '' || url.hash !== '') return fail('URL must be the SCIM base, without query or fragment');
  let pid: number | undefined;
  if (pidText !== undefined) {
    pid = Number(pidText);
    if (!Number.isInteger(pid) || pid < 1) return fail(`PID "${pidText}" is not a process id`);
  }
  return { name, url, token, pid };
}

/** `NAME=URL,TOKEN[,PID]` with the token replaced by `<token>`. */
function redactPeer(text: string): string {
  return text.replace(/^([^=]*=[^,]*),[^,]*/, '$1,<token>');
}

/** The command line as it goes into reports: peer tokens replaced by `<token>`. */
function commandLine(argv: readonly string[]): string {
  const shown = argv.map((arg, index) => {
    if (argv[index - 1] === '--peer') return redactPeer(arg);
    if (arg.startsWith('--peer=')) return `--peer=${redactPeer(arg.slice('--peer='.length))}`;
    return arg;
  });
  return ['npm run bench', ...(shown.length > 0 ? ['--', ...shown] : [])].join(' ');
}

/** Reads the command line (the arguments after `npm run bench --`). */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      users: { type: 'string' },
      engine: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      processes: { type: 'string' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
      peer: { type: 'string', multiple: true },
      'peer-users': { type: 'string' },
      baseline: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const engine = values.engine ?? 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`--engine must be sqlite or postgres, got "${engine}".\n${USAGE}`);
  const processes = positiveInteger('processes', values.processes, 1, 2);
  if (processes === 2 && engine !== 'postgres') throw new Error('--processes 2 needs --engine postgres: SQLite serves one process.');
  const users = positiveInteger('users', values.users, 100_000, 10_000_000);
  const dataDir = values['data-dir'];
  const peers = (values.peer ?? []).map(parsePeer);
  const names = new Set<string>();
  for (const peer of peers) {
    if (names.has(peer.name)) throw new Error(`--peer ${peer.name} is given twice.\n${USAGE}`);
    names.add(peer.name);
  }
  if (values['peer-users'] !== undefined && peers.length === 0) throw new Error(`--peer-users needs at least one --peer.\n${USAGE}`);
  return {
    users,
    engine,
    durationS: positiveInteger('duration', values.duration, 10, 3600),
    connections: positiveInteger('connections', values.connections, 16, 1024),
    processes: processes === 2 ? 2 : 1,
    outDir: resolve(values.out ?? 'bench/results'),
    dataDir: dataDir === undefined ? join(tmpdir(), `roster-bench-${process.pid}`) : resolve(dataDir),
    keepData: dataDir !== undefined,
    databaseUrl: values['database-url'] ?? process.env.ROSTER_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/roster_bench',
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    only: values.only?.split(',').map((id) => id.trim()).filter((id) => id !== ''),
    peers,
    peerUsers: positiveInteger('peer-users', values['peer-users'], users, 10_000_000),
    baseline: values.baseline === undefined ? undefined : resolve(values.baseline),
    command: commandLine(argv),
  };
}
