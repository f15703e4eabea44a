import { sql, type SqlBool } from 'kysely';
import type { AttributeDefinition } from '../../../schema/types.js';
import type { AttributePath } from '../../../schema/attribute-path.js';
import type { CompareNode, FilterNode } from '../../../scim/filter/ast.js';
import { comparisonTarget, resolveFilterPath, resolveSubAttribute, type FilterAttribute } from '../../../scim/filter/resolve.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import type { CompileContext, ElementScope, Values } from './filter-to-sql-context.js';
import { hasIndexedLookup, valueEqualityIn, valueSubstringIn } from './filter-to-sql-driving.js';
import { matchSql, presentValue } from './filter-to-sql-match.js';
import { collectionAt, NO_VALUES, singleValue, valuesAt } from './filter-to-sql-values.js';
import { foldCase } from '../fold.js';
import { and, anyOf, not, or, type Condition } from '../query/condition.js';
import { substringPrefilter } from '../query/substring-index.js';

/**
 * Compiles a SCIM filter (RFC 7644 §3.4.2.2) to a SQL condition on a resource table, with
 * exactly the semantics of the reference evaluator (src/scim/filter/evaluate.ts; its header
 * is the specification, and a property test holds the two together):
 * - a path's values come from a column, the JSON document, `meta`, `schemas` or the
 *   memberships (filter-to-sql-values.ts, filter-to-sql-memberships.ts); multi-valued
 *   attributes match when any value does, through EXISTS over the array elements;
 * - `emails[type eq "work" and value co "x"]` needs one element that satisfies the whole
 *   bracket; `not`, `ne` and `eq null` are negations of the positive forms;
 * - literals are always bound parameters; the substring operators' exact tests use no LIKE
 *   patterns (a substring index may narrow the rows first: query/substring-index.ts).
 * Filters should have passed validateFilter; on others it stays total like the evaluator,
 * except that comparisons on values that depend on the base URL (`meta.location`, `$ref`)
 * are refused with InvalidFilterError.
 */
export function compileFilter(filter: FilterNode, context: CompileContext): Condition {
  switch (filter.kind) {
    case 'and':
      return and(compileFilter(filter.left, context), compileFilter(filter.right, context));
    case 'or':
      return or(compileFilter(filter.left, context), compileFilter(filter.right, context));
    case 'not':
      return not(compileFilter(filter.operand, context));
    case 'present': {
      const target = resolveFilterPath(context.registry, context.resourceType, filter.path);
      return target === undefined ? false : presentAt(context, target);
    }
    case 'compare': {
      const resolved = resolveFilterPath(context.registry, context.resourceType, filter.path);
      if (resolved === undefined) return compareValues(filter, NO_VALUES, () => false, context.adapter);
      const target = comparisonTarget(resolved);
      const exact = compareValues(filter, valuesAt(context, target), () => presentAt(context, target), context.adapter);
      const key = filter.op === 'eq' ? emailKey(context, target, filter.value) : undefined;
      const narrowed = and(substringPrefilter(context, target, filter.op, filter.value), exact);
      return withTenant(context, filter, key === undefined ? narrowed : and(lookupEmail(context, key), narrowed));
    }
    case 'valuePath':
      return compileValuePath(filter.path, filter.filter, context);
  }
}

/** `pr`: some assigned value; for a complex attribute, some element with an assigned sub-attribute. */
function presentAt(context: CompileContext, target: FilterAttribute): Condition {
  const { attribute, subAttribute } = target;
  if (subAttribute === undefined && attribute.type === 'complex') {
    const collection = collectionAt(context, target);
    if (collection === undefined) return false;
    const subs = attribute.subAttributes ?? [];
    return collection.some((element) => anyOf(subs.map((sub) => presentValue(element.value(sub), sub))));
  }
  return valuesAt(context, target).some((value) => presentValue(value, subAttribute ?? attribute));
}

