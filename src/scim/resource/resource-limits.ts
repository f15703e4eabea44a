import { DEFAULT_LIMITS, type ResourceLimits } from '../../limits.js';
import { InvalidValueError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

/** The attributes stored in indexed columns; their length is bounded for the indexes' sake. */
const INDEXED_STRINGS = ['userName', 'externalId', 'displayName'] as const;

/** Multi-valued attributes of `data` and of its extension objects, with the name a client knows them by. */
function arraysOf(data: JsonObject): Array<readonly [string, number]> {
  const found: Array<readonly [string, number]> = [];
  for (const [name, value] of Object.entries(data)) {
    if (Array.isArray(value)) found.push([name, value.length]);
    else if (isJsonObject(value) && name.startsWith('urn:')) {
      for (const [sub, inner] of Object.entries(value)) if (Array.isArray(inner)) found.push([`${name}:${sub}`, inner.length]);
    }
  }
  return found;
}

/**
 * Holds a resource about to be stored to the size limits (src/limits.ts): indexed strings
 * no longer than `indexedStringLength`, at most `valuesPerAttribute` values in each
 * multi-valued attribute of a user (`schemas` aside; a group's `members` are stored apart
 * and never counted), and at most `resourceBytes` of JSON. Throws 400 invalidValue naming
 * the attribute and the limit.
 */
export function checkResourceLimits(data: JsonObject, kind: 'User' | 'Group', limits: ResourceLimits = DEFAULT_LIMITS.resource): void {
  for (const name of INDEXED_STRINGS) {
    const value = data[name];
    if (typeof value === 'string' && value.length > limits.indexedStringLength) {
      throw new InvalidValueError(`"${name}" is ${value.length} characters long; at most ${limits.indexedStringLength} are accepted.`);
    }
  }
  if (kind === 'User') {
    for (const [name, count] of arraysOf(data)) {
      if (name !== 'schemas' && count > limits.valuesPerAttribute) {
        throw new InvalidValueError(`"${name}" has ${count} values; a user may have at most ${limits.valuesPerAttribute}.`);
      }
    }
  }
  const { members: _members, ...rest } = data;
  const bytes = Buffer.byteLength(JSON.stringify(rest), 'utf8');
  if (bytes > limits.resourceBytes) {
    throw new InvalidValueError(`The ${kind} is ${bytes} bytes of JSON${kind === 'Group' ? ' without its members' : ''}; at most ${limits.resourceBytes} are accepted.`);
  }
}

/**
 * Refuses, before a user PATCH is applied, an operation whose value brings more values for one
 * attribute than a user may hold at all, so that an oversized request costs no merging.
 */
export function checkPatchValueCounts(values: ReadonlyArray<JsonValue | undefined>, limits: ResourceLimits = DEFAULT_LIMITS.resource): void {
  for (const value of values) {
    const arrays = Array.isArray(value) ? [['value', value.length] as const] : isJsonObject(value) ? arraysOf(value) : [];
    for (const [name, count] of arrays) {
      if (name !== 'schemas' && count > limits.valuesPerAttribute) {
        throw new InvalidValueError(`A PATCH operation's "${name}" has ${count} values; a user may have at most ${limits.valuesPerAttribute}.`);
      }
    }
  }
}
