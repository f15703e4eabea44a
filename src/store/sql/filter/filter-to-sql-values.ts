import { sql, type RawBuilder } from 'kysely';
import type { AttributeDefinition } from '../../../schema/types.js';
import type { FilterAttribute } from '../../../scim/filter/resolve.js';
import type { JsonValue } from '../../../scim/json.js';
import type { JsonScalarKind } from '../dialect-adapter.js';
import type { Collection, ColumnSpec, CompileContext, ElementScope, SortExpression, SqlValue, Values } from './filter-to-sql-context.js';
import { and, anyOf, toSql } from '../query/condition.js';

/**
 * Where the values of an attribute path come from in SQL: columns, the JSON document
 * (`data`), computed meta attributes and `schemas`. Memberships are in filter-to-sql-memberships.ts.
 * Paths have been resolved by resolveFilterPath, as the reference evaluator resolves them.
 */

/** A path that resolves to nothing has no values. */
export const NO_VALUES: Values = { definition: undefined, some: () => false, first: () => undefined };

export function expressionValue(expression: RawBuilder<unknown>, options: { folded?: boolean; instantText?: boolean; nonEmpty?: boolean } = {}): SqlValue {
  return {
    kind: 'expression',
    sql: expression,
    folded: options.folded === true,
    instantText: options.instantText === true,
    nonEmpty: options.nonEmpty === true,
  };
}

export function constantValue(value: JsonValue): SqlValue {
  return { kind: 'constant', value };
}

/** The one value of a singular attribute. */
export function singleValue(definition: AttributeDefinition, value: SqlValue): Values {
  return { definition, some: (test) => test(value), first: (key) => key(value) };
}

/** The values of a sub-attribute across the elements of a complex attribute. */
function subValues(collection: Collection, sub: AttributeDefinition): Values {
  return {
    definition: sub,
    some: (test) => collection.some((element) => test(element.value(sub))),
    first: (key) => collection.first((element) => key(element.value(sub))),
  };
}

export function scalarKind(definition: AttributeDefinition): JsonScalarKind {
  switch (definition.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'string':
    case 'reference':
    case 'binary':
    case 'dateTime':
    case 'complex':
      return 'text';
  }
}

/** `(select <key> <from…where> and <key> is not null order by … limit 1)`: the first element's key, for sorting. */
export function firstOf(source: RawBuilder<unknown>, key: SortExpression, order: readonly RawBuilder<unknown>[]): SortExpression {
  const expression = sql`(select ${key.expression} ${source} and ${key.expression} is not null order by ${sql.join(order)} limit 1)`;
  return { ...key, expression, nullable: true, constant: false };
}

function documentOf(context: CompileContext): RawBuilder<unknown> {
  return sql.ref(`${context.row}.data`);
}

/** The elements of a multi-valued simple attribute (`schemas` aside, custom extension lists). */
function jsonListValues(context: CompileContext, path: readonly string[], definition: AttributeDefinition): Values {
  const { adapter } = context;
  const kind = scalarKind(definition);
  return {
    definition,
    some(test) {
      const alias = context.alias('v');
      const condition = test(expressionValue(adapter.elementScalar(alias, kind)));
      if (condition === false) return false;
      return sql`exists (select 1 ${adapter.jsonElements(documentOf(context), path, alias)} and ${toSql(condition)})`;
    },
    first(key) {
      const alias = context.alias('v');
      const inner = key(expressionValue(adapter.elementScalar(alias, kind)));
      if (inner === undefined) return undefined;
      return firstOf(adapter.jsonElements(documentOf(context), path, alias), inner, [adapter.elementOrdinal(alias)]);
    },
  };
}

/** The elements of a multi-valued complex attribute in the document (`emails`, `addresses`). */
function jsonArrayCollection(context: CompileContext, path: readonly string[], attribute: AttributeDefinition): Collection {
  const { adapter } = context;
  const scopeOf = (alias: string): ElementScope => ({
    value: (sub) => expressionValue(adapter.jsonScalar(adapter.elementJson(alias), [sub.name], scalarKind(sub))),
  });
  return {
    attribute,
    some(test) {
      const alias = context.alias('e');
      const condition = test(scopeOf(alias));
      if (condition === false) return false;
      return sql`exists (select 1 ${adapter.jsonElements(documentOf(context), path, alias)} and ${toSql(condition)})`;
    },
    first(key) {
      const alias = context.alias('e');
      const scope = scopeOf(alias);
      const inner = key(scope);
      if (inner === undefined) return undefined;
      const order = [adapter.elementOrdinal(alias)];
      // RFC 7644 §3.4.2.3: the primary value when there is one, else the first.
      const primary = attribute.subAttributes?.find((sub) => sub.name === 'primary' && sub.type === 'boolean');
      if (primary !== undefined) {
        const flag = scope.value(primary);
        if (flag.kind === 'expression') order.unshift(sql`case when ${flag.sql} = 1 then 0 else 1 end`);
      }
      return firstOf(adapter.jsonElements(documentOf(context), path, alias), inner, order);
    },
  };
}

