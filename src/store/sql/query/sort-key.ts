import { sql } from 'kysely';
import type { AttributeDefinition } from '../../../schema/types.js';
import type { AttributePath } from '../../../schema/attribute-path.js';
import { comparedDefinition, comparisonTarget, resolveFilterPath } from '../../../scim/filter/resolve.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import type { CompileContext, SortExpression, SqlValue } from '../filter/filter-to-sql-context.js';
import { valuesAt } from '../filter/filter-to-sql-values.js';
import { foldCase } from '../fold.js';

/**
 * The ORDER BY key of `sortBy` (RFC 7644 §3.4.2.3): the attribute's value; for a
 * multi-valued attribute the primary value, else the first (a bare complex attribute sorts by
 * its `value`, as filters compare it); case-insensitive strings by their folded form, all
 * text by code point; dateTimes as instants; '' counts as no value. NULL marks a row
 * without a value, which the caller orders last ascending and first descending.
 */
export function sortKeyOf(context: CompileContext, path: AttributePath): SortExpression | undefined {
  const resolved = resolveFilterPath(context.registry, context.resourceType, path);
  if (resolved === undefined) return undefined;
  const target = comparisonTarget(resolved);
  const definition = comparedDefinition(target);
  const key = valuesAt(context, target).first((value) => keyOfValue(value, definition, context.adapter));
  // A constant orders nothing (and PostgreSQL refuses a constant ORDER BY item).
  return key === undefined || key.constant ? undefined : key;
}

function keyOfValue(value: SqlValue, definition: AttributeDefinition, adapter: DialectAdapter): SortExpression | undefined {
  switch (value.kind) {
    case 'constant': {
      const constant = value.value;
      if (typeof constant === 'string') {
        const text = definition.caseExact ? constant : foldCase(constant);
        return text === '' ? undefined : { expression: sql.lit(text), nullable: false, kind: 'text', constant: true };
      }
      if (typeof constant === 'number') return { expression: sql.lit(constant), nullable: false, kind: 'number', constant: true };
      if (typeof constant === 'boolean') return { expression: sql.lit(constant ? 1 : 0), nullable: false, kind: 'number', constant: true };
      return undefined;
    }
    case 'opaque':
      return { expression: value.order, nullable: false, kind: 'text', constant: false };
    case 'expression': {
      const nullable = !value.nonEmpty;
      switch (definition.type) {
        case 'string':
        case 'reference':
        case 'binary': {
          const text = !definition.caseExact && !value.folded ? adapter.fold(value.sql) : value.sql;
          return { expression: nullable ? sql`nullif(${text}, '')` : text, nullable, kind: 'text', constant: false };
        }
        case 'boolean':
        case 'integer':
        case 'decimal':
          return { expression: value.sql, nullable, kind: 'number', constant: false };
        case 'dateTime':
          return value.instantText
            ? { expression: value.sql, nullable, kind: 'text', constant: false }
            : { expression: adapter.instant(value.sql), nullable: true, kind: 'number', constant: false };
        case 'complex':
          return undefined;
      }
    }
  }
}
