import type { SchemaRegistry } from '../../schema/registry.js';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '../../schema/types.js';
import { parseAttributePath } from '../../schema/attribute-path.js';
import { InvalidSyntaxError, InvalidValueError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { coerceAttributeValue, findAttribute, type CoerceOptions } from './coerce.js';

/** How a request body is read into a resource. */
export interface ReadInputOptions extends CoerceOptions {
  readonly registry: SchemaRegistry;
  readonly resourceType: ResourceTypeDefinition;
  /** Extra attributes the tenant requires, as paths such as `emails` or `name.givenName`. */
  readonly requiredAttributes?: readonly string[];
}

/** Attributes the resource JSON holds but that are never written from a request body. */
const IGNORED_KEYS = new Set(['schemas']);

/**
 * Reads a POST or PUT body into Roster's canonical resource JSON: canonical attribute names,
 * core attributes at the top level, extension attributes under their schema URN, values
 * type-checked and converted (RFC 7643 §2.3), readOnly and writeOnly input dropped (RFC 7644
 * §3.3), null and [] removed (RFC 7643 §2.5). Unknown attributes and unknown `schemas` URNs
 * are ignored unless `strict` is set (IdP rule T10). Required attributes are checked.
 * Throws InvalidSyntaxError when the body is not an object, InvalidValueError otherwise.
 */
export function readResourceInput(body: unknown, options: ReadInputOptions): JsonObject {
  if (!isJsonObject(body)) throw new InvalidSyntaxError('The request body must be a JSON object.');
  const out: JsonObject = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (IGNORED_KEYS.has(key)) continue;
    if (!placeAttribute(out, key, value, options)) unknown.push(key);
  }
  if (options.strict && unknown.length > 0) {
    throw new InvalidValueError(`Unknown attributes: ${unknown.join(', ')}.`);
  }
  for (const key of unknown) noteUndeclared(key, body[key], options);
  checkRequired(out, options);
  return out;
}

/**
 * Notes an ignored top-level key: an object under an undeclared schema URN (an IdP's custom
 * extension) stands for its attributes, `urn:…:User:costCenter`; any other key for itself.
 */
export function noteUndeclared(key: string, value: JsonValue | undefined, options: CoerceOptions): void {
  if (options.undeclared === undefined) return;
  if (/^urn:.*:user$/i.test(key) && value !== undefined && isJsonObject(value)) {
    for (const name of Object.keys(value)) options.undeclared.push(`${key}:${name}`);
  } else {
    options.undeclared.push(key);
  }
}

/**
 * Writes one (possibly URN-qualified or dotted) key of a body into `out`. Also used for the
 * object values of PATCH operations without a path. Returns false when the schema does not
 * define the key.
 */
export function placeAttribute(out: JsonObject, key: string, value: JsonValue, options: ReadInputOptions): boolean {
  const { registry, resourceType } = options;
  const extension = registry.extensionsOf(resourceType).find((schema) => schema.id.toLowerCase() === key.toLowerCase());
  if (extension !== undefined) {
    if (value === null) return true;
    if (!isJsonObject(value)) throw new InvalidValueError(`"${extension.id}" must be an object of extension attributes.`);
    for (const [name, inner] of Object.entries(value)) {
      const definition = findAttribute(extension.attributes, name);
      if (definition === undefined) {
        if (options.strict) throw new InvalidValueError(`Attribute "${extension.id}:${name}" is not defined by the schema.`);
        options.undeclared?.push(`${extension.id}:${name}`);
        continue;
      }
      writeValue(out, extension, definition, undefined, inner, options);
    }
    return true;
  }
  const path = parseAttributePath(key);
  if (path === undefined) return false;
  const resolved = registry.resolve(resourceType, path);
  if (resolved === undefined) return false;
  const schema = resolved.inExtension && resolved.schema !== undefined ? registry.schema(resolved.schema) : undefined;
  writeValue(out, schema, resolved.attribute, resolved.subAttribute, value, options);
  return true;
}

function writeValue(
  out: JsonObject,
  extension: SchemaDefinition | undefined,
  attribute: AttributeDefinition,
  subAttribute: AttributeDefinition | undefined,
  value: JsonValue,
  options: CoerceOptions,
): void {
  // readOnly input is ignored, never an error (RFC 7644 §3.3, IdP rule T11); Roster keeps
  // no IdP-sent passwords, so writeOnly input is dropped as well.
  if (attribute.mutability === 'readOnly' || attribute.mutability === 'writeOnly') return;
  if (subAttribute?.mutability === 'readOnly') return;
  let target = out;
  if (extension !== undefined) {
    const existing = out[extension.id];
    target = isJsonObject(existing) ? existing : {};
    out[extension.id] = target;
  }
  const label = extension === undefined ? attribute.name : `${extension.id}:${attribute.name}`;
  if (subAttribute === undefined) {
    const coerced = coerceAttributeValue(attribute, value, label, options);
    if (coerced === undefined) delete target[attribute.name];
    else target[attribute.name] = coerced;
  } else {
    // A dotted key such as "name.givenName" (Entra's PATCH dialect, IdP rule T3).
    const coerced = coerceAttributeValue(subAttribute, value, `${label}.${subAttribute.name}`, options);
    const parent = target[attribute.name];
    const complex: JsonObject = isJsonObject(parent) ? { ...parent } : {};
    if (coerced === undefined) delete complex[subAttribute.name];
    else complex[subAttribute.name] = coerced;
    if (Object.keys(complex).length === 0) delete target[attribute.name];
    else target[attribute.name] = complex;
  }
  if (extension !== undefined && Object.keys(target).length === 0) delete out[extension.id];
}

function isPresent(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Checks schema-required and tenant-required attributes; throws InvalidValueError naming the first missing one. */
export function checkRequired(resource: JsonObject, options: ReadInputOptions): void {
  const { registry, resourceType } = options;
  const missing: string[] = [];
  for (const definition of registry.coreOf(resourceType).attributes) {
    if (definition.required && !isPresent(resource[definition.name])) missing.push(definition.name);
  }
  for (const ref of resourceType.schemaExtensions) {
    if (ref.required && !isJsonObject(resource[registry.schema(ref.schema)?.id ?? ref.schema])) missing.push(ref.schema);
  }
  for (const required of options.requiredAttributes ?? []) {
    const path = parseAttributePath(required);
    const resolved = path === undefined ? undefined : registry.resolve(resourceType, path);
    if (resolved === undefined) continue;
    const holder = resolved.inExtension && resolved.schema !== undefined ? resource[resolved.schema] : resource;
    const top = isJsonObject(holder) ? holder[resolved.attribute.name] : undefined;
    const value = resolved.subAttribute === undefined ? top : subValue(top, resolved.subAttribute.name);
    if (!isPresent(value)) missing.push(required);
  }
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    throw new InvalidValueError(`Required attribute${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'are' : 'is'} missing.`);
  }
}

function subValue(value: JsonValue | undefined, name: string): JsonValue | undefined {
  if (Array.isArray(value)) return value.find((item) => isJsonObject(item) && isPresent(item[name])) === undefined ? undefined : true;
  return isJsonObject(value) ? value[name] : undefined;
}
