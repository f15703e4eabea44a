/**
 * The reference semantics of SCIM filters in Roster (RFC 7644 §3.4.2.2). Every other
 * implementation (the SQL compiler) must give the same answers; property tests compare them.
 *
 * **Resource shape.** The SCIM JSON form: core and common attributes at the top level,
 * extension attributes in an object keyed by the extension URN, keys in canonical case (as
 * the schema definitions spell them; no case-insensitive key lookup). Paths resolve through
 * `resolveFilterPath` (resolve.ts): registry.resolve, plus `schemas`.
 *
 * **Values of a path.** The stored JSON at the attribute (and, for `attr.sub`, at `sub` in
 * each element that is an object); a stored array contributes its items. Only *assigned*
 * values count: not undefined, null, `""`, `[]`, nor a complex value none of whose
 * schema-defined sub-attributes is assigned (recursively the same rule). So `""` behaves
 * exactly like a missing attribute. A path that does not resolve has no values.
 *
 * **Multi-valued.** A comparison matches when *any* value matches (`emails.value co "@x"`).
 * Separate comparisons are independent: `emails.type eq "work" and emails.value co "@x"`
 * may match through two different emails; `emails[type eq "work" and value co "@x"]` needs
 * one email that satisfies the whole bracket filter.
 *
 * **Bare complex attributes.** A comparison (not `pr`) on a complex attribute with a `value`
 * sub-attribute compares its `value`: `emails co "@x"` ≡ `emails.value co "@x"`,
 * `manager eq "id"` ≡ `manager.value eq "id"`. `emails pr` is presence of the complex
 * attribute itself (some email with some assigned sub-attribute).
 *
 * **Operators.**
 * - `pr`: the path has at least one assigned value.
 * - `eq null`: the path has no assigned value (≡ `not (pr)`); `ne null` ≡ `pr`. Other
 *   operators with `null` never match.
 * - `ne v` ≡ `not (eq v)`, for every v: a resource without the attribute matches
 *   `ne "x"`, and a multi-valued attribute matches `ne "x"` only when *no* value equals "x".
 * - `eq`, `co`, `sw`, `ew`, `gt`, `ge`, `lt`, `le`: some assigned value v satisfies it:
 *   - string, reference, binary (JSON strings): when the attribute's `caseExact` is false
 *     both sides are folded with `s.normalize('NFC').toLowerCase()`; caseExact values are
 *     compared as is. `co`/`sw`/`ew` are substring/prefix/suffix tests (equal strings match
 *     `sw` and `ew`; the empty literal matches every assigned value). Ordering is by Unicode
 *     code point (= UTF-8 byte order), not UTF-16 code units.
 *   - integer, decimal (JSON numbers): numeric; `co`/`sw`/`ew` never match.
 *   - boolean: only `eq` (and so `ne`); ordering and substring operators never match.
 *   - dateTime (xsd:dateTime strings): both sides parsed by `parseDateTime` to millisecond
 *     instants (extra fraction digits truncated, no offset = UTC) and compared
 *     chronologically, so `…34Z` eq `…34.000Z`; a stored value that does not parse never
 *     matches (but is assigned for `pr`); `co`/`sw`/`ew` never match.
 *   - A stored value of the wrong JSON type for the attribute never matches; a literal of
 *     the wrong type (which validateFilter rejects) matches nothing.
 * - `and`, `or`, `not`: boolean logic over the above (two-valued; there is no "unknown").
 * - `attr[f]`: some element of `attr` that is a JSON object satisfies `f`, evaluated with
 *   `evaluateValueFilter` (paths in `f` name sub-attributes of that element).
 *
 * Filters should have passed validateFilter; on others the evaluator stays total (unknown
 * paths have no values, nested value paths match nothing) rather than throwing.
 */
import type { SchemaRegistry } from '../../schema/registry.js';
import type { AttributeDefinition, ResourceTypeDefinition } from '../../schema/types.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { CompareNode, FilterNode } from './ast.js';
import { isPresent, matchValue } from './match.js';
import { comparedDefinition, comparisonTarget, resolveFilterPath, resolveSubAttribute, type FilterAttribute } from './resolve.js';

