import { parseAttributePath } from '../schema/attribute-path.js';
import { InvalidValueError } from '../scim/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../scim/json.js';
import { baseRegistry, userResourceType, type SchemaRegistry } from '../schema/registry.js';
import type { AttributeDefinition, SchemaDefinition } from '../schema/types.js';
import type { ExtensionAttributeSetting, ExtensionSchemaSetting, TenantSettings } from './settings-schema.js';

/**
 * A tenant's own User extension schemas (setting `extensionSchemas`, seeds 001 and 004):
 * Okta-style `urn:ietf:params:scim:schemas:extension:<name>:2.0:User` schemas with attributes
 * such as `language`, `timezone` or `privilege`. They join the tenant's schema registry, so
 * the tenant's requests are validated against them, its filters may use them, and its
 * /Schemas lists them; no other tenant sees them.
 */

function attributeOf(setting: ExtensionAttributeSetting): AttributeDefinition {
  return {
    name: setting.name,
    type: setting.type,
    multiValued: setting.multiValued ?? false,
    description: setting.description ?? '',
    required: false,
    // RFC 7643 §2.3.6/§2.3.7: binary values and references are case exact.
    caseExact: setting.caseExact ?? (setting.type === 'binary' || setting.type === 'reference'),
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...(setting.canonicalValues === undefined ? {} : { canonicalValues: setting.canonicalValues }),
    ...(setting.type === 'reference' ? { referenceTypes: ['external'] } : {}),
  };
}

function schemaOf(setting: ExtensionSchemaSetting): SchemaDefinition {
  const name = setting.name ?? setting.id.split(':').at(-3) ?? setting.id;
  return { id: setting.id, name, description: setting.description ?? `${name} extension`, attributes: setting.attributes.map(attributeOf) };
}

/** Registries by the JSON of their extension settings: tenants share one when their schemas are equal. */
const cache = new Map<string, SchemaRegistry>();
const CACHE_LIMIT = 1000;

/** The schema registry of a tenant: the base schemas plus its own extensions. */
export function registryFor(settings: TenantSettings): SchemaRegistry {
  if (settings.extensionSchemas.length === 0) return baseRegistry;
  const key = JSON.stringify(settings.extensionSchemas);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const registry = baseRegistry.withExtensions(settings.extensionSchemas.map((setting) => ({ schema: schemaOf(setting), resourceType: userResourceType.name, required: false })));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, registry);
  return registry;
}

/** What is wrong with extension schema settings beyond their JSON Schema; empty when nothing. */
export function extensionSchemaProblems(schemas: readonly ExtensionSchemaSetting[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const schema of schemas) {
    const id = schema.id.toLowerCase();
    if (baseRegistry.schema(id) !== undefined) problems.push(`${schema.id} is a built-in schema.`);
    if (ids.has(id)) problems.push(`${schema.id} is listed twice.`);
    ids.add(id);
    const names = new Set<string>();
    for (const attribute of schema.attributes) {
      const name = attribute.name.toLowerCase();
      if (names.has(name)) problems.push(`${schema.id} defines "${attribute.name}" twice.`);
      names.add(name);
      if (attribute.canonicalValues !== undefined && attribute.type !== 'string') problems.push(`${schema.id}:${attribute.name}: canonicalValues apply to string attributes only.`);
    }
  }
  return problems;
}

/** Required attribute paths the tenant's registry cannot resolve. */
export function unknownAttributePaths(paths: readonly string[], registry: SchemaRegistry): string[] {
  return paths.filter((text) => {
    const path = parseAttributePath(text);
    return path === undefined || registry.resolve(userResourceType, path) === undefined;
  });
}

function allowed(value: JsonValue, attribute: ExtensionAttributeSetting): boolean {
  if (typeof value !== 'string' || attribute.canonicalValues === undefined) return true;
  const fold = (text: string): string => (attribute.caseExact === true ? text : text.toLowerCase());
  return attribute.canonicalValues.some((candidate) => fold(candidate) === fold(value));
}

/**
 * Refuses values of the tenant's extension attributes outside their canonicalValues (e.g.
 * Holaspirit's `privilege`: "member" or "inactive"): 400 invalidValue naming the attribute.
 * Types were checked already when the body was read.
 */
export function checkCanonicalValues(data: JsonObject, settings: TenantSettings): void {
  for (const schema of settings.extensionSchemas) {
    const values = Object.entries(data).find(([key]) => key.toLowerCase() === schema.id.toLowerCase())?.[1];
    if (!isJsonObject(values)) continue;
    for (const attribute of schema.attributes) {
      const value = values[attribute.name];
      if (value === undefined) continue;
      const items = Array.isArray(value) ? value : [value];
      if (!items.every((item) => allowed(item, attribute))) {
        throw new InvalidValueError(`Attribute "${schema.id}:${attribute.name}" must be one of: ${(attribute.canonicalValues ?? []).join(', ')}.`);
      }
    }
  }
}
