import { NoTargetError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { CoerceOptions } from '../resource/coerce.js';
import { appendElements, checkImmutableSubAttributes, withoutElements } from './merge.js';
import { targetLabel, type AttributeTarget } from './target.js';
import type { PatchOpName } from './types.js';
import { elementFromFilter, selectElements } from './value-path.js';

/** One operation on one attribute, its value already coerced for the target. */
export interface AttributeOperation {
  readonly op: PatchOpName;
  readonly target: AttributeTarget;
  /** How the request addressed the target, for messages. */
  readonly path: string;
  /** The value as sent: tells a bare manager id from an object, and explicit nulls from absent keys. */
  readonly raw: JsonValue | undefined;
  /** The value coerced for the target; undefined when it means "unassigned" (RFC 7643 §2.5). */
  readonly value: JsonValue | undefined;
  readonly options: CoerceOptions;
}

function asArray(value: JsonValue | undefined): JsonValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function orUnassigned(value: JsonObject | JsonValue[]): JsonValue | undefined {
  const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  return empty ? undefined : value;
}

/** Sub-attribute names a replace value sets to null explicitly: those become unassigned. */
function nulledSubAttributes(operation: AttributeOperation): string[] {
  const { raw, target } = operation;
  if (!isJsonObject(raw)) return [];
  const subs = target.attribute.subAttributes ?? [];
  return Object.entries(raw).flatMap(([key, value]) => {
    if (value !== null) return [];
    const sub = subs.find((candidate) => candidate.name.toLowerCase() === key.toLowerCase());
    return sub === undefined ? [] : [sub.name];
  });
}

/** add/replace on a single-valued complex attribute: given sub-attributes win, others stay (RFC 7644 §3.5.2.1, §3.5.2.3). */
function mergeComplex(current: JsonValue | undefined, operation: AttributeOperation): JsonValue | undefined {
  const { raw, value } = operation;
  // A bare id (Entra's `manager`, IdP rule T8) names a new referent: the old `$ref` and
  // `displayName` describe someone else, so the whole value is replaced.
  if (!isJsonObject(raw)) return value;
  const merged: JsonObject = { ...(isJsonObject(current) ? current : {}), ...(isJsonObject(value) ? value : {}) };
  if (operation.op === 'replace') for (const name of nulledSubAttributes(operation)) delete merged[name];
  return orUnassigned(merged);
}

/** Operations on the attribute as a whole: `title`, `name`, `emails`, `urn:…:User:manager`. */
function nextWhole(current: JsonValue | undefined, operation: AttributeOperation): JsonValue | undefined {
  const { attribute } = operation.target;
  const { value } = operation;
  switch (operation.op) {
    case 'add':
      if (attribute.multiValued) return orUnassigned(appendElements(attribute, asArray(current), asArray(value), targetLabel(operation.target)));
      return attribute.type === 'complex' ? mergeComplex(current, operation) : value;
    case 'replace':
      // Multi-valued without filter: all values replaced (RFC 7644 §3.5.2.3).
      if (attribute.type === 'complex' && !attribute.multiValued && operation.raw !== null) return mergeComplex(current, operation);
      return value;
    case 'remove':
      // Entra's default member removal names the values to remove (IdP rule T5); RFC
      // 7644 §3.5.2.2 defines remove without a value, which unassigns the attribute.
      if (attribute.multiValued && operation.raw !== undefined && operation.raw !== null) {
        return value === undefined ? current : orUnassigned(withoutElements(attribute, asArray(current), asArray(value)));
      }
      return undefined;
  }
}

/** `name.givenName` and `urn:…:User:manager.value`: one sub-attribute of a single complex value. */
function nextSubAttribute(current: JsonValue | undefined, operation: AttributeOperation): JsonValue | undefined {
  const sub = operation.target.subAttribute;
  if (sub === undefined) return nextWhole(current, operation);
  const parent: JsonObject = { ...(isJsonObject(current) ? current : {}) };
  switch (operation.op) {
    case 'add':
    case 'replace':
      if (operation.value === undefined) delete parent[sub.name];
      else parent[sub.name] = operation.value;
      break;
    case 'remove':
      delete parent[sub.name];
      break;
  }
  return orUnassigned(parent);
}

/** The new state of one selected element; undefined removes it. */
function nextElement(element: JsonValue, operation: AttributeOperation): JsonValue | undefined {
  const { target, value } = operation;
  const before = isJsonObject(element) ? element : {};
  let after: JsonObject;
  if (target.subAttribute !== undefined) {
    after = { ...before };
    if (operation.op === 'remove' || value === undefined) delete after[target.subAttribute.name];
    else after[target.subAttribute.name] = value;
  } else {
    switch (operation.op) {
      case 'remove':
        return undefined;
      case 'replace':
        // RFC 7644 §3.5.2.3: matching records are replaced.
        return value;
      case 'add':
        after = { ...before, ...(isJsonObject(value) ? value : {}) };
        break;
    }
  }
  checkImmutableSubAttributes(target.attribute, before, after, targetLabel({ ...target, subAttribute: undefined }));
  // An element stripped of its last sub-attribute is unassigned (RFC 7644 §3.5.2.2).
  return orUnassigned(after);
}

/** The element an add/replace creates when its value filter matched nothing (IdP rule T4). */
function upsert(operation: AttributeOperation): JsonObject {
  const { target, value } = operation;
  const created = target.filter === undefined ? undefined : elementFromFilter(target.filter, target.attribute, targetLabel(target), operation.options);
  if (created === undefined) {
    throw new NoTargetError(`No value of "${target.attribute.name}" matches path "${operation.path}".`);
  }
  if (target.subAttribute !== undefined && value !== undefined) return { ...created, [target.subAttribute.name]: value };
  return { ...created, ...(isJsonObject(value) ? value : {}) };
}

/** `emails[type eq "work"]`, `emails[type eq "work"].value`, and `emails.value` (every element). */
function nextElements(current: JsonValue | undefined, operation: AttributeOperation): JsonValue | undefined {
  const { target, value } = operation;
  const elements = asArray(current);
  const selected = new Set(selectElements(elements, target.filter, target.attribute));
  if (selected.size === 0) {
    // Removing what is not there, or replacing it with null, changes nothing (RFC 7644 §3.5.2.2, T6).
    if (operation.op === 'remove' || value === undefined) return current;
    return [...elements, upsert(operation)];
  }
  const out = elements.flatMap((element, index) => {
    if (!selected.has(index)) return [element];
    const next = nextElement(element, operation);
    return next === undefined ? [] : [next];
  });
  return orUnassigned(out);
}

/**
 * The attribute's value after one operation (RFC 7644 §3.5.2.1–3), computed without touching
 * `current`: changed elements are new objects, so callers can tell written elements apart.
 * Throws NoTargetError when a value filter selects nothing and no upsert applies.
 */
export function nextAttributeValue(current: JsonValue | undefined, operation: AttributeOperation): JsonValue | undefined {
  const { attribute, subAttribute, filter } = operation.target;
  // Adding nothing (null, [] or {}) changes nothing.
  if (operation.op === 'add' && operation.value === undefined) return current;
  if (filter !== undefined || (subAttribute !== undefined && attribute.multiValued)) return nextElements(current, operation);
  return nextSubAttribute(current, operation);
}
