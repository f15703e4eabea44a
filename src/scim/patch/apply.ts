import type { AttributeDefinition } from '../../schema/types.js';
import { InvalidValueError, MutabilityError, NoTargetError } from '../errors.js';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { checkRequired, noteUndeclared, placeAttribute } from '../resource/read-input.js';
import { deferOperation, isDeferred } from './deferred.js';
import { withOperation } from './errors.js';
import { cloneJson, isAssigned } from './json-tools.js';
import { checkImmutableSubAttributes, settlePrimary } from './merge.js';
import { nextAttributeValue } from './operations.js';
import { coerceTargetValue, resolvePatchPath, resolveValueKey, targetLabel, type AttributeTarget } from './target.js';
import type { DeferredOperation, PatchOperation, PatchOptions, PatchResult } from './types.js';

/** The state one applyPatch call threads through its operations. */
interface Run {
  /** The private copy the operations change. */
  readonly working: JsonObject;
  readonly operation: PatchOperation;
  readonly options: PatchOptions;
  readonly deferred: DeferredOperation[];
}

/** RFC 7643 §7: an assigned immutable attribute (or sub-attribute of a single complex one) never changes. */
function checkImmutable(attribute: AttributeDefinition, before: JsonValue | undefined, after: JsonValue | undefined, label: string): void {
  if (attribute.mutability === 'immutable' && isAssigned(before) && !jsonEqual(before, after)) {
    throw new MutabilityError(`"${label}" is immutable and already has a value.`);
  }
  if (attribute.type === 'complex' && !attribute.multiValued && isJsonObject(before)) {
    checkImmutableSubAttributes(attribute, before, isJsonObject(after) ? after : {}, label);
  }
}

/** Writes one attribute's new value, keeping extension objects free of empty leftovers. */
function writeAttribute(run: Run, target: AttributeTarget, raw: JsonValue | undefined, value: JsonValue | undefined, path: string): void {
  const { working, options } = run;
  const { attribute, extension } = target;
  const stored = extension === undefined ? working : working[extension];
  const holder: JsonObject = extension === undefined ? working : isJsonObject(stored) ? stored : {};
  const current = holder[attribute.name];
  let next = nextAttributeValue(current, { op: run.operation.op, target, path, raw, value, options });
  checkImmutable(attribute, current, next, targetLabel({ ...target, subAttribute: undefined }));
  if (Array.isArray(next) && attribute.subAttributes?.some((sub) => sub.name === 'primary')) {
    next = settlePrimary(Array.isArray(current) ? current : [], next);
  }
  if (next === undefined) delete holder[attribute.name];
  else holder[attribute.name] = next;
  if (extension === undefined) return;
  if (Object.keys(holder).length === 0) delete working[extension];
  else working[extension] = holder;
}

function isWriteOnly(target: AttributeTarget): boolean {
  return target.attribute.mutability === 'writeOnly' || target.subAttribute?.mutability === 'writeOnly';
}

function isReadOnly(target: AttributeTarget): boolean {
  return target.attribute.mutability === 'readOnly' || target.subAttribute?.mutability === 'readOnly';
}

function defer(run: Run, target: AttributeTarget, raw: JsonValue | undefined): void {
  const described = deferOperation(run.operation.index, run.operation.op, target, raw, run.options);
  if (described !== undefined) run.deferred.push(described);
}

/** An operation whose `path` names an attribute (RFC 7644 §3.5.2: explicit targets). */
function applyToPath(run: Run, target: AttributeTarget, path: string): void {
  const { op, value: raw } = run.operation;
  // RFC 7644 §3.5.2 (operations respect mutability): a path to a readOnly attribute fails.
  if (isReadOnly(target)) throw new MutabilityError(`"${targetLabel(target)}" is readOnly and cannot be modified.`);
  // Roster keeps no IdP-sent passwords: password operations succeed and store nothing.
  if (isWriteOnly(target)) return;
  if (isDeferred(target, run.options)) return defer(run, target, raw);
  const namesValues = target.attribute.multiValued && target.filter === undefined && target.subAttribute === undefined;
  // A remove only uses its value in Entra's "remove these members" form (IdP rule T5).
  const value = op === 'remove' && !namesValues ? undefined : coerceTargetValue(target, raw, run.options);
  writeAttribute(run, target, raw, value, path);
}

/** Where placeAttribute put the value of one path-less key. */
function placedValue(scratch: JsonObject, target: AttributeTarget): JsonValue | undefined {
  const holder = target.extension === undefined ? scratch : scratch[target.extension];
  const value = isJsonObject(holder) ? holder[target.attribute.name] : undefined;
  if (target.subAttribute === undefined) return value;
  return isJsonObject(value) ? value[target.subAttribute.name] : undefined;
}

