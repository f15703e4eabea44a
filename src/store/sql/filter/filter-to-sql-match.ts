import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { AttributeDefinition } from '../../../schema/types.js';
import { InvalidFilterError } from '../../../scim/errors.js';
import type { FilterValue } from '../../../scim/filter/ast.js';
import { parseDateTime } from '../../../scim/filter/date-time.js';
import { isPresent, matchValue, type MatchOperator } from '../../../scim/filter/match.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import type { SqlValue } from './filter-to-sql-context.js';
import { foldCase } from '../fold.js';
import { and, type Condition } from '../query/condition.js';

/**
 * One value against one operator, in SQL, with the semantics of matchValue/isPresent in
 * src/scim/filter/match.ts (see the header of evaluate.ts). Values known at compile time are
 * decided by those very functions.
 */

const ORDERING: Readonly<Record<'eq' | 'gt' | 'ge' | 'lt' | 'le', string>> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };

function compare(left: RawBuilder<unknown>, op: keyof typeof ORDERING, right: unknown): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${left} ${sql.raw(ORDERING[op])} ${right})`;
}

function isText(definition: AttributeDefinition): boolean {
  return definition.type === 'string' || definition.type === 'reference' || definition.type === 'binary' || definition.type === 'dateTime';
}

/** Whether a value counts as assigned (RFC 7643 §2.5): not NULL, and not '' for text. */
export function presentValue(value: SqlValue, definition: AttributeDefinition): Condition {
  switch (value.kind) {
    case 'constant':
      return isPresent(value.value, definition);
    case 'opaque':
      return true;
    case 'expression':
      if (value.nonEmpty) return true;
      return isText(definition) ? sql<SqlBool>`(${value.sql} <> '')` : sql<SqlBool>`(${value.sql} is not null)`;
  }
}

function matchText(op: MatchOperator, value: Extract<SqlValue, { kind: 'expression' }>, literal: string, definition: AttributeDefinition, adapter: DialectAdapter): Condition {
  const folding = !definition.caseExact;
  const left = folding && !value.folded ? adapter.fold(value.sql) : value.sql;
  const right = folding ? foldCase(literal) : literal;
  let condition: Condition;
  switch (op) {
    case 'eq':
      condition = compare(left, 'eq', right);
      break;
    case 'co':
      condition = adapter.contains(left, right);
      break;
    case 'sw':
      condition = adapter.startsWith(left, right);
      break;
    case 'ew':
      condition = adapter.endsWith(left, right);
      break;
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      condition = compare(adapter.codePointOrder(left), op, right);
      break;
  }
  // '' is not an assigned value: where '' would pass the test (`co ""`, `lt "b"`), leave it out.
  return !value.nonEmpty && matchValue(op, '', literal, definition) ? and(sql<SqlBool>`(${value.sql} <> '')`, condition) : condition;
}

function matchExpression(op: MatchOperator, value: Extract<SqlValue, { kind: 'expression' }>, literal: Exclude<FilterValue, null>, definition: AttributeDefinition, adapter: DialectAdapter): Condition {
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return typeof literal === 'string' ? matchText(op, value, literal, definition, adapter) : false;
    case 'boolean':
      // Booleans are read as 1/0 (JsonScalarKind).
      return op === 'eq' && typeof literal === 'boolean' ? compare(value.sql, 'eq', literal ? 1 : 0) : false;
    case 'integer':
    case 'decimal':
      if (typeof literal !== 'number' || op === 'co' || op === 'sw' || op === 'ew') return false;
      return compare(value.sql, op, literal);
    case 'dateTime': {
      if (typeof literal !== 'string' || op === 'co' || op === 'sw' || op === 'ew') return false;
      const instant = parseDateTime(literal);
      if (instant === undefined) return false;
      // Columns hold toISOString() text, whose order is time order: compared as text they
      // keep their index. (ASCII digits in fixed positions order the same in any collation.)
      if (value.instantText) return compare(value.sql, op, new Date(instant).toISOString());
      return compare(adapter.instant(value.sql), op, instant);
    }
    case 'complex':
      return false;
  }
}

/** Whether `value op literal` holds, as matchValue decides it. */
export function matchSql(op: MatchOperator, value: SqlValue, literal: Exclude<FilterValue, null>, definition: AttributeDefinition, adapter: DialectAdapter): Condition {
  switch (value.kind) {
    case 'constant':
      return value.value !== null && isPresent(value.value, definition) && matchValue(op, value.value, literal, definition);
    case 'opaque':
      throw new InvalidFilterError(
        `Filtering on "${value.name}" with "${op}" is not supported: its value depends on the server's base URL. Filter on the id it ends with instead.`,
      );
    case 'expression':
      return matchExpression(op, value, literal, definition, adapter);
  }
}
