import type { SchemaRegistry } from '../../schema/registry.js';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import type { AttributePath } from '../../schema/attribute-path.js';
import type { FilterNode } from './ast.js';

/**
 * A filter as it applies to one resource type in a search across types (RFC 7644
 * §3.4.2.1): attributes the type does not have are unassigned, so `eq`/`co`/`pr`/… on them
 * are false, `ne` and `eq null` are true, and the logic folds around those constants.
 * Returns the remaining filter, or `true` (everything matches) / `false` (nothing does).
 */
export function restrictFilterToType(filter: FilterNode, registry: SchemaRegistry, type: ResourceTypeDefinition): FilterNode | boolean {
  const known = (path: AttributePath): boolean => registry.resolve(type, path) !== undefined;
  switch (filter.kind) {
    case 'compare':
      if (known(filter.path)) return filter;
      return filter.op === 'ne' ? filter.value !== null : filter.op === 'eq' && filter.value === null;
    case 'present':
      return known(filter.path) ? filter : false;
    case 'valuePath':
      return known(filter.path) ? filter : false;
    case 'not': {
      const operand = restrictFilterToType(filter.operand, registry, type);
      return typeof operand === 'boolean' ? !operand : { kind: 'not', operand };
    }
    case 'and':
    case 'or': {
      const left = restrictFilterToType(filter.left, registry, type);
      const right = restrictFilterToType(filter.right, registry, type);
      // and: false absorbs, true is neutral; or: true absorbs, false is neutral.
      const absorbing = filter.kind === 'or';
      if (left === absorbing || right === absorbing) return absorbing;
      if (typeof left === 'boolean') return right;
      if (typeof right === 'boolean') return left;
      return { kind: filter.kind, left, right };
    }
  }
}