function items(value: JsonValue | undefined): readonly (JsonValue | undefined)[] {
  return Array.isArray(value) ? value : [value];
}

/** The assigned values at a resolved path in a resource, flattened across a multi-valued attribute. */
function valuesAt(resource: JsonObject, target: FilterAttribute): JsonValue[] {
  const container = target.container === undefined ? resource : resource[target.container];
  if (!isJsonObject(container)) return [];
  const stored = items(container[target.attribute.name]);
  const sub = target.subAttribute;
  if (sub === undefined) return assigned(stored, target.attribute);
  return assigned(
    stored.flatMap((element) => (isJsonObject(element) ? items(element[sub.name]) : [])),
    sub,
  );
}

function assigned(values: readonly (JsonValue | undefined)[], definition: AttributeDefinition): JsonValue[] {
  return values.filter((value): value is JsonValue => isPresent(value, definition));
}

/** `path op value` over the assigned values of its path (none when the path is unknown). */
function compareValues(node: CompareNode, values: readonly JsonValue[], definition: AttributeDefinition | undefined): boolean {
  const { op, value: literal } = node;
  if (op === 'ne') return !compareValues({ ...node, op: 'eq' }, values, definition);
  if (literal === null) return op === 'eq' && values.length === 0;
  return definition !== undefined && values.some((value) => matchValue(op, value, literal, definition));
}

/**
 * Whether a resource (SCIM JSON form) matches a filter, by the semantics in this module's
 * header. `registry` and `resourceType` resolve the paths.
 */
export function evaluateFilter(filter: FilterNode, resource: JsonObject, registry: SchemaRegistry, resourceType: ResourceTypeDefinition): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluateFilter(filter.left, resource, registry, resourceType) && evaluateFilter(filter.right, resource, registry, resourceType);
    case 'or':
      return evaluateFilter(filter.left, resource, registry, resourceType) || evaluateFilter(filter.right, resource, registry, resourceType);
    case 'not':
      return !evaluateFilter(filter.operand, resource, registry, resourceType);
    case 'present': {
      const target = resolveFilterPath(registry, resourceType, filter.path);
      return target !== undefined && valuesAt(resource, target).length > 0;
    }
    case 'compare': {
      const resolved = resolveFilterPath(registry, resourceType, filter.path);
      const target = resolved === undefined ? undefined : comparisonTarget(resolved);
      const values = target === undefined ? [] : valuesAt(resource, target);
      return compareValues(filter, values, target === undefined ? undefined : comparedDefinition(target));
    }
    case 'valuePath': {
      const target = resolveFilterPath(registry, resourceType, filter.path);
      if (target === undefined || target.subAttribute !== undefined) return false;
      const container = target.container === undefined ? resource : resource[target.container];
      if (!isJsonObject(container)) return false;
      const { attribute } = target;
      return items(container[attribute.name]).some((element) => isJsonObject(element) && evaluateValueFilter(filter.filter, element, attribute));
    }
  }
}

/**
 * Whether one element of a multi-valued complex attribute (e.g. one email object) satisfies
 * a value filter (the inside of `emails[…]`), whose paths are sub-attribute names of
 * `attribute`. Same semantics as evaluateFilter; the PATCH engine uses it to pick targets.
 */
export function evaluateValueFilter(filter: FilterNode, element: JsonObject, attribute: AttributeDefinition): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluateValueFilter(filter.left, element, attribute) && evaluateValueFilter(filter.right, element, attribute);
    case 'or':
      return evaluateValueFilter(filter.left, element, attribute) || evaluateValueFilter(filter.right, element, attribute);
    case 'not':
      return !evaluateValueFilter(filter.operand, element, attribute);
    case 'present': {
      const sub = resolveSubAttribute(attribute, filter.path);
      return sub !== undefined && assigned(items(element[sub.name]), sub).length > 0;
    }
    case 'compare': {
      const sub = resolveSubAttribute(attribute, filter.path);
      const values = sub === undefined ? [] : assigned(items(element[sub.name]), sub);
      return compareValues(filter, values, sub);
    }
    case 'valuePath':
      // Value paths do not nest (RFC 7644 §3.4.2.2 valFilter); the parser and validator reject it.
      return false;
  }
}
