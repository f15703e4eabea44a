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

/** JSON text with object keys sorted, so that jsonEqual values have the same text. */
function canonical(value: JsonValue | undefined): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** A key equal for every two scalars sameScalar finds the same. */
function scalarKey(definition: AttributeDefinition | undefined, value: JsonValue | undefined): string {
  if (typeof value === 'string') return `s${definition?.caseExact === true ? value : value.toLowerCase()}`;
  return `j${canonical(value)}`;
}

/**
 * A key shared by every two elements sameElement may find the same: complex elements with a
 * `value` by that value (their `type` is compared within the bucket), the rest whole.
 */
function elementKey(attribute: AttributeDefinition, element: JsonValue): string {
  if (attribute.type !== 'complex') return scalarKey(attribute, element);
  if (isJsonObject(element) && element.value !== undefined) return `v${scalarKey(findAttribute(attribute.subAttributes, 'value'), element.value)}`;
  return `w${canonical(element)}`;
}

/**
 * Appends `added` to `existing` without duplicates (RFC 7644 §3.5.2.1). An added element equal
 * to an existing one is merged into it, so `{"value":"a","type":"work","primary":true}` marks
 * the existing work address primary instead of adding a second copy. Elements are found
 * through a hash of their identifying key, so the cost grows linearly with the values.
 */
export function appendElements(attribute: AttributeDefinition, existing: readonly JsonValue[], added: readonly JsonValue[], label: string): JsonValue[] {
  const out = [...existing];
  const buckets = new Map<string, number[]>();
  const remember = (at: number, element: JsonValue): void => {
    const key = elementKey(attribute, element);
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, [at]);
    else bucket.push(at);
  };
  out.forEach((element, at) => remember(at, element));
  for (const element of added) {
    const at = buckets.get(elementKey(attribute, element))?.find((candidate) => sameElement(attribute, out[candidate] as JsonValue, element)) ?? -1;
    const found = at === -1 ? undefined : out[at];
    if (found === undefined) {
      remember(out.length, element);
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

/**
 * The elements left after removing the given values. A removal that names a `value` (or a
 * simple value) only looks at the elements with that value, found through a hash, so the cost
 * grows linearly; a complex removal without `value` is compared with every element.
 */
export function withoutElements(attribute: AttributeDefinition, existing: readonly JsonValue[], removals: readonly JsonValue[]): JsonValue[] {
  const valueDefinition = attribute.type === 'complex' ? findAttribute(attribute.subAttributes, 'value') : attribute;
  const valueOf = (element: JsonValue): JsonValue | undefined => (attribute.type !== 'complex' ? element : isJsonObject(element) ? element.value : undefined);
  const byValue = new Map<string, number[]>();
  existing.forEach((element, at) => {
    const value = valueOf(element);
    if (value === undefined) return;
    const key = scalarKey(valueDefinition, value);
    const bucket = byValue.get(key);
    if (bucket === undefined) byValue.set(key, [at]);
    else bucket.push(at);
  });
  const removed = new Set<number>();
  for (const removal of removals) {
    const value = valueOf(removal);
    const candidates = value === undefined ? existing.map((_element, at) => at) : (byValue.get(scalarKey(valueDefinition, value)) ?? []);
    for (const at of candidates) if (removalMatches(attribute, removal, existing[at] as JsonValue)) removed.add(at);
  }
  return existing.filter((_element, at) => !removed.has(at));
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
