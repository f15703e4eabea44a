import { DEFAULT_LIMITS } from '../../limits.js';
import { URN } from '../../schema/urns.js';
import { InvalidPathError, InvalidSyntaxError, InvalidValueError, NoTargetError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { operationLabel } from './errors.js';
import { isJsonValue } from './json-tools.js';
import type { PatchOpName, PatchOperation } from './types.js';

/** Member lookup ignoring case: Entra and others vary the case of `Operations`, `op`, `path`. */
function member(object: JsonObject, name: string): JsonValue | undefined {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function readOpName(raw: JsonValue | undefined, label: string): PatchOpName {
  // Entra sends "Add"/"Replace"/"Remove" (IdP rule T1).
  const name = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (name === 'add' || name === 'remove' || name === 'replace') return name;
  throw new InvalidSyntaxError(`${label}: "op" must be "add", "remove" or "replace", got ${JSON.stringify(raw ?? null)}.`);
}

function readPath(raw: JsonValue | undefined, label: string): string | undefined {
  // A null or blank path is read as "no path", the form RFC 7644 §3.5.2 gives for add/replace.
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw new InvalidPathError(`${label}: "path" must be a string.`);
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function readOperation(raw: JsonValue, index: number): PatchOperation {
  const label = operationLabel(index);
  if (!isJsonObject(raw)) throw new InvalidSyntaxError(`${label}: each operation must be a JSON object.`);
  const op = readOpName(member(raw, 'op'), label);
  const path = readPath(member(raw, 'path'), label);
  const value = member(raw, 'value');
  switch (op) {
    case 'remove':
      // RFC 7644 §3.5.2.2: remove without a path is a noTarget error.
      if (path === undefined) throw new NoTargetError(`${label}: "remove" requires a "path".`);
      break;
    case 'add':
      // RFC 7644 §3.5.2.1: add requires a value; null adds nothing, so it counts as missing.
      if (value === undefined || value === null) throw new InvalidValueError(`${label}: "add" requires a "value".`);
      break;
    case 'replace':
      // A null replace value unassigns the target (RFC 7643 §2.5), so only a missing one fails.
      if (value === undefined) throw new InvalidValueError(`${label}: "replace" requires a "value".`);
      break;
  }
  return {
    index,
    op,
    ...(path === undefined ? {} : { path }),
    ...(value === undefined ? {} : { value }),
  };
}

/**
 * Reads and validates a PatchOp message (RFC 7644 §3.5.2): `schemas` must list the PatchOp
 * URN (any case), `Operations` (any case) must be a non-empty array, each operation's `op`
 * is add/remove/replace in any case (IdP rule T1), and there are at most `maxOperations`. Paths are checked later against the
 * schema by applyPatch. Errors name the operation: `Operations[2]: …`.
 */
export function readPatchRequest(body: unknown, maxOperations: number = DEFAULT_LIMITS.resource.patchOperations): PatchOperation[] {
  if (!isJsonObject(body) || !isJsonValue(body)) throw new InvalidSyntaxError('The PATCH body must be a JSON object.');
  const schemas = member(body, 'schemas');
  const patchOp = URN.patchOp.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === patchOp)) {
    throw new InvalidSyntaxError(`The PATCH body must have "schemas": ["${URN.patchOp}"].`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new InvalidSyntaxError('The PATCH body must have a non-empty "Operations" array.');
  }
  if (operations.length > maxOperations) {
    throw new InvalidValueError(`The PATCH has ${operations.length} operations; at most ${maxOperations} are accepted in one request.`);
  }
  return operations.map((raw, index) => readOperation(raw, index));
}
