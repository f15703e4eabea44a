import type { AttributeDefinition } from '../../schema/types.js';
import { InvalidValueError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';

/** What to do with attributes the schema does not define. */
export interface CoerceOptions {
  /** Reject unknown attributes (400 invalidValue) instead of ignoring them (the default, IdP rule T10). */
  readonly strict: boolean;
  /** Collects the paths of attributes ignored as undefined (not strict), for the admin to see. */
  readonly undeclared?: string[];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Finds a definition by name, case-insensitively (RFC 7643 §2.1). */
export function findAttribute(attributes: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return attributes?.find((candidate) => candidate.name.toLowerCase() === lower);
}

/** A sub-attribute by name, or by one of the attribute's input aliases (`addresses[].value` is `formatted`). */
export function findSubAttribute(attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  const alias = attribute.subAttributeAliases?.[name.toLowerCase()];
  return findAttribute(attribute.subAttributes, name) ?? (alias === undefined ? undefined : findAttribute(attribute.subAttributes, alias));
}

function typeError(label: string, expected: string, value: unknown): InvalidValueError {
  const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : JSON.stringify(value);
  return new InvalidValueError(`Attribute "${label}" must be ${expected}, got ${got}.`);
}

function coerceScalar(definition: AttributeDefinition, value: JsonValue, label: string): JsonValue {
  switch (definition.type) {
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw typeError(label, 'a string', value);
      return value;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Entra sends "False"/"True" and OneLogin templates render strings (IdP rule T2).
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw typeError(label, 'a boolean', value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(label, 'an integer', value);
      return value;
    case 'decimal':
      if (typeof value !== 'number') throw typeError(label, 'a number', value);
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw typeError(label, 'an xsd:dateTime string such as 2024-05-01T10:00:00Z', value);
      }
      return value;
    case 'binary':
      if (typeof value !== 'string' || !BASE64.test(value)) throw typeError(label, 'a base64 string', value);
      return value;
    case 'complex':
      throw new Error('coerceScalar called on a complex attribute');
  }
}

/** Reads the sub-attributes of one complex value; undefined when nothing is left. */
function coerceComplex(definition: AttributeDefinition, value: JsonValue, label: string, options: CoerceOptions): JsonObject | undefined {
  // Entra sends the enterprise manager as a bare id string (IdP rule T8); any single-valued
  // complex attribute with a `value` sub-attribute takes a bare string the same way.
  let object: JsonObject;
  if (isJsonObject(value)) object = value;
  else if (typeof value === 'string' && !definition.multiValued && findAttribute(definition.subAttributes, 'value') !== undefined) object = { value };
  else throw typeError(label, 'an object', value);

  const out: JsonObject = {};
  const aliased: [AttributeDefinition, JsonValue][] = [];
  for (const [key, raw] of Object.entries(object)) {
    const sub = findAttribute(definition.subAttributes, key);
    const alias = sub === undefined ? definition.subAttributeAliases?.[key.toLowerCase()] : undefined;
    const target = alias === undefined ? undefined : findAttribute(definition.subAttributes, alias);
    if (target !== undefined) {
      aliased.push([target, raw]);
      continue;
    }
    if (sub === undefined) {
      if (options.strict) throw new InvalidValueError(`Attribute "${label}.${key}" is not defined by the schema.`);
      options.undeclared?.push(`${label}.${key}`);
      continue;
    }
    if (sub.mutability === 'readOnly' || raw === null) continue;
    out[sub.name] = coerceScalar(sub, raw, `${label}.${sub.name}`);
  }
  // An alias fills its sub-attribute only when the value carries none of its own.
  for (const [target, raw] of aliased) if (out[target.name] === undefined && raw !== null) out[target.name] = coerceScalar(target, raw, `${label}.${target.name}`);
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Keeps one `primary: true` (RFC 7643 §2.4) and drops repeated values (§2.4 SHOULD NOT repeat). */
function normalizeMultiValued(values: JsonValue[]): JsonValue[] {
  const seen = new Set<string>();
  let primarySeen = false;
  const out: JsonValue[] = [];
  for (const value of values) {
    const key = JSON.stringify(value);
    if (seen.has(key)) continue;
    seen.add(key);
    if (isJsonObject(value) && value.primary === true) {
      if (primarySeen) {
        out.push({ ...value, primary: false });
        continue;
      }
      primarySeen = true;
    }
    out.push(value);
  }
  return out;
}

/**
 * Checks and converts one attribute's value against its definition. Returns undefined when
 * the value means "unassigned" (null, [] or an empty complex value, RFC 7643 §2.5).
 * Throws InvalidValueError naming the attribute when the type is wrong.
 */
export function coerceAttributeValue(
  definition: AttributeDefinition,
  value: JsonValue | undefined,
  label: string,
  options: CoerceOptions,
): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  const one = (item: JsonValue): JsonValue | undefined =>
    definition.type === 'complex' ? coerceComplex(definition, item, label, options) : coerceScalar(definition, item, label);
  if (!definition.multiValued) {
    if (Array.isArray(value)) throw typeError(label, 'a single value', value);
    return one(value);
  }
  const items = Array.isArray(value) ? value : [value];
  const out: JsonValue[] = [];
  for (const item of items) {
    if (item === null) continue;
    const coerced = one(item);
    if (coerced !== undefined) out.push(coerced);
  }
  return out.length === 0 ? undefined : normalizeMultiValued(out);
}
