import pg from 'pg';
import type { PoolClient, PoolConfig, QueryResult } from 'pg';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** Connections per process unless ROSTER_PG_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** How long a request may wait for a connection (new or from a busy pool) before failing. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * bigint columns (`tenants.event_seq`, `events.seq`) and count(*) come back from pg as strings,
 * because an int8 may exceed 2^53. Roster's never get near that, so this pool parses them as
 * numbers. The override is per pool: a host application's own `pg` use is not affected.
 */
function numericInt8(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  return types;
}

/** `postgres://user@host:port/db` with any password removed, for messages and logs. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return 'the DATABASE_URL (not a valid URL)';
  }
}

function hintFor(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'Nothing is listening there: is the server running, and are host and port right?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The host name does not resolve.';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The host does not answer.';
    case '28P01':
    case '28000':
      return 'Check the user and password in DATABASE_URL.';
    case '3D000':
      return 'Create the database first (see docs/operations.md), then start Roster again.';
    case '53300':
      return 'The server has no connection slots left: lower ROSTER_PG_POOL_SIZE or raise max_connections.';
    default:
      break;
  }
  if (message.includes('timeout exceeded when trying to connect')) {
    return `Every connection of the pool stayed busy for ${CONNECT_TIMEOUT_MS / 1000} s: raise ROSTER_PG_POOL_SIZE, or add Roster processes.`;
  }
  if (message.includes('connection timeout')) return `The server did not answer within ${CONNECT_TIMEOUT_MS / 1000} s.`;
  return 'Check DATABASE_URL and that the server accepts connections from this host.';
}

/** Raised when Roster cannot get a PostgreSQL connection; the message says where and why. */
export class PostgresConnectionError extends Error {
  constructor(target: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot connect to PostgreSQL at ${target}: ${reason === '' ? String((cause as { code?: unknown }).code) : reason}. ${hintFor(cause)}`, { cause });
    this.name = 'PostgresConnectionError';
  }
}

/**
 * The client as Kysely queries it, with each query passed to pg with a callback instead of
 * pg's promise form. Reading a 100,000-member group (200 pages) through the promise form had
 * V8 promote 3.5–4 MB to the old generation at every scavenge (~35 % of what was allocated,
 * none of it live), so the RSS grew by tens of MB per read; with a callback ~5 KB
 * (docs/benchmarks.md, "Full read of a large group on PostgreSQL"). Same rows, same errors.
 */
function callbackClient(client: PoolClient): PostgresPoolClient {
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Kysely passes a cursor only when its dialect is given one (Roster's is not).
    if (typeof sqlOrCursor !== 'string') throw new Error('Roster reads no PostgreSQL cursor.');
    return new Promise((resolve, reject) => {
      client.query(sqlOrCursor, [...(parameters ?? [])], (error: Error | undefined, result: QueryResult) => {
        if (error) reject(error);
        else resolve(result as unknown as PostgresQueryResult<R>);
      });
    });
  }
  return { query, release: () => client.release() };
}

export interface PoolOptions {
  readonly connectionString: string;
  readonly size: number;
  /** Extra pg settings; tests use `options` to pick a schema. */
  readonly extra?: Omit<PoolConfig, 'connectionString' | 'max' | 'types'>;
  /** Runs once, on the first connection, before it is handed out (server checks). */
  readonly onFirstConnection?: (client: PoolClient) => Promise<void>;
}

/**
 * A pg Pool as Kysely's PostgresDialect wants it, its clients querying with callbacks
 * (callbackClient), with three additions: failures to connect
 * become a `PostgresConnectionError` that names the server and the likely cause; errors of
 * idle connections (a server restart, a terminated backend) are reported instead of crashing
 * the process (pg emits them as 'error' events); and a one-time check on the first connection.
 */
export function createPool(options: PoolOptions): PostgresPool & { readonly pool: pg.Pool } {
  // One wrapper per pg client: Kysely keeps its connection state by client object.
  const wrappers = new WeakMap<PoolClient, PostgresPoolClient>();
  const target = describeTarget(options.connectionString);
  const pool = new pg.Pool({
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Names Roster's sessions in pg_stat_activity (an `application_name` in the URL wins).
    application_name: 'roster',
    // Idle connections must not keep a finished CLI command (or a test) alive.
    allowExitOnIdle: true,
    ...options.extra,
    connectionString: options.connectionString,
    max: options.size,
    types: numericInt8(),
  });
  pool.on('error', (error) => {
    // The broken client has already been removed from the pool; the next query opens a new one.
    process.emitWarning(`PostgreSQL connection lost (${target}): ${error.message}`, { code: 'ROSTER_PG_IDLE_ERROR' });
  });
  let firstConnection: Promise<void> | undefined;
  return {
    pool,
    async connect(): Promise<PostgresPoolClient> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw new PostgresConnectionError(target, error);
      }
      if (options.onFirstConnection !== undefined) {
        const check = options.onFirstConnection;
        firstConnection ??= check(client).catch((error: unknown) => {
          firstConnection = undefined;
          throw error;
        });
        try {
          await firstConnection;
        } catch (error) {
          client.release();
          throw error;
        }
      }
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        wrapper = callbackClient(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
