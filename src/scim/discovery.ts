import type { SchemaRegistry } from '../schema/registry.js';
import type { AttributeDefinition, SchemaDefinition } from '../schema/types.js';
import { URN } from '../schema/urns.js';
import type { JsonObject, JsonValue } from './json.js';

/** What Roster's SCIM API supports, as ServiceProviderConfig advertises it. */
export interface ScimCapabilities {
  readonly documentationUri: string;
  readonly patch: boolean;
  readonly bulk: { readonly supported: boolean; readonly maxOperations: number; readonly maxPayloadSize: number };
  readonly filterMaxResults: number;
  readonly sort: boolean;
  readonly etag: boolean;
  readonly pagination: {
    readonly cursor: boolean;
    readonly index: boolean;
    readonly defaultPageSize: number;
    readonly maxPageSize: number;
  };
}

/** GET /ServiceProviderConfig (RFC 7643 §5, RFC 9865 §4). */
export function serviceProviderConfig(capabilities: ScimCapabilities, location: string): JsonObject {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: capabilities.documentationUri,
    patch: { supported: capabilities.patch },
    bulk: { ...capabilities.bulk },
    filter: { supported: true, maxResults: capabilities.filterMaxResults },
    changePassword: { supported: false },
    sort: { supported: capabilities.sort },
    etag: { supported: capabilities.etag },
    pagination: {
      cursor: capabilities.pagination.cursor,
      index: capabilities.pagination.index,
      defaultPaginationMethod: 'index',
      defaultPageSize: capabilities.pagination.defaultPageSize,
      maxPageSize: capabilities.pagination.maxPageSize,
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A tenant token generated in Roster, sent as "Authorization: Bearer <token>".',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location },
  };
}

function attributeJson(definition: AttributeDefinition): JsonObject {
  const out: JsonObject = {
    name: definition.name,
    type: definition.type,
    multiValued: definition.multiValued,
    description: definition.description,
    required: definition.required,
    caseExact: definition.caseExact,
    mutability: definition.mutability,
    returned: definition.returned,
    uniqueness: definition.uniqueness,
  };
  if (definition.canonicalValues !== undefined && definition.canonicalValues.length > 0) out.canonicalValues = [...definition.canonicalValues];
  if (definition.referenceTypes !== undefined) out.referenceTypes = [...definition.referenceTypes];
  if (definition.subAttributes !== undefined) out.subAttributes = definition.subAttributes.map(attributeJson);
  return out;
}

/** A schema resource for GET /Schemas (RFC 7643 §7): the same definition that validates requests. */
export function schemaResource(schema: SchemaDefinition, location: string): JsonObject {
  return {
    schemas: [URN.schema],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeJson),
    meta: { resourceType: 'Schema', location },
  };
}

/** Every ResourceType of the registry (RFC 7643 §6), with locations under `baseUrl`. */
export function resourceTypeResources(registry: SchemaRegistry, baseUrl: string): JsonObject[] {
  return registry.resourceTypes().map((type) => ({
    schemas: [URN.resourceType],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema,
    schemaExtensions: type.schemaExtensions.map((ext): JsonValue => ({ schema: ext.schema, required: ext.required })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.id}` },
  }));
}

/** Paging details of a ListResponse: startIndex for index paging, cursors for RFC 9865 paging. */
export interface ListPaging {
  readonly startIndex?: number | undefined;
  readonly nextCursor?: string | undefined;
  readonly previousCursor?: string | undefined;
}

/** A ListResponse (RFC 7644 §3.4.2, RFC 9865 §2). */
export function listResponse(resources: readonly JsonObject[], totalResults: number, paging: ListPaging): JsonObject {
  return {
    schemas: [URN.listResponse],
    totalResults,
    itemsPerPage: resources.length,
    ...(paging.startIndex === undefined ? {} : { startIndex: paging.startIndex }),
    ...(paging.nextCursor === undefined ? {} : { nextCursor: paging.nextCursor }),
    ...(paging.previousCursor === undefined ? {} : { previousCursor: paging.previousCursor }),
    Resources: [...resources],
  };
}
