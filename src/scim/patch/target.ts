import type { AttributeDefinition, SchemaDefinition } from '../../schema/types.js';
import { parseAttributePath, type AttributePath } from '../../schema/attribute-path.js';
import { InvalidFilterError, InvalidPathError } from '../errors.js';
import type { FilterNode } from '../filter/ast.js';
import { validateFilter } from '../filter/validate.js';
import { parseValuePath } from '../filter/value-path.js';
import type { JsonValue } from '../json.js';
import { coerceAttributeValue, findAttribute, findSubAttribute, type CoerceOptions } from '../resource/coerce.js';
import type { ReadInputOptions } from '../resource/read-input.js';

/** An attribute a PATCH operation (or one key of a path-less value) addresses. */
export interface AttributeTarget {
  readonly kind: 'attribute';
  readonly attribute: AttributeDefinition;
  /** The extension URN the attribute lives under in the resource JSON; undefined for core attributes. */
  readonly extension: string | undefined;
  readonly subAttribute: AttributeDefinition | undefined;
  /** The value filter of `attr[filter]` / `attr[filter].sub`. */
  readonly filter: FilterNode | undefined;
}

/** A bare extension URN used as a path: the value is an object of extension attributes. */
export interface ExtensionTarget {
  readonly kind: 'extension';
  readonly schema: SchemaDefinition;
}

export type PatchTarget = AttributeTarget | ExtensionTarget;

/** The canonical name of a target for messages: `name.givenName`, `urn:…:User:manager`. */
export function targetLabel(target: AttributeTarget): string {
  const base = target.extension === undefined ? target.attribute.name : `${target.extension}:${target.attribute.name}`;
  return target.subAttribute === undefined ? base : `${base}.${target.subAttribute.name}`;
}

/** The extension schema a key or path names exactly (`urn:…:enterprise:2.0:User`), if any. */
function extensionNamed(text: string, options: ReadInputOptions): SchemaDefinition | undefined {
  const lower = text.toLowerCase();
  return options.registry.extensionsOf(options.resourceType).find((schema) => schema.id.toLowerCase() === lower);
}

function resolveAttribute(path: AttributePath, options: ReadInputOptions): AttributeTarget | undefined {
  const resolved = options.registry.resolve(options.resourceType, path);
  if (resolved === undefined) return undefined;
  return {
    kind: 'attribute',
    attribute: resolved.attribute,
    extension: resolved.inExtension ? resolved.schema : undefined,
    subAttribute: resolved.subAttribute,
    filter: undefined,
  };
}

/**
 * Resolves one key of a path-less add/replace value (`displayName`, `name.givenName`,
 * `urn:…:enterprise:2.0:User:employeeNumber`, IdP rule T3). Undefined when the schema
 * does not define it.
 */
export function resolveValueKey(key: string, options: ReadInputOptions): PatchTarget | undefined {
  const schema = extensionNamed(key, options);
  if (schema !== undefined) return { kind: 'extension', schema };
  const path = parseAttributePath(key);
  return path === undefined ? undefined : resolveAttribute(path, options);
}

/**
 * Entra filters on `roles[primary eq "True"]` (IdP rule T2): read such strings as
 * the booleans they mean, or the element an upsert creates would never match again.
 */
function normaliseLiterals(filter: FilterNode, attribute: AttributeDefinition): FilterNode {
  switch (filter.kind) {
    case 'compare': {
      const sub = findAttribute(attribute.subAttributes, filter.path.name);
      const { value } = filter;
      if (sub?.type !== 'boolean' || typeof value !== 'string' || !/^(true|false)$/i.test(value)) return filter;
      return { ...filter, value: value.toLowerCase() === 'true' };
    }
    case 'and':
    case 'or':
      return { ...filter, left: normaliseLiterals(filter.left, attribute), right: normaliseLiterals(filter.right, attribute) };
    case 'not':
      return { ...filter, operand: normaliseLiterals(filter.operand, attribute) };
    case 'present':
    case 'valuePath':
      return filter;
  }
}

/**
 * Checks a value filter with the same rules as a query filter (unknown sub-attributes,
 * operators and literals that do not fit the type) and returns it with literals normalised.
 * Throws InvalidFilterError: RFC 7644 §3.12 lists invalidFilter for PATCH path filters.
 */
function checkFilter(filter: FilterNode, attributePath: AttributePath, attribute: AttributeDefinition, path: string, options: ReadInputOptions): FilterNode {
  const normalised = normaliseLiterals(filter, attribute);
  const { urn, name } = attributePath;
  try {
    validateFilter({ kind: 'valuePath', path: urn === undefined ? { name } : { urn, name }, filter: normalised }, options.registry, options.resourceType);
  } catch (error) {
    if (error instanceof InvalidFilterError) throw new InvalidFilterError(`Path "${path}": ${error.detail}.`);
    throw error;
  }
  return normalised;
}

/**
 * Resolves an operation's `path` (RFC 7644 §3.5.2 `PATH = attrPath / valuePath [subAttr]`)
 * against the resource type. Names match case-insensitively (RFC 7643 §2.1). Throws
 * InvalidPathError for syntax errors and unknown attributes, InvalidFilterError when the
 * filter names something the attribute does not have.
 */
export function resolvePatchPath(path: string, options: ReadInputOptions): PatchTarget {
  const schema = extensionNamed(path, options);
  if (schema !== undefined) return { kind: 'extension', schema };
  const parsed = parseValuePath(path);
  if (!parsed.ok) {
    throw new InvalidPathError(`Invalid path "${path}": ${parsed.error.message}.`);
  }
  const { attribute: attributePath, filter, subAttribute } = parsed.path;
  if (subAttribute !== undefined && attributePath.subAttribute !== undefined) {
    throw new InvalidPathError(`Invalid path "${path}": an attribute path has at most one sub-attribute.`);
  }
  const target = resolveAttribute(attributePath, options);
  if (target === undefined) {
    throw new InvalidPathError(`Path "${path}" names an attribute that the ${options.resourceType.name} schemas do not define.`);
  }
  let sub = target.subAttribute;
  if (subAttribute !== undefined) {
    sub = findSubAttribute(target.attribute, subAttribute);
    if (sub === undefined) {
      throw new InvalidPathError(`Path "${path}": "${target.attribute.name}" has no sub-attribute "${subAttribute}".`);
    }
  }
  if (filter !== undefined) {
    if (!target.attribute.multiValued || target.attribute.type !== 'complex') {
      throw new InvalidPathError(`Path "${path}": a value filter applies only to a multi-valued complex attribute.`);
    }
    return { ...target, subAttribute: sub, filter: checkFilter(filter, attributePath, target.attribute, path, options) };
  }
  return { ...target, subAttribute: sub };
}

/**
 * Type-checks and converts an operation's value for its target (RFC 7643 §2.3, via the same
 * coercion as POST): a sub-attribute value for `.sub` paths, one element for `attr[filter]`,
 * the attribute's value otherwise. Undefined means "unassigned".
 */
export function coerceTargetValue(target: AttributeTarget, raw: JsonValue | undefined, options: CoerceOptions): JsonValue | undefined {
  const label = targetLabel(target);
  if (target.subAttribute !== undefined) return coerceAttributeValue(target.subAttribute, raw, label, options);
  if (target.filter !== undefined) return coerceAttributeValue({ ...target.attribute, multiValued: false }, raw, label, options);
  return coerceAttributeValue(target.attribute, raw, label, options);
}
