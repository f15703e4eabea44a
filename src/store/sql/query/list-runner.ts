import { sql, type CompiledQuery, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { formatAttributePath } from '../../../schema/attribute-path.js';
import type { ListQuery, ListResult } from '../../store.js';
import type { Database } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import type { CompileContext, ResourceTable } from '../filter/filter-to-sql-context.js';
import { hasIndexedLookup, isUniqueLookup } from '../filter/filter-to-sql-driving.js';
import { compileFilter } from '../filter/filter-to-sql.js';
import { and, toSql, type Condition } from './condition.js';
import { decodeListCursor, encodeListCursor, type CursorPosition } from './list-cursor.js';
import { beyond, orderItems, type ListOrder } from './keyset.js';
import { sortKeyOf } from './sort-key.js';
import { cachedTotal } from './total-cache.js';

/** What every listed row has, besides its table's other columns. */
interface ListedRow {
  readonly created_at: string;
  readonly id: string;
  readonly roster_sort_key?: string | number | null;
}

/** Sees each list statement before it runs, with the connection that runs it (to read its plan). */
export type ListQueryObserver = (query: CompiledQuery, db: Kysely<Database>, adapter: DialectAdapter) => Promise<void>;

let observer: ListQueryObserver | undefined;

/** Installs (or, with undefined, removes) the observer of list statements: the query-plan tests use it. */
export function observeListQueries(next: ListQueryObserver | undefined): void {
  observer = next;
}

/** The CTE that holds the rows an index lookup found (see ListRunner.driven). */
const MATCHED = 'matched';
/** The ids of an offset page, found before its rows are read (see ListRunner.rows). */
const PAGE = 'roster_page';
const PAGE_ID = 'roster_page_id';

/**
 * Lists a tenant's users or groups: filtered (compiled to SQL), in a total order (sortBy,
 * then created_at and id), paged by offset or by cursor (ListQuery). `total` is the filtered
 * count; it is counted only when the page itself does not tell it.
 *
 * Statement shapes: `select t.* … from t where <tenant, live, filter, position> order by …
 * limit`; or, when the filter finds its rows through an index lookup (hasIndexedLookup),
 * `with matched as materialized (select t.* from t where <tenant, live, filter>) select … from
 * matched where <position> order by … limit`, so that the lookup's index drives the query and
 * only its rows are sorted, whatever the planner guesses of the tenant's size.
 */
export class ListRunner<Row extends ListedRow, Item> {
  /** Tenant, archived rows and filter, on the table. */
  private readonly where: Condition;
  private readonly driven: boolean;
  /** Where the page query reads rows: the table, or the CTE of looked-up rows. */
  private readonly row: string;
  private readonly order: ListOrder;
  /** Identifies the order in cursors, so that a cursor only continues the list it came from. */
  private readonly sortName: string;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    private readonly table: ResourceTable,
    private readonly tenantId: string,
    private readonly query: ListQuery,
    private readonly toItem: (row: Row) => Item,
    /** A per-row condition that stops the statements past the list's deadline (DialectAdapter.withDeadline). */
    guard?: RawBuilder<SqlBool>,
  ) {
    let aliases = 0;
    const contextOn = (row: string): CompileContext => ({
      adapter,
      registry: query.registry,
      resourceType: query.registry.resourceType(table.resourceType.name) ?? table.resourceType,
      tenantId,
      table,
      row,
      alias: (prefix) => `${prefix}${(aliases += 1)}`,
    });
    const onTable = contextOn(table.name);
    let where: Condition = sql`(${sql.ref(`${table.name}.tenant_id`)} = ${tenantId})`;
    if (table.archivable && query.includeDeleted !== true) where = and(where, sql`(${sql.ref(`${table.name}.deleted_at`)} is null)`);
    if (guard !== undefined) where = and(where, guard);
    if (query.filter !== undefined) where = and(where, compileFilter(query.filter, onTable));
    this.where = where;
    this.driven = query.filter !== undefined && hasIndexedLookup(query.filter, onTable);
    this.row = this.driven ? MATCHED : table.name;
    const key = query.sort === undefined ? undefined : sortKeyOf(contextOn(this.row), query.sort.path);
    this.order = { table: this.row, key, descending: query.sort?.descending ?? false };
    this.sortName = query.sort === undefined ? '' : `${formatAttributePath(query.sort.path).toLowerCase()} ${query.sort.descending ? 'd' : 'a'}`;
  }

  /**
   * Runs a list query, within its deadline when it has one (ListQuery.deadline), except a
   * unique lookup: it reads a row or two, and the deadline would cost it more than the read
   * (on PostgreSQL a transaction and a statement of their own).
   */
  static list<Row extends ListedRow, Item>(
    db: Kysely<Database>,
    adapter: DialectAdapter,
    table: ResourceTable,
    tenantId: string,
    query: ListQuery,
    toItem: (row: Row) => Item,
  ): Promise<ListResult<Item>> {
    const resourceType = query.registry.resourceType(table.resourceType.name) ?? table.resourceType;
    const bounded = query.filter !== undefined && isUniqueLookup(query.filter, { registry: query.registry, resourceType, table });
    if (query.deadline === undefined || bounded) return new ListRunner(db, adapter, table, tenantId, query, toItem).run();
    return adapter.withDeadline(db, query.deadline, (on, guard) => new ListRunner(on, adapter, table, tenantId, query, toItem, guard).run());
  }

  async run(): Promise<ListResult<Item>> {
    const cursor = this.query.cursor;
    return cursor === undefined ? this.byIndex() : this.byCursor(cursor.position, cursor.fromEnd === true);
  }

  private async byIndex(): Promise<ListResult<Item>> {
    const { limit, offset } = this.query;
    const rows = limit > 0 ? await this.rows(undefined, false, limit, offset) : [];
    // A short page that starts inside the list (or at its start) ends it: no count needed.
    const total = rows.length < limit && (rows.length > 0 || offset === 0) ? offset + rows.length : await this.count();
    return { total, rows: rows.map(this.toItem) };
  }

  private async byCursor(text: string | null, fromEnd: boolean): Promise<ListResult<Item>> {
    const start = text === null || text === '' ? undefined : decodeListCursor(text, this.sortName, this.order.key?.kind);
    // The cursor is the one encoding of where and which way to read (list-cursor.ts).
    const backwards = start === undefined ? fromEnd : start.backwards;
    const { limit } = this.query;
    if (limit <= 0) return { total: await this.count(), rows: [] };
    const position = start === undefined ? undefined : beyond(this.order, this.adapter, start, !backwards);
    const fetched = await this.rows(position, backwards, limit + 1, 0);
    const more = fetched.length > limit;
    const rows = fetched.slice(0, limit);
    if (backwards) rows.reverse();
    const first = rows[0];
    const last = rows.at(-1);
    // The side the page was read towards has more rows when the extra one came; the other
    // side is asked (unless the page started at an end of the list, where it has none).
    const beforeFirst = first === undefined ? start : this.position(first, false);
    const afterLast = last === undefined ? start : this.position(last, true);
    const hasPrevious = backwards ? more : start !== undefined && beforeFirst !== undefined && (await this.exists(beforeFirst, false));
    const hasNext = backwards ? start !== undefined && afterLast !== undefined && (await this.exists(afterLast, true)) : more;
    const total = start === undefined && !more ? rows.length : await this.count();
    return {
      total,
      rows: rows.map(this.toItem),
      ...(hasNext && afterLast !== undefined ? { nextCursor: encodeListCursor({ ...afterLast, backwards: false }, this.sortName) } : {}),
      ...(hasPrevious && beforeFirst !== undefined ? { previousCursor: encodeListCursor({ ...beforeFirst, backwards: true }, this.sortName) } : {}),
    };
  }

  /** The boundary next to a row: just after it or just before it. */
  private position(row: Row, after: boolean): CursorPosition {
    return {
      ...(this.order.key === undefined ? {} : { key: row.roster_sort_key ?? null }),
      created: row.created_at,
      id: row.id,
      after,
      backwards: !after,
    };
  }

  /**
   * `select <columns>` from the candidate rows (named `this.row`) on the given side of a
   * position, then `tail` (order, limit).
   */
  private select<T>(columns: RawBuilder<unknown>, position: Condition | undefined, tail: RawBuilder<unknown>): RawBuilder<T> {
    const name = this.table.name;
    if (!this.driven) return sql<T>`select ${columns} from ${sql.table(name)} where ${toSql(and(this.where, position ?? true))} ${tail}`;
    // Materialised, the lookup runs first on its own index and only its rows are ordered.
    const matched = sql`select ${sql.raw(`${name}.*`)} from ${sql.table(name)} where ${toSql(this.where)}`;
    return sql<T>`with ${sql.table(MATCHED)} as materialized (${matched}) select ${columns} from ${sql.table(MATCHED)} where ${toSql(position ?? true)} ${tail}`;
  }

  /** Whether any row lies on one side of a boundary. */
  private async exists(position: CursorPosition, forward: boolean): Promise<boolean> {
    const found = await this.execute(this.select<{ found: number }>(sql`1 as found`, beyond(this.order, this.adapter, position, forward), sql`limit 1`));
    return found.length > 0;
  }

  private async count(): Promise<number> {
    // Inside a transaction the sequence may be one that is later rolled back: no cache.
    if (this.query.filter !== undefined || this.db.isTransaction) return this.countRows();
    const [tenant] = await this.execute(sql<{ seq: number | string }>`select event_seq as seq from tenants where id = ${this.tenantId}`);
    if (tenant === undefined) return this.countRows();
    const key = `${this.table.name} ${this.query.includeDeleted === true ? 'all' : 'live'}`;
    return cachedTotal(this.db, this.tenantId, key, Number(tenant.seq), () => this.countRows());
  }

  private async countRows(): Promise<number> {
    const [row] = await this.execute(sql<{ total: number | string }>`select count(*) as total from ${sql.table(this.table.name)} where ${toSql(this.where)}`);
    return Number(row?.total ?? 0);
  }

  private rows(position: Condition | undefined, backwards: boolean, limit: number, offset: number): Promise<Row[]> {
    const key = this.order.key;
    const columns = key === undefined ? sql.raw(`${this.row}.*`) : sql`${sql.raw(`${this.row}.*`)}, ${key.expression} as roster_sort_key`;
    const order = sql.join(orderItems(this.order, this.adapter, backwards));
    if (offset > 0 && !this.driven) {
      // Skipping rows costs what reading them costs: the ids of the page are found first, on
      // the ordering index alone where it covers the condition, and only those rows are read.
      // CROSS JOIN makes SQLite read the page first (PostgreSQL plans it freely).
      const name = this.table.name;
      const page = sql`select ${sql.ref(`${name}.id`)} as ${sql.id(PAGE_ID)} from ${sql.table(name)} where ${toSql(this.where)} order by ${order} limit ${limit} offset ${offset}`;
      const inPage = sql`${sql.ref(`${name}.tenant_id`)} = ${this.tenantId} and ${sql.ref(`${name}.id`)} = ${sql.ref(`${PAGE}.${PAGE_ID}`)}`;
      return this.execute(sql<Row>`select ${columns} from (${page}) as ${sql.table(PAGE)} cross join ${sql.table(name)} where ${inPage} order by ${order}`);
    }
    const paging = offset > 0 ? sql`limit ${limit} offset ${offset}` : sql`limit ${limit}`;
    return this.execute(this.select<Row>(columns, position, sql`order by ${order} ${paging}`));
  }

  private async execute<T>(query: RawBuilder<T>): Promise<T[]> {
    const compiled = query.compile(this.db);
    if (observer !== undefined) await observer(compiled, this.db, this.adapter);
    const result = await this.db.executeQuery(compiled);
    return [...result.rows];
  }
}
