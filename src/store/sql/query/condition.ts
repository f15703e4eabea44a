import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * A compiled condition: SQL, or a value already known at compile time (`meta.resourceType eq
 * "User"`, a comparison that cannot match its attribute's type). Folding the known ones away
 * keeps the SQL short and lets the planner see the conditions that matter.
 *
 * SQL conditions may be NULL where a value is absent; every combinator here treats NULL as
 * false, which is what the reference evaluator's two-valued logic needs: and/or are monotone,
 * so Kleene logic with unknown read as false gives the same answer, and `not` coalesces first.
 */
export type Condition = RawBuilder<SqlBool> | boolean;

export function and(left: Condition, right: Condition): Condition {
  if (left === false || right === false) return false;
  if (left === true) return right;
  if (right === true) return left;
  return sql<SqlBool>`(${left} and ${right})`;
}

export function or(left: Condition, right: Condition): Condition {
  if (left === true || right === true) return true;
  if (left === false) return right;
  if (right === false) return left;
  return sql<SqlBool>`(${left} or ${right})`;
}

export function anyOf(conditions: readonly Condition[]): Condition {
  return conditions.reduce<Condition>((all, condition) => or(all, condition), false);
}

export function not(operand: Condition): Condition {
  if (typeof operand === 'boolean') return !operand;
  return sql<SqlBool>`(not coalesce(${operand}, false))`;
}

/** The condition as SQL (constants as comparisons every engine accepts). */
export function toSql(condition: Condition): RawBuilder<SqlBool> {
  if (condition === true) return sql<SqlBool>`(1 = 1)`;
  if (condition === false) return sql<SqlBool>`(1 = 0)`;
  return condition;
}