/** A singular complex attribute in the document (`name`, the enterprise `manager`): one element at most. */
function jsonObjectCollection(context: CompileContext, path: readonly string[], attribute: AttributeDefinition): Collection {
  const scope: ElementScope = {
    value: (sub) => expressionValue(context.adapter.jsonScalar(documentOf(context), [...path, sub.name], scalarKind(sub))),
  };
  return { attribute, some: (test) => test(scope), first: (key) => key(scope) };
}

/** `meta`: computed from columns, as renderResource shows it. */
function metaCollection(context: CompileContext, attribute: AttributeDefinition): Collection {
  const table = context.row;
  const scope: ElementScope = {
    value(sub) {
      switch (sub.name.toLowerCase()) {
        case 'resourcetype':
          return constantValue(context.resourceType.name);
        case 'created':
          return expressionValue(sql.ref(`${table}.created_at`), { instantText: true, nonEmpty: true });
        case 'lastmodified':
          return expressionValue(sql.ref(`${table}.last_modified`), { instantText: true, nonEmpty: true });
        case 'version':
          // The weak ETag etagOf() renders.
          return expressionValue(sql`('W/"' || ${sql.ref(`${table}.version`)} || '"')`, { nonEmpty: true });
        case 'location':
          // The base URL belongs to the request; under one base URL, locations order as ids do.
          return { kind: 'opaque', name: 'meta.location', order: sql.ref(`${table}.id`) };
        default:
          return constantValue(null);
      }
    },
  };
  return { attribute, some: (test) => test(scope), first: (key) => key(scope) };
}

/**
 * `schemas`: the resource type's core schema on every row, and each extension whose key is in
 * the document (renderResource lists an extension when `data[urn] !== undefined`).
 */
function schemasValues(context: CompileContext, definition: AttributeDefinition): Values {
  const core = context.resourceType.schema;
  const extensions = context.registry.extensionsOf(context.resourceType);
  return {
    definition,
    some: (test) =>
      anyOf([
        test(constantValue(core)),
        ...extensions.map((extension) => and(test(constantValue(extension.id)), context.adapter.jsonHas(documentOf(context), [extension.id]))),
      ]),
    first: (key) => key(constantValue(core)),
  };
}

function columnValue(context: CompileContext, column: ColumnSpec): SqlValue {
  return expressionValue(sql.ref(`${context.row}.${column.column}`), { folded: column.folded === true, nonEmpty: column.nonEmpty === true });
}

function documentPath(target: FilterAttribute): string[] {
  return [...(target.container === undefined ? [] : [target.container]), target.attribute.name];
}

/** The elements of a complex attribute (no sub-attribute named); undefined for a simple one. */
export function collectionAt(context: CompileContext, target: FilterAttribute): Collection | undefined {
  const { attribute } = target;
  if (attribute.type !== 'complex') return undefined;
  if (target.container === undefined) {
    const name = attribute.name.toLowerCase();
    if (name === 'meta') return metaCollection(context, attribute);
    if (name === context.table.membershipAttribute) return context.table.membership(context, attribute);
  }
  const path = documentPath(target);
  return attribute.multiValued ? jsonArrayCollection(context, path, attribute) : jsonObjectCollection(context, path, attribute);
}

/**
 * The values of a path that names a simple attribute or a sub-attribute. A bare complex
 * attribute has no comparable values (the caller turns `emails co "x"` into `emails.value`
 * through comparisonTarget first).
 */
export function valuesAt(context: CompileContext, target: FilterAttribute): Values {
  const { attribute, subAttribute } = target;
  // resolveFilterPath's `schemas`: in no schema, so only it has that name at the top level.
  if (target.container === undefined && attribute.name === 'schemas') return schemasValues(context, attribute);
  if (subAttribute !== undefined) {
    const collection = collectionAt(context, target);
    return collection === undefined ? NO_VALUES : subValues(collection, subAttribute);
  }
  if (attribute.type === 'complex') return { definition: attribute, some: () => false, first: () => undefined };
  if (target.container === undefined) {
    const column = context.table.columns.get(attribute.name.toLowerCase());
    if (column !== undefined) return singleValue(attribute, columnValue(context, column));
  }
  const path = documentPath(target);
  if (attribute.multiValued) return jsonListValues(context, path, attribute);
  return singleValue(attribute, expressionValue(context.adapter.jsonScalar(documentOf(context), path, scalarKind(attribute))));
}
