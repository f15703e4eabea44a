import type { AttributePath } from './attribute-path.js';
import { commonAttributes } from './common-attributes.js';
import { coreGroupSchema } from './core-group.js';
import { coreUserSchema } from './core-user.js';
import { enterpriseUserSchema } from './enterprise-user.js';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types.js';
import { URN } from './urns.js';

/** Where a resolved attribute lives in a resource. */
export interface ResolvedAttribute {
  /** URN of the schema that defines it; undefined for common attributes (id, externalId, meta). */
  readonly schema: string | undefined;
  /** True when the attribute sits under its extension URN key in the resource JSON. */
  readonly inExtension: boolean;
  /** The top-level attribute. */
  readonly attribute: AttributeDefinition;
  /** The sub-attribute, when the path names one. */
  readonly subAttribute?: AttributeDefinition;
}

export const userResourceType: ResourceTypeDefinition = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: URN.user,
  schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
};

export const groupResourceType: ResourceTypeDefinition = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: URN.group,
  schemaExtensions: [],
};

function findByName<T extends { readonly name: string }>(items: readonly T[] | undefined, name: string): T | undefined {
  const lower = name.toLowerCase();
  return items?.find((item) => item.name.toLowerCase() === lower);
}

/**
 * The schemas and resource types a tenant sees. Immutable; `withExtensions` derives a
 * tenant's registry from the base one. Every lookup is case-insensitive (RFC 7643 §2.1).
 */
export class SchemaRegistry {
  private readonly schemasById = new Map<string, SchemaDefinition>();

  constructor(
    schemas: readonly SchemaDefinition[],
    private readonly types: readonly ResourceTypeDefinition[],
  ) {
    for (const schema of schemas) this.schemasById.set(schema.id.toLowerCase(), schema);
  }

  schemas(): readonly SchemaDefinition[] {
    return [...this.schemasById.values()];
  }

  schema(id: string): SchemaDefinition | undefined {
    return this.schemasById.get(id.toLowerCase());
  }

  resourceTypes(): readonly ResourceTypeDefinition[] {
    return this.types;
  }

  resourceType(name: string): ResourceTypeDefinition | undefined {
    return findByName(this.types, name);
  }

  /**
   * The extension schemas a resource type allows, in declaration order. This registry's own
   * definition of the type counts, so that callers holding the base `userResourceType` see a
   * tenant's extensions (withExtensions) too.
   */
  extensionsOf(type: ResourceTypeDefinition): readonly SchemaDefinition[] {
    const own = this.resourceType(type.name) ?? type;
    return own.schemaExtensions.flatMap((ref) => this.schema(ref.schema) ?? []);
  }

  /** The base schema of a resource type. */
  coreOf(type: ResourceTypeDefinition): SchemaDefinition {
    const core = this.schema(type.schema);
    if (core === undefined) throw new Error(`resource type ${type.name} names unknown schema ${type.schema}`);
    return core;
  }

  /**
   * Resolves an attribute path against a resource type: URN-qualified paths against the
   * named schema, unqualified ones against the common and core attributes, then against
   * the extensions when exactly one of them defines the name (clients such as Entra send
   * `manager` unqualified). Undefined when nothing matches.
   */
  resolve(type: ResourceTypeDefinition, path: AttributePath): ResolvedAttribute | undefined {
    const core = this.coreOf(type);
    if (path.urn !== undefined) {
      const urn = path.urn.toLowerCase();
      if (urn === core.id.toLowerCase()) return this.resolveIn(core, false, path) ?? this.resolveCommon(path);
      const extension = this.extensionsOf(type).find((schema) => schema.id.toLowerCase() === urn);
      return extension === undefined ? undefined : this.resolveIn(extension, true, path);
    }
    const direct = this.resolveCommon(path) ?? this.resolveIn(core, false, path);
    if (direct !== undefined) return direct;
    const candidates = this.extensionsOf(type).flatMap((schema) => this.resolveIn(schema, true, path) ?? []);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** A schema URN written as an attribute path (`urn:…:enterprise:2.0:User`), if it names an extension of the type. */
  extensionNamedBy(type: ResourceTypeDefinition, path: AttributePath): SchemaDefinition | undefined {
    if (path.urn === undefined || path.subAttribute !== undefined) return undefined;
    const full = `${path.urn}:${path.name}`.toLowerCase();
    return this.extensionsOf(type).find((schema) => schema.id.toLowerCase() === full);
  }

  /** A registry with extra extension schemas attached to the named resource types. */
  withExtensions(extensions: readonly { schema: SchemaDefinition; resourceType: string; required: boolean }[]): SchemaRegistry {
    const types = this.types.map((type) => {
      const added = extensions.filter((ext) => ext.resourceType.toLowerCase() === type.name.toLowerCase());
      if (added.length === 0) return type;
      return {
        ...type,
        schemaExtensions: [...type.schemaExtensions, ...added.map((ext) => ({ schema: ext.schema.id, required: ext.required }))],
      };
    });
    return new SchemaRegistry([...this.schemas(), ...extensions.map((ext) => ext.schema)], types);
  }

  private resolveCommon(path: AttributePath): ResolvedAttribute | undefined {
    return this.resolveAmong(commonAttributes, undefined, false, path);
  }

  private resolveIn(schema: SchemaDefinition, inExtension: boolean, path: AttributePath): ResolvedAttribute | undefined {
    return this.resolveAmong(schema.attributes, schema.id, inExtension, path);
  }

  private resolveAmong(
    attributes: readonly AttributeDefinition[],
    schema: string | undefined,
    inExtension: boolean,
    path: AttributePath,
  ): ResolvedAttribute | undefined {
    const attribute = findByName(attributes, path.name);
    if (attribute === undefined) return undefined;
    if (path.subAttribute === undefined) return { schema, inExtension, attribute };
    const alias = attribute.subAttributeAliases?.[path.subAttribute.toLowerCase()];
    const subAttribute = findByName(attribute.subAttributes, path.subAttribute) ?? (alias === undefined ? undefined : findByName(attribute.subAttributes, alias));
    return subAttribute === undefined ? undefined : { schema, inExtension, attribute, subAttribute };
  }
}

/** The registry of the RFC's User, Group and Enterprise User schemas. */
export const baseRegistry = new SchemaRegistry(
  [coreUserSchema, enterpriseUserSchema, coreGroupSchema],
  [userResourceType, groupResourceType],
);
