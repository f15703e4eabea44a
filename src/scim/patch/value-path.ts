import type { AttributeDefinition } from '../../schema/types.js';
import type { FilterNode } from '../filter/ast.js';
import { evaluateValueFilter } from '../filter/evaluate.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { coerceAttributeValue, findAttribute, type CoerceOptions } from '../resource/coerce.js';

/**
 * Indices of the elements a value filter selects. Without a filter (`emails.type`), every
 * element is selected. Elements that are not objects never match a filter.
 */
export function selectElements(elements: readonly JsonValue[], filter: FilterNode | undefined, attribute: AttributeDefinition): number[] {
  const out: number[] = [];
  elements.forEach((element, index) => {
    if (filter === undefined || (isJsonObject(element) && evaluateValueFilter(filter, element, attribute))) out.push(index);
  });
  return out;
}

/** The `sub eq value` comparisons of a filter made only of `eq` joined by `and`; undefined otherwise. */
function equalities(filter: FilterNode): [string, JsonValue][] | undefined {
  switch (filter.kind) {
    case 'compare':
      return filter.op === 'eq' && filter.value !== null ? [[filter.path.name, filter.value]] : undefined;
    case 'and': {
      const left = equalities(filter.left);
      const right = equalities(filter.right);
      return left === undefined || right === undefined ? undefined : [...left, ...right];
    }
    case 'present':
    case 'or':
    case 'not':
    case 'valuePath':
      return undefined;
  }
}

/**
 * The element an upsert creates for a value filter that matched nothing: the filter's `eq`
 * values, coerced like any input (so `primary eq "True"` stores true). Entra addresses
 * elements such as `emails[type eq "work"].value` on users that lack them and expects
 * creation (IdP rule T4), although RFC 7644 §3.5.2.3 says noTarget; the deviation is
 * limited to filters that say exactly what the new element is. Undefined when the filter
 * is not such a filter, names a readOnly sub-attribute or contradicts itself.
 */
export function elementFromFilter(
  filter: FilterNode,
  attribute: AttributeDefinition,
  label: string,
  options: CoerceOptions,
): JsonObject | undefined {
  const pairs = equalities(filter);
  if (pairs === undefined) return undefined;
  const element: JsonObject = {};
  for (const [name, raw] of pairs) {
    const sub = findAttribute(attribute.subAttributes, name);
    if (sub === undefined || sub.mutability === 'readOnly') return undefined;
    const value = coerceAttributeValue(sub, raw, `${label}.${sub.name}`, options);
    if (value === undefined) return undefined;
    const earlier = element[sub.name];
    if (earlier !== undefined && earlier !== value) return undefined;
    element[sub.name] = value;
  }
  return element;
}
