import { InvalidValueError, MutabilityError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../json.js';
import { coerceTargetValue, targetLabel, type AttributeTarget } from './target.js';
import type { DeferredOperation, PatchOpName, PatchOptions } from './types.js';

/** Whether the caller applies operations on this attribute itself (`deferredAttributes`). */
export function isDeferred(target: AttributeTarget, options: PatchOptions): boolean {
  const names = [target.attribute.name.toLowerCase()];
  if (target.extension !== undefined) names.push(`${target.extension}:${target.attribute.name}`.toLowerCase());
  return (options.deferredAttributes ?? []).some((name) => names.includes(name.toLowerCase()));
}

/** `$ref` is derived by Roster from `value` and `type`; clients send `"$ref": null` or stale URIs (T7). */
function withoutReference(element: JsonValue): JsonValue {
  if (!isJsonObject(element) || !('$ref' in element)) return element;
  const { $ref: _ignored, ...rest } = element;
  return rest;
}

/**
 * Each element sent for a whole attribute must carry `value`: the caller keys elements (member
 * ids) on it. Checked on the raw input, because coercion silently drops readOnly-only elements
 * such as `{"display":"Grace"}`.
 */
function checkElements(target: AttributeTarget, raw: JsonValue | undefined): void {
  const value = target.attribute.subAttributes?.find((sub) => sub.name === 'value');
  if (target.attribute.type !== 'complex' || value === undefined) return;
  const items = Array.isArray(raw) ? raw : [raw];
  items.forEach((item, position) => {
    if (item === null || item === undefined || typeof item === 'string') return;
    const key = isJsonObject(item) ? Object.keys(item).find((name) => name.toLowerCase() === 'value') : undefined;
    if (key === undefined || !isJsonObject(item) || item[key] === null) {
      throw new InvalidValueError(`"${target.attribute.name}" value #${position + 1} has no "value" sub-attribute.`);
    }
  });
}

/**
 * Validates an operation on a deferred attribute and describes it for the caller; undefined
 * when it is a no-op (an add of nothing). The path and filter were resolved by the caller;
 * the value is coerced here so the caller only executes. Writing an immutable sub-attribute
 * through a value path (`members[value eq "a"].value`) is refused: whether it would change an
 * existing value cannot be known without loading the elements.
 */
export function deferOperation(
  index: number,
  op: PatchOpName,
  target: AttributeTarget,
  raw: JsonValue | undefined,
  options: PatchOptions,
): DeferredOperation | undefined {
  const { attribute, filter, subAttribute } = target;
  if (op !== 'remove' && subAttribute?.mutability === 'immutable') {
    throw new MutabilityError(`"${targetLabel(target)}" is immutable; add or remove whole "${attribute.name}" values instead.`);
  }
  const base: DeferredOperation = {
    index,
    op,
    attribute: attribute.name,
    ...(filter === undefined ? {} : { filter }),
    ...(subAttribute === undefined ? {} : { subAttribute: subAttribute.name }),
  };
  const whole = filter === undefined && subAttribute === undefined;
  // A remove names values only in Entra's whole-attribute form (IdP rule T5).
  if (op === 'remove' && (!whole || raw === undefined || raw === null)) return base;
  if (whole && attribute.multiValued) checkElements(target, raw);
  const coerced = coerceTargetValue(target, raw, options);
  if (whole && attribute.multiValued) {
    const elements = (Array.isArray(coerced) ? coerced : coerced === undefined ? [] : [coerced]).map(withoutReference);
    if (op === 'add' && elements.length === 0) return undefined;
    return { ...base, value: elements };
  }
  if (coerced === undefined) return op === 'add' ? undefined : base;
  return { ...base, value: withoutReference(coerced) };
}
