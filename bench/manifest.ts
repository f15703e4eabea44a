import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrations } from '../src/store/sql/migrations/index.js';

/** A group the seed created. */
export interface SeededGroup {
  readonly id: string;
  readonly displayName: string;
  /** Members at seeding time. */
  readonly members: number;
}

/** What the seed produced; saved beside the data so a later run can reuse it. */
export interface SeedManifest {
  readonly engine: string;
  readonly users: number;
  readonly tenantId: string;
  /** The benchmark tenant's bearer token (a throw-away secret of a throw-away database). */
  readonly token: string;
  /** Seeded users' ids by index (user i is `userBody(i)`). */
  readonly userIds: readonly string[];
  readonly largeGroup: SeededGroup;
  readonly smallGroup: SeededGroup;
  readonly otherGroups: number;
  readonly memberships: number;
  readonly seededAt: string;
  readonly seedSeconds: { readonly users: number; readonly total: number };
  /** The PostgreSQL database seeded, for the PostgreSQL engine. */
  readonly databaseUrl?: string;
  /** Migrations applied when seeding; a seed from another schema is not reused. */
  readonly migrations?: readonly string[];
}

function currentMigrations(): string[] {
  return migrations.map((migration) => migration.name);
}

const MANIFEST = 'bench-manifest.json';
const IDS = 'bench-user-ids.txt';

/** Writes the manifest (ids in a file of their own, one per line). */
export function saveManifest(dir: string, manifest: SeedManifest): void {
  const { userIds, ...rest } = manifest;
  writeFileSync(join(dir, IDS), userIds.join('\n'));
  writeFileSync(join(dir, MANIFEST), JSON.stringify({ ...rest, migrations: currentMigrations() }, null, 2));
}

/**
 * The manifest in `dir` when it describes the same engine, size and database, seeded with
 * migrations that all still exist (newer ones are applied before the run); else undefined.
 */
export function loadManifest(dir: string, engine: string, users: number, databaseUrl: string | undefined): SeedManifest | undefined {
  const path = join(dir, MANIFEST);
  if (!existsSync(path) || !existsSync(join(dir, IDS))) return undefined;
  const rest = JSON.parse(readFileSync(path, 'utf8')) as Omit<SeedManifest, 'userIds'>;
  if (rest.engine !== engine || rest.users !== users || rest.databaseUrl !== databaseUrl) return undefined;
  // Migrations are applied forwards; a seed whose schema had one that no longer exists is not reusable.
  const current = new Set(currentMigrations());
  if ((rest.migrations ?? []).some((name) => !current.has(name))) return undefined;
  const userIds = readFileSync(join(dir, IDS), 'utf8').split('\n');
  if (userIds.length !== users) return undefined;
  return { ...rest, userIds };
}
