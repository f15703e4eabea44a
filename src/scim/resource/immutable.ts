import type { SchemaRegistry } from '../../schema/registry.js';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import { MutabilityError } from '../errors.js';
import { isJsonObject, jsonEqual, type JsonObject } from '../json.js';

/**
 * RFC 7644 §3.5.1: an immutable attribute that already has a value may not change on PUT.
 * Checks top-level attributes of the core schema and the extensions.
 */
export function checkImmutable(existing: JsonObject, replacement: JsonObject, registry: SchemaRegistry, type: ResourceTypeDefinition): void {
  const scopes: { holder: (resource: JsonObject) => JsonObject | undefined; schemaAttributes: ReturnType<SchemaRegistry['coreOf']>['attributes'] }[] = [
    { holder: (resource) => resource, schemaAttributes: registry.coreOf(type).attributes },
    ...registry.extensionsOf(type).map((schema) => ({
      holder: (resource: JsonObject) => {
        const value = resource[schema.id];
        return isJsonObject(value) ? value : undefined;
      },
      schemaAttributes: schema.attributes,
    })),
  ];
  for (const { holder, schemaAttributes } of scopes) {
    for (const definition of schemaAttributes) {
      if (definition.mutability !== 'immutable') continue;
      const before = holder(existing)?.[definition.name];
      const after = holder(replacement)?.[definition.name];
      if (before !== undefined && !jsonEqual(before, after)) {
        throw new MutabilityError(`Attribute "${definition.name}" is immutable and already has a value.`);
      }
    }
  }
}