/** evaluate.ts compareValues: `ne` negates `eq`, null means "no value", else some value matches. */
function compareValues(node: CompareNode, values: Values, presence: () => Condition, adapter: DialectAdapter): Condition {
  const { op, value: literal } = node;
  if (op === 'ne') return not(compareValues({ ...node, op: 'eq' }, values, presence, adapter));
  if (literal === null) return op === 'eq' ? not(presence()) : false;
  const { definition } = values;
  if (definition === undefined || definition.type === 'complex') return false;
  return values.some((value) => matchSql(op, value, literal, definition, adapter));
}

function compileValuePath(path: AttributePath, inner: FilterNode, context: CompileContext): Condition {
  const target = resolveFilterPath(context.registry, context.resourceType, path);
  if (target === undefined || target.subAttribute !== undefined) return false;
  const collection = collectionAt(context, target);
  if (collection === undefined) return false;
  const exact = collection.some((element) => compileElementFilter(inner, element, target.attribute, context.adapter));
  const literal = valueEqualityIn(inner);
  const valueTarget = { ...target, subAttribute: resolveSubAttribute(target.attribute, { name: 'value' }) };
  const key = literal === undefined ? undefined : emailKey(context, valueTarget, literal);
  const substring = valueSubstringIn(inner);
  const narrowed = substring === undefined || valueTarget.subAttribute === undefined ? exact : and(substringPrefilter(context, valueTarget, substring.op, substring.value), exact);
  return withTenant(context, { kind: 'valuePath', path, filter: inner }, key === undefined ? narrowed : and(lookupEmail(context, key), narrowed));
}

/**
 * An index lookup repeats the tenant condition the list query already has: inside an `or`,
 * SQLite can then plan each branch on its own (tenant_id, …) index (multi-index OR).
 */
function withTenant(context: CompileContext, node: FilterNode, condition: Condition): Condition {
  if (condition === false || !hasIndexedLookup(node, context)) return condition;
  return and(sql<SqlBool>`(${sql.ref(`${context.row}.tenant_id`)} = ${context.tenantId})`, condition);
}

/** The inside of `attr[…]` against one element, as evaluateValueFilter. */
function compileElementFilter(filter: FilterNode, element: ElementScope, parent: AttributeDefinition, adapter: DialectAdapter): Condition {
  switch (filter.kind) {
    case 'and':
      return and(compileElementFilter(filter.left, element, parent, adapter), compileElementFilter(filter.right, element, parent, adapter));
    case 'or':
      return or(compileElementFilter(filter.left, element, parent, adapter), compileElementFilter(filter.right, element, parent, adapter));
    case 'not':
      return not(compileElementFilter(filter.operand, element, parent, adapter));
    case 'present': {
      const sub = resolveSubAttribute(parent, filter.path);
      return sub === undefined ? false : presentValue(element.value(sub), sub);
    }
    case 'compare': {
      const sub = resolveSubAttribute(parent, filter.path);
      if (sub === undefined) return compareValues(filter, NO_VALUES, () => false, adapter);
      const value = element.value(sub);
      return compareValues(filter, singleValue(sub, value), () => presentValue(value, sub), adapter);
    }
    case 'valuePath':
      // Value paths do not nest (RFC 7644 §3.4.2.2); the evaluator answers false too.
      return false;
  }
}

/**
 * The folded key for the email side index when `target eq literal` is `emails.value eq` a
 * non-empty string: only then does a match imply an email row with that key.
 */
function emailKey(context: CompileContext, target: FilterAttribute, literal: unknown): string | undefined {
  if (context.table.emailLookup === undefined || target.container !== undefined) return undefined;
  if (target.attribute.name !== 'emails' || target.subAttribute?.name !== 'value') return undefined;
  return typeof literal === 'string' && literal !== '' ? foldCase(literal) : undefined;
}

function lookupEmail(context: CompileContext, key: string): Condition {
  return context.table.emailLookup?.(context, key) ?? true;
}
