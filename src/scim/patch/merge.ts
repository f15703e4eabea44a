import type { AttributeDefinition } from '../../schema/types.js';
import { MutabilityError } from '../errors.js';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { findAttribute } from '../resource/coerce.js';

/** Scalar equality honouring `caseExact` (RFC 7643 §2.2: strings compare case-insensitively by default). */
function sameScalar(definition: AttributeDefinition | undefined, a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string' && definition?.caseExact !== true) return a.toLowerCase() === b.toLowerCase();
  return jsonEqual(a, b);
}

/**
 * Whether two elements of a multi-valued attribute are "the same value" for add (RFC 7644
 * §3.5.2.1: adding a value already present changes nothing). Complex elements with a `value`
 * compare on `value` and, when both carry one, `type` (RFC 7643 §2.4: a (type, value) pair
 * appears once; a member added again without its `type` is still the same member, T6);
 * complex elements without `value` (addresses) and simple ones compare whole.
 */
function sameElement(attribute: AttributeDefinition, a: JsonValue, b: JsonValue): boolean {
  if (attribute.type !== 'complex') return sameScalar(attribute, a, b);
  if (!isJsonObject(a) || !isJsonObject(b)) return jsonEqual(a, b);
  if (a.value === undefined && b.value === undefined) return jsonEqual(a, b);
  const subs = attribute.subAttributes;
  if (!sameScalar(findAttribute(subs, 'value'), a.value, b.value)) return false;
  return a.type === undefined || b.type === undefined || sameScalar(findAttribute(subs, 'type'), a.type, b.type);
}

/** Throws when `after` changes an immutable sub-attribute `before` had assigned (RFC 7643 §7). */
export function checkImmutableSubAttributes(attribute: AttributeDefinition, before: JsonObject, after: JsonObject, label: string): void {
  for (const sub of attribute.subAttributes ?? []) {
    if (sub.mutability !== 'immutable') continue;
    const old = before[sub.name];
    if (old !== undefined && old !== null && !jsonEqual(old, after[sub.name])) {
      throw new MutabilityError(`"${label}.${sub.name}" is immutable and already has a value.`);
    }
  }
}

/**
 * Appends `added` to `existing` without duplicates (RFC 7644 §3.5.2.1). An added element equal
 * to an existing one is merged into it, so `{"value":"a","type":"work","primary":true}` marks
 * the existing work address primary instead of adding a second copy.
 */
export function appendElements(attribute: AttributeDefinition, existing: readonly JsonValue[], added: readonly JsonValue[], label: string): JsonValue[] {
  const out = [...existing];
  for (const element of added) {
    const at = out.findIndex((candidate) => sameElement(attribute, candidate, element));
    const found = at === -1 ? undefined : out[at];
    if (found === undefined) {
      out.push(element);
    } else if (isJsonObject(found) && isJsonObject(element)) {
      // The stored spelling of the identifying sub-attributes stays (ADA@x adds nothing to ada@x).
      const merged: JsonObject = { ...found, ...element };
      if (found.value !== undefined) merged.value = found.value;
      if (found.type !== undefined) merged.type = found.type;
      checkImmutableSubAttributes(attribute, found, merged, label);
      out[at] = merged;
    }
  }
  return out;
}

/**
 * Whether `element` is one of the values a remove names. Entra's default member removal sends
 * `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}` (IdP rule T5): a removal
 * value matches every element whose sub-attributes include the ones it gives.
 */
function removalMatches(attribute: AttributeDefinition, removal: JsonValue, element: JsonValue): boolean {
  if (attribute.type !== 'complex') return sameScalar(attribute, removal, element);
  if (!isJsonObject(removal) || !isJsonObject(element)) return false;
  return Object.entries(removal).every(([name, value]) => sameScalar(findAttribute(attribute.subAttributes, name), value, element[name]));
}

/** The elements left after removing the given values. */
export function withoutElements(attribute: AttributeDefinition, existing: readonly JsonValue[], removals: readonly JsonValue[]): JsonValue[] {
  return existing.filter((element) => !removals.some((removal) => removalMatches(attribute, removal, element)));
}

function isPrimary(element: JsonValue): boolean {
  return isJsonObject(element) && element.primary === true;
}

/**
 * RFC 7644 §3.5.2 / RFC 7643 §2.4: at most one element is primary; when an operation makes one
 * primary, the previously primary ones become `primary: false`. `before` is the attribute's
 * elements before the operation; elements the operation wrote are new objects, so identity
 * tells them apart. When the operation wrote several primaries, the last one wins.
 */
export function settlePrimary(before: readonly JsonValue[], after: readonly JsonValue[]): JsonValue[] {
  const primaries = after.filter(isPrimary);
  if (primaries.length <= 1) return [...after];
  const previous = new Set(before.filter(isPrimary));
  const keep = primaries.filter((element) => !previous.has(element)).at(-1) ?? primaries.at(-1);
  return after.map((element) => (isJsonObject(element) && isPrimary(element) && element !== keep ? { ...element, primary: false } : element));
}
