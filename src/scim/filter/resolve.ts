import { attr } from '../../schema/attribute.js';
import type { SchemaRegistry } from '../../schema/registry.js';
import type { AttributeDefinition, ResourceTypeDefinition } from '../../schema/types.js';
import type { AttributePath } from '../../schema/attribute-path.js';

/**
 * `schemas` (RFC 7643 §3): on every resource, but not in any schema, so the registry does
 * not resolve it. Filters may name it (RFC 7644 §3.4.2.2 Figure 2:
 * `schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`). Schema URIs
 * compare case-insensitively, like attribute names.
 */
const schemasAttribute: AttributeDefinition = attr.string('schemas', {
  description: 'The schema URIs of the resource.',
  multiValued: true,
  required: true,
  mutability: 'readOnly',
  returned: 'always',
});

/**
 * Where a filter path points in a resource's JSON and which definition governs it. The
 * evaluator, the validator and the SQL compiler all resolve paths through here, so they
 * agree on what `emails co "x"` or `schemas eq "…"` means.
 */
export interface FilterAttribute {
  /** The extension URN whose object holds the attribute (canonical case), or undefined when it sits at the top level. */
  readonly container: string | undefined;
  /** The top-level attribute; its `name` is the JSON key. */
  readonly attribute: AttributeDefinition;
  /** The sub-attribute the path names, if any; its `name` is the key inside each value. */
  readonly subAttribute: AttributeDefinition | undefined;
}

/** The definition whose type and caseExact govern comparisons on a resolved path. */
export function comparedDefinition(target: FilterAttribute): AttributeDefinition {
  return target.subAttribute ?? target.attribute;
}

/**
 * Resolves a top-level filter path (not one inside a value filter) against a resource type:
 * through registry.resolve (URN-qualified, common, core, then a unique extension match),
 * plus the `schemas` attribute. Undefined when nothing matches.
 */
export function resolveFilterPath(registry: SchemaRegistry, resourceType: ResourceTypeDefinition, path: AttributePath): FilterAttribute | undefined {
  const resolved = registry.resolve(resourceType, path);
  if (resolved !== undefined) {
    return {
      container: resolved.inExtension ? resolved.schema : undefined,
      attribute: resolved.attribute,
      subAttribute: resolved.subAttribute,
    };
  }
  if (path.urn === undefined && path.subAttribute === undefined && path.name.toLowerCase() === 'schemas') {
    return { container: undefined, attribute: schemasAttribute, subAttribute: undefined };
  }
  return undefined;
}

/**
 * The target of a comparison operator (not `pr`): a bare complex attribute that has a
 * `value` sub-attribute compares through it, so `emails co "@x"` means `emails.value co "@x"`
 * (RFC 7644 §3.4.2.2 Figure 2 filters `emails co "example.com"`) and `manager eq "id"` means
 * `manager.value eq "id"` (Entra checks a manager that way). `pr` keeps the bare attribute.
 */
export function comparisonTarget(target: FilterAttribute): FilterAttribute {
  if (target.subAttribute !== undefined || target.attribute.type !== 'complex') return target;
  const value = target.attribute.subAttributes?.find((sub) => sub.name === 'value');
  return value === undefined ? target : { ...target, subAttribute: value };
}

/**
 * Resolves a path inside a value filter (`emails[type eq "work"]`): a plain name, looked up
 * case-insensitively among the parent's sub-attributes. URN-qualified or dotted paths do not
 * resolve there.
 */
export function resolveSubAttribute(parent: AttributeDefinition, path: AttributePath): AttributeDefinition | undefined {
  if (path.urn !== undefined || path.subAttribute !== undefined) return undefined;
  const lower = path.name.toLowerCase();
  return parent.subAttributes?.find((sub) => sub.name.toLowerCase() === lower);
}
