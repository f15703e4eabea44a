import { userResourceType, type SchemaRegistry } from '../schema/registry.js';
import type { FilterNode } from '../scim/filter/ast.js';
import { foldCase } from '../scim/filter/match.js';
import { comparedDefinition, resolveFilterPath } from '../scim/filter/resolve.js';

/**
 * The key a list filter of exactly `userName eq "…"` compares the stored userName key with
 * (folded unless the tenant's schema makes userName caseExact, as the filter compiler
 * compares it), or undefined for any other filter. It is the lookup IdPs send before every
 * create and update; userName is unique among live users, so it finds one user or none.
 */
export function userNameLookupKey(filter: FilterNode | undefined, registry: SchemaRegistry): string | undefined {
  if (filter?.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string' || filter.value === '') return undefined;
  const resourceType = registry.resourceType(userResourceType.name) ?? userResourceType;
  const target = resolveFilterPath(registry, resourceType, filter.path);
  if (target === undefined || target.container !== undefined || target.subAttribute !== undefined || target.attribute.name.toLowerCase() !== 'username') return undefined;
  return comparedDefinition(target).caseExact ? filter.value : foldCase(filter.value);
}
