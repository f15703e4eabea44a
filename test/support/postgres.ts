import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, Migrator, type Migration } from 'kysely';
import pg from 'pg';
import { migrations } from '../../src/store/sql/migrations/index.js';
import { openPostgresStore, PostgresDialectAdapter } from '../../src/store/sql/postgres/postgres-store.js';
import { describeTarget } from '../../src/store/sql/postgres/postgres-pool.js';
import { RosterPostgresDialect } from '../../src/store/sql/postgres/postgres-migration-lock.js';
import type { Store } from '../../src/store/store.js';

/**
 * The PostgreSQL test engine. Each test process (node runs every test file in its own) creates
 * one database, `roster_test_<host>_<pid>_<random>`, on the server ROSTER_TEST_DATABASE_URL names
 * and drops it when the process exits. Each `open()` gets a schema of that database of its own,
 * migrated and empty; a closed store's schema is emptied and reused by a later `open()`, which
 * is much cheaper than migrating a new one.
 */

const ADMIN_URL = process.env.ROSTER_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Databases this harness creates start with this; the host part keeps machines sharing a server apart. */
const PREFIX = `roster_test_${hostname().toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12)}_`;

/** `url` with its database replaced by `database`. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function quote(identifier: string): string {
  return pg.escapeIdentifier(identifier);
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A connection terminated by a concurrent DROP … WITH (FORCE) must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the server answers; the reason when it does not. */
async function reachable(): Promise<string | undefined> {
  try {
    await withAdmin((client) => client.query('select 1'));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String((error as { code?: unknown }).code) : String(error);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** Drops databases left by test processes of this host that died before their exit hook ran. */
async function dropAbandoned(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [PREFIX]);
  for (const { datname } of rows) {
    const pid = Number(datname.slice(PREFIX.length).split('_')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      await client.query(`drop database if exists ${quote(datname)} with (force)`).catch(() => undefined);
    }
  }
}

const created: string[] = [];
let cleanupRegistered = false;
let dropped = false;

/** Drops this process's databases. `exit` handlers cannot wait, so that one runs a child synchronously. */
function registerCleanup(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.once('beforeExit', () => {
    if (dropped) return;
    dropped = true;
    void withAdmin(async (client) => {
      for (const name of created) await client.query(`drop database if exists ${quote(name)} with (force)`);
    }).catch(() => {
      dropped = false;
    });
  });
  process.once('exit', () => {
    if (dropped) return;
    const script = `import pg from 'pg';
      const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
      await client.connect();
      for (const name of process.argv.slice(2)) await client.query('drop database if exists ' + pg.escapeIdentifier(name) + ' with (force)');
      await client.end();`;
    spawnSync(process.execPath, ['--input-type=module', '-e', script, ADMIN_URL, ...created], { cwd: process.cwd(), stdio: 'ignore', timeout: 20_000 });
  });
}

/**
 * Creates an empty database for this process and returns its URL; it is dropped at exit.
 * The concurrency tests give one to several Roster processes.
 */
export async function createTestDatabase(): Promise<string> {
  const name = `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    if (created.length === 0) await dropAbandoned(client);
    await client.query(`create database ${quote(name)}`);
  });
  created.push(name);
  registerCleanup();
  return withDatabase(ADMIN_URL, name);
}

/** Runs the migrations into `schema` of the database at `url`, keeping Kysely's bookkeeping there too. */
async function migrateSchema(url: string, schema: string): Promise<void> {
  const adapter = new PostgresDialectAdapter();
  const pool = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${schema}` });
  const db = new Kysely<unknown>({ dialect: new RosterPostgresDialect({ pool }) });
  try {
    // Kysely looks for its migration table in every schema unless told which one; the store's
    // own migrate() would find another schema's and skip creating its own.
    const provider = {
      getMigrations: () =>
        Promise.resolve(
          Object.fromEntries(
            migrations.map((migration): [string, Migration] => [
              migration.name,
              { up: (kdb) => migration.up(kdb, adapter.migrationContext), down: (kdb) => migration.down(kdb, adapter.migrationContext) },
            ]),
          ),
        ),
    };
    const { error } = await new Migrator({ db, provider, migrationTableSchema: schema }).migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  } finally {
    await db.destroy();
  }
}

let database: Promise<string> | undefined;
const freeSchemas: string[] = [];
let schemaCount = 0;

/** A schema of this process's database that no open store uses: emptied, or new and migrated. */
async function takeSchema(): Promise<{ url: string; schema: string }> {
  database ??= createTestDatabase();
  const url = await database;
  const reused = freeSchemas.pop();
  if (reused !== undefined) {
    // Every table the migrations made (whatever later migrations add), not Kysely's bookkeeping.
    await withAdmin(async (client) => {
      const { rows } = await client.query<{ tablename: string }>(
        `select tablename from pg_tables where schemaname = $1 and not starts_with(tablename, 'kysely_')`,
        [reused],
      );
      if (rows.length > 0) await client.query(`truncate ${rows.map((row) => `${quote(reused)}.${quote(row.tablename)}`).join(', ')}`);
    }, url);
    return { url, schema: reused };
  }
  schemaCount += 1;
  const schema = `store_${schemaCount}`;
  await withAdmin((client) => client.query(`create schema ${quote(schema)}`), url);
  await migrateSchema(url, schema);
  return { url, schema };
}

/** A fresh, migrated, empty PostgreSQL store; closing it hands its schema back for reuse. */
export async function openPostgresTestStore(): Promise<Store> {
  const { url, schema } = await takeSchema();
  const store = openPostgresStore({ connectionString: url, poolSize: 5, pool: { options: `-c search_path=${schema}`, idleTimeoutMillis: 1000 } });
  const close = store.close.bind(store);
  let closed = false;
  store.close = async () => {
    if (closed) return;
    closed = true;
    await close();
    freeSchemas.push(schema);
  };
  return store;
}

/** The statements of this process's test database that wait for a lock, as pg_stat_activity shows them. */
export async function statementsWaitingForLocks(): Promise<string[]> {
  database ??= createTestDatabase();
  const name = new URL(await database).pathname.slice(1);
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ query: string }>(`select query from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`, [name]);
    return rows.map((row) => row.query);
  });
}

/**
 * Whether the PostgreSQL engine runs. Under CI=true an unreachable server fails the run;
 * elsewhere it is reported once per test run (not once per test file) and skipped.
 */
export async function postgresAvailable(): Promise<boolean> {
  const failure = await reachable();
  if (failure === undefined) return true;
  const where = describeTarget(ADMIN_URL);
  if (process.env.CI === 'true') {
    throw new Error(
      `The PostgreSQL test engine cannot reach ${where}: ${failure}. CI=true requires it: start PostgreSQL or point ROSTER_TEST_DATABASE_URL at one.`,
    );
  }
  try {
    // The runner is the parent of every test file's process; one marker per runner.
    writeFileSync(join(tmpdir(), `roster-postgres-skipped-${process.ppid}`), where, { flag: 'wx' });
    process.stderr.write(`\nPostgreSQL at ${where} is unreachable (${failure}); the postgres engine is skipped. Set ROSTER_TEST_DATABASE_URL to use another server.\n\n`);
  } catch {
    // Already reported by another test file of this run.
  }
  return false;
}
