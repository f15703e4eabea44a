import type { SchemaRegistry } from '../../schema/registry.js';
import type { ResourceTypeDefinition } from '../../schema/types.js';
import type { JsonObject } from '../json.js';

/** What a stored resource needs to be shown as SCIM JSON. */
export interface RenderInput {
  readonly resourceType: ResourceTypeDefinition;
  readonly id: string;
  readonly data: JsonObject;
  readonly created: string;
  readonly lastModified: string;
  /** The weak ETag, e.g. `W/"3"`. */
  readonly version: string;
  /** The absolute URI of the resource (meta.location, RFC 7643 §3.1). */
  readonly location: string;
  /** Computed attributes such as a user's `groups` or a group's `members`. */
  readonly computed?: JsonObject;
}

/**
 * Builds the SCIM representation: `schemas` lists the core schema and the extensions the
 * resource carries (RFC 7643 §3), then id, the stored attributes, computed ones, and meta.
 */
export function renderResource(input: RenderInput, registry: SchemaRegistry): JsonObject {
  const schemas = [input.resourceType.schema];
  for (const extension of registry.extensionsOf(input.resourceType)) {
    if (input.data[extension.id] !== undefined) schemas.push(extension.id);
  }
  return {
    schemas,
    id: input.id,
    ...input.data,
    ...input.computed,
    meta: {
      resourceType: input.resourceType.name,
      created: input.created,
      lastModified: input.lastModified,
      location: input.location,
      version: input.version,
    },
  };
}
