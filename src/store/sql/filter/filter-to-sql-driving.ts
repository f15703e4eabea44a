import type { FilterNode } from '../../../scim/filter/ast.js';
import { comparisonTarget, resolveFilterPath, resolveSubAttribute } from '../../../scim/filter/resolve.js';
import { hasSubstringIndex } from '../query/substring-index.js';
import type { CompileContext } from './filter-to-sql-context.js';

/**
 * Whether every row a filter matches is found through an index lookup: an equality on an
 * indexed column (id, externalId, userName, a group's displayName), `emails.value eq`
 * (user_emails), `groups.value eq`/`members.value eq` (group_members), a range on
 * meta.created/meta.lastModified, a substring test the substring index serves
 * (query/substring-index.ts), or such a lookup in every branch of an `or` and some side
 * of an `and`. Such a filter drives the list query from its index (query/list-runner.ts),
 * instead of the planner walking the creation-order index to save a sort: without
 * statistics, SQLite takes `tenant_id = ?` for a handful of rows and would read a whole
 * tenant to find one externalId.
 */
export function hasIndexedLookup(filter: FilterNode, context: CompileContext): boolean {
  switch (filter.kind) {
    case 'and':
      return hasIndexedLookup(filter.left, context) || hasIndexedLookup(filter.right, context);
    case 'or':
      return hasIndexedLookup(filter.left, context) && hasIndexedLookup(filter.right, context);
    case 'not':
    case 'present':
      return false;
    case 'compare': {
      const resolved = resolveFilterPath(context.registry, context.resourceType, filter.path);
      if (resolved === undefined || resolved.container !== undefined || filter.value === null || filter.value === '') return false;
      const target = comparisonTarget(resolved);
      if (hasSubstringIndex(context, target, filter.op, filter.value)) return true;
      const name = target.attribute.name.toLowerCase();
      const sub = target.subAttribute?.name.toLowerCase();
      if (sub === undefined) return filter.op === 'eq' && context.table.columns.get(name)?.indexed === true;
      if (name === 'meta') return (sub === 'created' || sub === 'lastmodified') && filter.op !== 'ne' && filter.op !== 'co' && filter.op !== 'sw' && filter.op !== 'ew';
      if (filter.op !== 'eq' || sub !== 'value') return false;
      return name === context.table.membershipAttribute || (name === 'emails' && context.table.emailLookup !== undefined);
    }
    case 'valuePath': {
      const target = resolveFilterPath(context.registry, context.resourceType, filter.path);
      if (target === undefined || target.container !== undefined || target.subAttribute !== undefined) return false;
      const name = target.attribute.name.toLowerCase();
      const indexed = name === context.table.membershipAttribute || (name === 'emails' && context.table.emailLookup !== undefined);
      const literal = valueEqualityIn(filter.filter);
      if (indexed && literal !== undefined && literal !== '') return true;
      const substring = valueSubstringIn(filter.filter);
      const value = resolveSubAttribute(target.attribute, { name: 'value' });
      return substring !== undefined && value !== undefined && hasSubstringIndex(context, { ...target, subAttribute: value }, substring.op, substring.value);
    }
  }
}

/**
 * Whether a filter finds its rows by one probe of a unique index: an `eq` on the id (or a
 * user's userName) on some side of an `and`, or on every branch of an `or`. Such a list
 * reads a row or two whatever the tenant's size (the SCIM client's everyday lookup).
 */
export function isUniqueLookup(filter: FilterNode, context: Pick<CompileContext, 'registry' | 'resourceType' | 'table'>): boolean {
  switch (filter.kind) {
    case 'and':
      return isUniqueLookup(filter.left, context) || isUniqueLookup(filter.right, context);
    case 'or':
      return isUniqueLookup(filter.left, context) && isUniqueLookup(filter.right, context);
    case 'compare': {
      if (filter.op !== 'eq' || filter.value === null || filter.value === '') return false;
      const resolved = resolveFilterPath(context.registry, context.resourceType, filter.path);
      if (resolved === undefined || resolved.container !== undefined || resolved.subAttribute !== undefined) return false;
      return context.table.columns.get(resolved.attribute.name.toLowerCase())?.unique === true;
    }
    case 'not':
    case 'present':
    case 'valuePath':
      return false;
  }
}

/** A `value eq "x"` that every match of the bracket filter must satisfy (found through `and` only). */
export function valueEqualityIn(filter: FilterNode): string | undefined {
  switch (filter.kind) {
    case 'and':
      return valueEqualityIn(filter.left) ?? valueEqualityIn(filter.right);
    case 'compare':
      return filter.op === 'eq' && filter.path.urn === undefined && filter.path.subAttribute === undefined && filter.path.name.toLowerCase() === 'value' && typeof filter.value === 'string'
        ? filter.value
        : undefined;
    case 'or':
    case 'not':
    case 'present':
    case 'valuePath':
      return undefined;
  }
}

/** A `value co|sw|ew "x"` that every match of the bracket filter must satisfy (found through `and` only). */
export function valueSubstringIn(filter: FilterNode): { op: 'co' | 'sw' | 'ew'; value: string } | undefined {
  switch (filter.kind) {
    case 'and':
      return valueSubstringIn(filter.left) ?? valueSubstringIn(filter.right);
    case 'compare': {
      const { op, value, path } = filter;
      if (op !== 'co' && op !== 'sw' && op !== 'ew') return undefined;
      return path.urn === undefined && path.subAttribute === undefined && path.name.toLowerCase() === 'value' && typeof value === 'string' ? { op, value } : undefined;
    }
    case 'or':
    case 'not':
    case 'present':
    case 'valuePath':
      return undefined;
  }
}
