import { createReadStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Engine } from './options.js';

/** The SQLite file Roster uses in a data directory (see src/store/open-store.ts). */
const SQLITE_FILE = 'roster.db';

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`The benchmark database name "${name}" must be a plain identifier.`);
  return name;
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Empties the place the benchmark seeds: the SQLite files in `dataDir`, or the PostgreSQL database (dropped and created). */
export async function resetDatabase(engine: Engine, dataDir: string, databaseUrl: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (engine === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, SQLITE_FILE + suffix), { force: true });
    return;
  }
  const name = pg.escapeIdentifier(databaseName(databaseUrl));
  await withAdmin(databaseUrl, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
}

/** Whether the seeded data is still there (the SQLite file, or the PostgreSQL database). */
export async function databaseExists(engine: Engine, dataDir: string, databaseUrl: string): Promise<boolean> {
  if (engine === 'sqlite') return existsSync(join(dataDir, SQLITE_FILE));
  return withAdmin(databaseUrl, async (client) => {
    const result = await client.query('select 1 from pg_database where datname = $1', [databaseName(databaseUrl)]);
    return result.rowCount === 1;
  });
}

/** Removes what `resetDatabase` and the seed created. */
export async function dropDatabase(engine: Engine, dataDir: string, databaseUrl: string): Promise<void> {
  rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'postgres') {
    const name = pg.escapeIdentifier(databaseName(databaseUrl));
    await withAdmin(databaseUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
  }
}

/** Bytes the database takes on disk (SQLite file and WAL, or pg_database_size). */
export async function databaseBytes(engine: Engine, dataDir: string, databaseUrl: string): Promise<number | undefined> {
  if (engine === 'sqlite') {
    let total = 0;
    for (const suffix of ['', '-wal']) {
      const path = join(dataDir, SQLITE_FILE + suffix);
      if (existsSync(path)) total += statSync(path).size;
    }
    return total;
  }
  return withAdmin(databaseUrl, async (client) => {
    const result = await client.query<{ size: string }>('select pg_database_size($1)::text as size', [databaseName(databaseUrl)]);
    const size = result.rows[0]?.size;
    return size === undefined ? undefined : Number(size);
  });
}

/**
 * Gathers the planner's statistics after the seed's bulk load, as an operator does after an
 * import or a restore (docs/operations.md): without them PostgreSQL guesses table sizes and
 * may read a whole table where an index serves, and autovacuum, which would analyze in time,
 * may be off or not yet have run. VACUUM also fills the visibility map that index-only scans
 * need. SQLite's planner works from its indexes' shapes alone: nothing is done for it.
 */
export async function analyzeDatabase(engine: Engine, databaseUrl: string, vacuum = true): Promise<number | undefined> {
  if (engine !== 'postgres') return undefined;
  const began = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(vacuum ? 'vacuum analyze' : 'analyze');
  } finally {
    await client.end();
  }
  return (performance.now() - began) / 1000;
}

/**
 * Reads the SQLite files once, so that the run starts with them in the operating system's
 * file cache (as on a server that has been up a while) rather than with whatever an earlier
 * run or the seed left there. Returns the bytes read and the seconds it took. PostgreSQL
 * manages its own buffers: nothing is done for it.
 */
export async function warmDatabaseFiles(engine: Engine, dataDir: string): Promise<{ bytes: number; seconds: number } | undefined> {
  if (engine !== 'sqlite') return undefined;
  const began = performance.now();
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    const path = join(dataDir, SQLITE_FILE + suffix);
    if (!existsSync(path)) continue;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) bytes += (chunk as Buffer).length;
  }
  return { bytes, seconds: (performance.now() - began) / 1000 };
}
