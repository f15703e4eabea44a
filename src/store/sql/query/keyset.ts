import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectAdapter } from '../dialect-adapter.js';
import type { SortExpression } from '../filter/filter-to-sql-context.js';
import { and, or, type Condition } from './condition.js';
import type { CursorPosition } from './list-cursor.js';

/**
 * The total order of a list and conditions relative to a position in it (keyset paging).
 * Rows are ordered by the tuple (missing, key, created_at, id): `missing` is 1 for a row
 * without a sort key, so such rows come last ascending and first descending (RFC 7644
 * §3.4.2.3), and descending is exactly the reverse of ascending. Without sortBy the tuple is
 * (created_at, id), which the (tenant_id, created_at, id) index delivers in order.
 */
export interface ListOrder {
  readonly table: string;
  readonly key: SortExpression | undefined;
  readonly descending: boolean;
}

interface Part {
  readonly expression: RawBuilder<unknown>;
  readonly value: unknown;
}

function keyExpression(order: ListOrder, adapter: DialectAdapter): RawBuilder<unknown> | undefined {
  const { key } = order;
  if (key === undefined) return undefined;
  return key.kind === 'text' ? adapter.codePointOrder(key.expression) : key.expression;
}

/** ORDER BY items: the list's order, or its reverse when reading backwards. */
export function orderItems(order: ListOrder, adapter: DialectAdapter, backwards: boolean): RawBuilder<unknown>[] {
  const direction = sql.raw(order.descending !== backwards ? 'desc' : 'asc');
  const items: RawBuilder<unknown>[] = [];
  const key = keyExpression(order, adapter);
  if (key !== undefined) {
    if (order.key?.nullable === true) items.push(sql`case when ${key} is null then 1 else 0 end ${direction}`);
    items.push(sql`${key} ${direction}`);
  }
  items.push(sql`${sql.ref(`${order.table}.created_at`)} ${direction}`, sql`${sql.ref(`${order.table}.id`)} ${direction}`);
  return items;
}

function comparison(part: Part, operator: '<' | '<=' | '>' | '>=' | '='): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${part.expression} ${sql.raw(operator)} ${part.value})`;
}

/**
 * Tuple comparison written so that an index on the leading column applies: (a, b) > (x, y)
 * as `a >= x and (a > x or b > y)`.
 */
function lexicographic(parts: readonly Part[], greater: boolean, inclusive: boolean): Condition {
  const [head, ...rest] = parts;
  if (head === undefined) return inclusive;
  const strict = greater ? '>' : '<';
  if (rest.length === 0) return comparison(head, inclusive ? `${strict}=` : strict);
  return and(comparison(head, `${strict}=`), or(comparison(head, strict), lexicographic(rest, greater, inclusive)));
}

/**
 * Rows on one side of a cursor's boundary: `forward` = after it in the list's order (else
 * before it). The boundary sits just after or just before its row, which decides whether
 * that row itself is included.
 */
export function beyond(order: ListOrder, adapter: DialectAdapter, position: CursorPosition, forward: boolean): Condition {
  // In terms of the ascending tuple.
  const greater = forward !== order.descending;
  // The boundary row is on the forward side of a boundary just before it, and vice versa.
  const inclusive = forward !== position.after;
  const tail: Part[] = [
    { expression: sql.ref(`${order.table}.created_at`), value: position.created },
    { expression: sql.ref(`${order.table}.id`), value: position.id },
  ];
  const key = keyExpression(order, adapter);
  if (key === undefined || order.key === undefined) return lexicographic(tail, greater, inclusive);
  const keyValue = position.key ?? null;
  if (!order.key.nullable) return lexicographic([{ expression: key, value: keyValue }, ...tail], greater, inclusive);
  const missing = sql<SqlBool>`(${key} is null)`;
  const present = sql<SqlBool>`(${key} is not null)`;
  if (keyValue === null) {
    // Rows without a key sort after every row with one (ascending).
    const among = lexicographic(tail, greater, inclusive);
    return greater ? and(missing, among) : or(present, among);
  }
  const among = lexicographic([{ expression: key, value: keyValue }, ...tail], greater, inclusive);
  return greater ? or(missing, among) : among;
}