/** Removes or replaces a whole extension object with null (path `urn:…:enterprise:2.0:User`). */
function unassignExtension(run: Run, urn: string): void {
  delete run.working[urn];
}

/**
 * One key of a path-less add/replace value, or of an extension object. Keys are read like
 * POST body keys (IdP rule T3); readOnly keys such as Okta's `id` are ignored (T11),
 * unknown keys too unless `strict` (T10).
 */
function applyKey(run: Run, key: string, raw: JsonValue): void {
  if (key.toLowerCase() === 'schemas') return;
  const target = resolveValueKey(key, run.options);
  if (target === undefined) {
    if (run.options.strict) throw new InvalidValueError(`Attribute "${key}" is not defined by the schema.`);
    noteUndeclared(key, raw, run.options);
    return;
  }
  if (target.kind === 'extension') return applyExtensionValue(run, target.schema.id, raw);
  if (isReadOnly(target) || isWriteOnly(target)) return;
  if (isDeferred(target, run.options)) return defer(run, target, raw);
  const scratch: JsonObject = {};
  placeAttribute(scratch, key, raw, run.options);
  writeAttribute(run, target, raw, placedValue(scratch, target), key);
}

/** add/replace of an object of extension attributes: each attribute is an add/replace of its own. */
function applyExtensionValue(run: Run, urn: string, raw: JsonValue | undefined): void {
  if (raw === null || raw === undefined) {
    if (run.operation.op === 'replace') unassignExtension(run, urn);
    return;
  }
  if (!isJsonObject(raw)) throw new InvalidValueError(`"${urn}" must be an object of extension attributes.`);
  for (const [name, inner] of Object.entries(raw)) applyKey(run, `${urn}:${name}`, inner);
}

function applyOperation(run: Run): void {
  const { op, path, value } = run.operation;
  if (path === undefined) {
    if (op === 'remove') throw new NoTargetError('"remove" requires a "path".');
    // RFC 7644 §3.5.2.1/§3.5.2.3: without a path the value is an object of attributes.
    if (!isJsonObject(value)) throw new InvalidValueError(`"${op}" without a path needs an object of attributes as its value.`);
    for (const [key, raw] of Object.entries(value)) applyKey(run, key, raw);
    return;
  }
  // Roster derives `schemas` from the attributes present (RFC 7644 §3.5.2: adding an extension
  // attribute adds its URN), so operations on it have nothing to change.
  if (path.toLowerCase() === 'schemas') return;
  const target = resolvePatchPath(path, run.options);
  if (target.kind === 'attribute') return applyToPath(run, target, path);
  if (op === 'remove') return unassignExtension(run, target.schema.id);
  applyExtensionValue(run, target.schema.id, value);
}

/** The required-attribute error the resource would raise now, if any. */
function requiredProblem(resource: JsonObject, options: PatchOptions): InvalidValueError | undefined {
  try {
    checkRequired(resource, options);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidValueError) return error;
    throw error;
  }
}

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a resource in Roster's canonical JSON
 * (core attributes top level, extension attributes under their URN, no id/meta/schemas).
 * Operations run in order, each on the previous result (RFC 7644 §3.5.2). Pure and atomic
 * (§3.5.2: a failing operation leaves the resource as it was):
 * the input is never mutated and any failure throws, naming the operation (`Operations[i]: …`).
 * Operations on `deferredAttributes` are validated and returned instead of applied.
 * Remove of a required attribute fails with mutability (RFC 7644 §3.5.2.2); the result must pass
 * the required-attribute check.
 */
export function applyPatch(resource: JsonObject, operations: readonly PatchOperation[], options: PatchOptions): PatchResult {
  const working = cloneJson(resource);
  const deferred: DeferredOperation[] = [];
  let missing = requiredProblem(working, options);
  let culprit: number | undefined;
  for (const operation of operations) {
    try {
      applyOperation({ working, operation, options, deferred });
      const now = requiredProblem(working, options);
      if (missing === undefined && now !== undefined) {
        if (operation.op === 'remove') throw new MutabilityError(`${now.detail} A remove may not unassign a required attribute.`);
        culprit = operation.index;
      }
      missing = now;
    } catch (error) {
      throw withOperation(error, operation.index);
    }
  }
  if (missing !== undefined) throw culprit === undefined ? missing : withOperation(missing, culprit);
  return { resource: working, changed: !jsonEqual(resource, working), deferred };
}
