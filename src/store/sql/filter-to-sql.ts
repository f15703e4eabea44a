import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import { formatAttributePath, type AttributePath } from '../../scim/attribute-path.js';
import { InvalidFilterError } from '../../scim/errors.js';
import type { CompareNode, FilterNode } from '../../scim/filter/ast.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { foldCase } from './fold.js';

/** An attribute stored in its own column instead of inside the JSON document. */
export interface ColumnMapping {
  readonly column: string;
  /** The column holds the folded value (compare against folded input). */
  readonly folded?: boolean;
  readonly kind: 'text' | 'boolean' | 'dateTime';
}

/** What a filter is compiled against: a table, its columns, and the schema of its rows. */
export interface FilterTarget {
  readonly table: string;
  readonly registry: SchemaRegistry;
  readonly resourceType: ResourceTypeDefinition;
  /** Keyed by lower-case `name` or `name.sub`. */
  readonly columns: ReadonlyMap<string, ColumnMapping>;
}

/**
 * Compiles a validated filter to a SQL condition on `target.table`. Values are always bound
 * parameters. Semantics follow src/scim/filter/evaluate.ts.
 */
export function compileFilter(filter: FilterNode, target: FilterTarget, adapter: DialectAdapter): RawBuilder<SqlBool> {
  switch (filter.kind) {
    case 'and':
      return sql<SqlBool>`(${compileFilter(filter.left, target, adapter)} and ${compileFilter(filter.right, target, adapter)})`;
    case 'or':
      return sql<SqlBool>`(${compileFilter(filter.left, target, adapter)} or ${compileFilter(filter.right, target, adapter)})`;
    case 'not':
      return sql<SqlBool>`(not coalesce(${compileFilter(filter.operand, target, adapter)}, false))`;
    case 'present': {
      const column = valueExpression(filter.path, target, adapter);
      return sql<SqlBool>`(${column.expression} is not null and ${column.expression} <> '')`;
    }
    case 'compare':
      return compileCompare(filter, target, adapter);
    case 'valuePath':
      throw new InvalidFilterError(`Value filters on "${formatAttributePath(filter.path)}" are not supported by this query engine.`);
  }
}

interface ValueExpression {
  readonly expression: RawBuilder<unknown>;
  readonly caseExact: boolean;
  readonly folded: boolean;
  readonly kind: 'text' | 'boolean' | 'dateTime' | 'number';
}

function valueExpression(path: AttributePath, target: FilterTarget, adapter: DialectAdapter): ValueExpression {
  const resolved = target.registry.resolve(target.resourceType, path);
  if (resolved === undefined) throw new InvalidFilterError(`Unknown attribute "${formatAttributePath(path)}".`);
  const leaf = resolved.subAttribute ?? resolved.attribute;
  if (resolved.attribute.multiValued) {
    throw new InvalidFilterError(`Filters on the multi-valued attribute "${formatAttributePath(path)}" are not supported by this query engine.`);
  }
  const key = (resolved.subAttribute === undefined ? resolved.attribute.name : `${resolved.attribute.name}.${resolved.subAttribute.name}`).toLowerCase();
  const mapped = resolved.inExtension ? undefined : target.columns.get(key);
  if (mapped !== undefined) {
    return {
      expression: sql.ref(`${target.table}.${mapped.column}`),
      caseExact: leaf.caseExact,
      folded: mapped.folded === true,
      kind: mapped.kind,
    };
  }
  const jsonPath = [
    ...(resolved.inExtension && resolved.schema !== undefined ? [resolved.schema] : []),
    resolved.attribute.name,
    ...(resolved.subAttribute === undefined ? [] : [resolved.subAttribute.name]),
  ];
  const kind = leaf.type === 'boolean' ? 'boolean' : leaf.type === 'integer' || leaf.type === 'decimal' ? 'number' : leaf.type === 'dateTime' ? 'dateTime' : 'text';
  return { expression: adapter.jsonText(sql.ref(`${target.table}.data`), jsonPath), caseExact: leaf.caseExact, folded: false, kind };
}

function compileCompare(filter: CompareNode, target: FilterTarget, adapter: DialectAdapter): RawBuilder<SqlBool> {
  const column = valueExpression(filter.path, target, adapter);
  if (filter.value === null) {
    if (filter.op === 'eq') return sql<SqlBool>`(${column.expression} is null)`;
    if (filter.op === 'ne') return sql<SqlBool>`(${column.expression} is not null)`;
  }
  if (filter.op !== 'eq' && filter.op !== 'ne') {
    throw new InvalidFilterError(`The operator "${filter.op}" is not supported by this query engine.`);
  }
  let left = column.expression;
  let value: unknown = filter.value;
  if (column.kind === 'boolean') value = filter.value === true ? 1 : 0;
  else if (typeof filter.value === 'string' && !column.caseExact) {
    value = foldCase(filter.value);
    if (!column.folded) left = adapter.fold(left);
  }
  const equal = sql<SqlBool>`(${left} = ${value})`;
  return filter.op === 'eq' ? equal : sql<SqlBool>`(${column.expression} is null or not ${equal})`;
}
