import type { SchemaRegistry } from '../../schema/registry.js';
import type { AttributeDefinition, AttributeType, ResourceTypeDefinition } from '../../schema/types.js';
import { formatAttributePath, type AttributePath } from '../../schema/attribute-path.js';
import { InvalidFilterError } from '../errors.js';
import type { CompareNode, CompareOperator, FilterNode, FilterValue } from './ast.js';
import { parseDateTime } from './date-time.js';
import { comparedDefinition, comparisonTarget, resolveFilterPath, resolveSubAttribute, type FilterAttribute } from './resolve.js';

// Which comparison operators fit which type (RFC 7644 §3.4.2.2 Table 3: gt/ge/lt/le on
// boolean or binary is invalidFilter). Substring operators only make sense on text, and not
// on base64 binary, whose character boundaries are not byte boundaries. `pr` fits any type.
const ALL: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ORDERED: readonly CompareOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const EQUALITY: readonly CompareOperator[] = ['eq', 'ne'];
const OPERATORS: Readonly<Record<AttributeType, readonly CompareOperator[]>> = {
  string: ALL,
  reference: ALL,
  binary: EQUALITY,
  boolean: EQUALITY,
  integer: ORDERED,
  decimal: ORDERED,
  dateTime: ORDERED,
  complex: [],
};

function fail(message: string): never {
  throw new InvalidFilterError(message);
}

function article(type: AttributeType): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function shown(value: FilterValue): string {
  return JSON.stringify(value);
}

function checkReadable(attribute: AttributeDefinition, name: string): void {
  // RFC 7643 §7 lets a provider allow `returned: never` attributes in filters; Roster does
  // not, since a filter on `password` would be an oracle for a value it never discloses.
  if (attribute.returned === 'never') fail(`Filtering on "${name}" is not allowed: the attribute is never returned`);
}

function checkLiteral(definition: AttributeDefinition, value: Exclude<FilterValue, null>, name: string): void {
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value !== 'string') fail(`"${name}" is ${article(definition.type)} attribute; compare it with a string in double quotes, not ${shown(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(`"${name}" is a boolean attribute; compare it with true or false, not ${shown(value)}`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(`"${name}" is an integer attribute; compare it with an integer, not ${shown(value)}`);
      return;
    case 'decimal':
      if (typeof value !== 'number') fail(`"${name}" is a decimal attribute; compare it with a number, not ${shown(value)}`);
      return;
    case 'dateTime':
      if (typeof value !== 'string' || parseDateTime(value) === undefined) {
        fail(`"${name}" is a dateTime attribute; compare it with an xsd:dateTime string such as "2011-05-13T04:42:34Z", not ${shown(value)}`);
      }
      return;
    case 'complex':
      return;
  }
}

/** Operator and literal must fit the compared attribute's type. */
function checkComparison(node: CompareNode, definition: AttributeDefinition, name: string): void {
  if (definition.type === 'complex') {
    const example = definition.subAttributes?.[0]?.name ?? 'subAttribute';
    fail(`"${name}" is a complex attribute; filter on one of its sub-attributes (such as ${name}.${example}) or use pr`);
  }
  if (!OPERATORS[definition.type].includes(node.op)) {
    fail(`The operator "${node.op}" cannot be used on "${name}", ${article(definition.type)} attribute`);
  }
  if (node.value === null) {
    if (node.op !== 'eq' && node.op !== 'ne') fail(`The operator "${node.op}" cannot compare "${name}" with null; only eq and ne can`);
    return;
  }
  checkLiteral(definition, node.value, name);
}

function resolveTop(registry: SchemaRegistry, resourceType: ResourceTypeDefinition, path: AttributePath): FilterAttribute {
  const target = resolveFilterPath(registry, resourceType, path);
  const name = formatAttributePath(path);
  if (target === undefined) fail(`Unknown attribute "${name}" in filter: ${resourceType.name} resources have no such attribute`);
  checkReadable(target.attribute, name);
  if (target.subAttribute !== undefined) checkReadable(target.subAttribute, name);
  return target;
}

function validateInValueFilter(filter: FilterNode, parent: AttributeDefinition, parentName: string): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      validateInValueFilter(filter.left, parent, parentName);
      validateInValueFilter(filter.right, parent, parentName);
      return;
    case 'not':
      validateInValueFilter(filter.operand, parent, parentName);
      return;
    case 'valuePath':
      return fail(`Value paths cannot be nested: "${formatAttributePath(filter.path)}[…]" inside "${parentName}[…]"`);
    case 'present':
    case 'compare': {
      const written = formatAttributePath(filter.path);
      const sub = resolveSubAttribute(parent, filter.path);
      if (sub === undefined) {
        const known = (parent.subAttributes ?? []).map((candidate) => candidate.name).join(', ');
        return fail(`"${written}" inside "${parentName}[…]" is not a sub-attribute of ${parentName} (it has ${known})`);
      }
      const name = `${parentName}.${sub.name}`;
      checkReadable(sub, name);
      if (filter.kind === 'compare') checkComparison(filter, sub, name);
      return;
    }
  }
}

/**
 * Checks a parsed filter against a resource type's schemas; throws InvalidFilterError
 * (400 invalidFilter, RFC 7644 §3.4.2.2) naming the attribute when:
 * - a path does not resolve (see resolveFilterPath; inside `attr[…]`, paths are plain
 *   sub-attribute names of `attr`);
 * - the attribute is `returned: never` (`password`);
 * - a value path's attribute is not multi-valued complex, or names a sub-attribute, or
 *   value paths nest;
 * - the operator does not fit the type: booleans and binaries take only eq/ne, numbers and
 *   dateTimes no co/sw/ew, a complex attribute only `pr` (except that a comparison on a
 *   complex attribute with a `value` sub-attribute compares that `value`, see
 *   comparisonTarget); `null` only with eq/ne;
 * - the literal does not fit the type: strings for string/reference/binary, true/false for
 *   boolean, integers for integer, numbers for decimal, xsd:dateTime strings for dateTime.
 */
export function validateFilter(filter: FilterNode, registry: SchemaRegistry, resourceType: ResourceTypeDefinition): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      validateFilter(filter.left, registry, resourceType);
      validateFilter(filter.right, registry, resourceType);
      return;
    case 'not':
      validateFilter(filter.operand, registry, resourceType);
      return;
    case 'present':
      resolveTop(registry, resourceType, filter.path);
      return;
    case 'compare': {
      const target = comparisonTarget(resolveTop(registry, resourceType, filter.path));
      checkComparison(filter, comparedDefinition(target), formatAttributePath(filter.path));
      return;
    }
    case 'valuePath': {
      const target = resolveTop(registry, resourceType, filter.path);
      const name = formatAttributePath(filter.path);
      if (target.subAttribute !== undefined) fail(`A value filter cannot follow the sub-attribute path "${name}"`);
      if (target.attribute.type !== 'complex' || !target.attribute.multiValued) {
        fail(`"${name}" is not a multi-valued complex attribute, so it cannot take a value filter "${name}[…]"`);
      }
      validateInValueFilter(filter.filter, target.attribute, name);
      return;
    }
  }
}
