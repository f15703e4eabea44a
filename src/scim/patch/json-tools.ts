import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

/** A deep copy, so that PATCH never touches the resource it was given (RFC 7644 §3.5.2 atomicity). */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) out[key] = cloneJson(item);
    return out as T;
  }
  return value;
}

/** RFC 7643 §2.5: null, [] and {} all mean "unassigned". */
export function isAssigned(value: JsonValue | undefined): value is JsonValue {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Checks that a request body, typed `unknown`, holds nothing but JSON values. */
export function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((item) => isJsonValue(item));
      return Object.values(value).every((item) => isJsonValue(item));
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return false;
  }
}
