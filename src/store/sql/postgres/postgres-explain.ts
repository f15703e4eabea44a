import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { QueryPlan } from '../dialect-adapter.js';

/** One node of `explain (format json)`, as far as the scan check reads it. */
interface PlanNode {
  readonly 'Node Type': string;
  readonly Alias?: string;
  readonly 'Index Cond'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** A comparison of tenant_id with a value, a parameter or another table's tenant_id. */
const TENANT_TEST = /(?:"?\w+"?\.)?"?tenant_id"?\s*=\s*(?:'(?:[^']|'')*'(?:::[\w ]+)?|\$\d+(?:::[\w ]+)?|(?:"?\w+"?\.)?"?tenant_id"?)/g;

/** Whether an index condition narrows by more than the tenant (which is a full scan of a large tenant). */
function narrowsBeyondTenant(condition: string | undefined): boolean {
  if (condition === undefined) return false;
  return condition.replace(TENANT_TEST, '').replace(/\bAND\b|[()\s]/g, '') !== '';
}

/** Whether a bitmap subtree selects by more than the tenant. */
function bitmapNarrows(node: PlanNode): boolean {
  const children = node.Plans ?? [];
  switch (node['Node Type']) {
    case 'Bitmap Index Scan':
      return narrowsBeyondTenant(node['Index Cond']);
    case 'BitmapAnd':
      return children.some(bitmapNarrows);
    case 'BitmapOr':
      return children.length > 0 && children.every(bitmapNarrows);
    default:
      return false;
  }
}

/** Tables the plan reads in full, by alias: see QueryPlan.fullScans. */
function fullScans(node: PlanNode, out: string[]): string[] {
  const alias = node.Alias ?? '?';
  switch (node['Node Type']) {
    case 'Seq Scan':
      out.push(alias);
      break;
    case 'Index Scan':
    case 'Index Only Scan':
      if (!narrowsBeyondTenant(node['Index Cond'])) out.push(alias);
      break;
    case 'Bitmap Heap Scan':
      if (!(node.Plans ?? []).some(bitmapNarrows)) out.push(alias);
      return out;
    default:
      // Function scans (jsonb_array_elements of one row) and the rest read no table.
      break;
  }
  for (const child of node.Plans ?? []) fullScans(child, out);
  return out;
}

/**
 * The plan PostgreSQL would choose, with sequential scans priced out (set for this
 * transaction only): on a test's small tables it would scan anyway, which says nothing of
 * how a query runs on a large tenant.
 */
export async function explainPostgres(db: Kysely<Database>, query: CompiledQuery): Promise<QueryPlan> {
  // Inside a caller's transaction the setting lasts until that transaction ends.
  if (db.isTransaction) return explainIn(db, query);
  return db.transaction().execute((trx) => explainIn(trx, query));
}

/**
 * PostgreSQL plans by table statistics. A table that was never analyzed (a new one, as in
 * tests; autovacuum analyzes the others) has none, and the planner then guesses its size and
 * picks indexes almost at random, so such tables of the current schema are analyzed first.
 */
async function analyzeUnanalyzed(trx: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select format('%I.%I', n.nspname, c.relname) as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind = 'r' and n.nspname = current_schema() and c.reltuples < 0`.execute(trx);
  if (rows.length > 0) await sql`analyze ${sql.raw(rows.map((row) => row.name).join(', '))}`.execute(trx);
}

async function explainIn(trx: Kysely<Database>, query: CompiledQuery): Promise<QueryPlan> {
  await analyzeUnanalyzed(trx);
  await sql`set local enable_seqscan = off`.execute(trx);
  const parameters = [...query.parameters];
  const text = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, parameters));
  const json = await trx.executeQuery<{ 'QUERY PLAN': readonly { Plan: PlanNode }[] }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, parameters));
  const root = json.rows[0]?.['QUERY PLAN'][0]?.Plan;
  return {
    lines: text.rows.map((row) => row['QUERY PLAN']),
    fullScans: root === undefined ? [] : fullScans(root, []),
  };
}
