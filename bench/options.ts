import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The storage engines the benchmark can drive. */
export type Engine = 'sqlite' | 'postgres';

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
  /** The command line as typed, for the report header. */
  readonly command: string;
}

const USAGE = `usage: npm run bench -- [--users N] [--engine sqlite|postgres] [--duration S] [--connections C]
                     [--processes 1|2] [--out DIR] [--data-dir DIR] [--database-url URL] [--only id,id]
                     [--cpu-prof DIR]`;

function positiveInteger(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, got "${text}".\n${USAGE}`);
  return value;
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
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
  };
}
