import { Type, type Static } from 'typebox';
import type { TenantSettings } from './settings.js';

/**
 * The JSON Schema of tenant settings: the management API validates PATCH bodies with it (and
 * shows it in the OpenAPI document), the CLI validates `--set` values with it. Checks that
 * need the tenant's data (group ids exist, attribute paths resolve) happen in the service.
 */

const ATTRIBUTE_NAME = '^[A-Za-z][A-Za-z0-9_-]*$';
/** Okta-style extension URNs: `urn:ietf:params:scim:schemas:extension:<name>:2.0:User`. */
export const EXTENSION_URN = '^urn:ietf:params:scim:schemas:extension:[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)*:2\\.0:User$';

const GroupId = Type.String({ minLength: 1, maxLength: 200 });
const Role = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

export const ExtensionAttribute = Type.Object(
  {
    name: Type.String({ pattern: ATTRIBUTE_NAME, maxLength: 100 }),
    type: Type.Union([
      Type.Literal('string'),
      Type.Literal('boolean'),
      Type.Literal('integer'),
      Type.Literal('decimal'),
      Type.Literal('dateTime'),
      Type.Literal('reference'),
      Type.Literal('binary'),
    ]),
    multiValued: Type.Optional(Type.Boolean()),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    caseExact: Type.Optional(Type.Boolean()),
    canonicalValues: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 100, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const ExtensionSchema = Type.Object(
  {
    id: Type.String({ pattern: EXTENSION_URN, maxLength: 300 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    attributes: Type.Array(ExtensionAttribute, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

const settingProperties = {
  scimEnabled: Type.Boolean({ description: 'SCIM on; off deletes tokens, SCIM groups and memberships, clears externalIds (seed 000). Default true.' }),
  ssoPolicy: Type.Union([Type.Literal('none'), Type.Literal('saml'), Type.Literal('oidc')], { description: 'SSO the tenant requires: a provisioned member\'s sign-in method. Default none.' }),
  // Null first: Fastify's Ajv coerces types, and would turn null into 0 for an integer branch tried first.
  seatLimit: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 10_000_000 })], { description: 'Seats for active members; null is unlimited (default).' }),
  seatPolicy: Type.Union([Type.Literal('reject'), Type.Literal('createInactive')], { description: 'Past the seat limit: 409 (reject, default) or stored inactive.' }),
  deletePolicy: Type.Union([Type.Literal('archive'), Type.Literal('hard')], { description: 'What SCIM DELETE does to a user. Default archive.' }),
  adminGroupId: Type.Union([Type.Null(), GroupId], { description: 'The SCIM group whose members are admins. Default null.' }),
  roleMappings: Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Role, { description: 'SCIM group id → role. Default {}.', maxProperties: 200 }),
  accessGroupIds: Type.Array(GroupId, { description: 'SCIM groups that are access groups, highest priority first. Default [].', uniqueItems: true, maxItems: 200 }),
  autoSync: Type.Boolean({ description: 'Apply member changes at once (default true); false queues them until sync.' }),
  strictAttributes: Type.Boolean({ description: 'Reject unknown attributes with 400 instead of ignoring them. Default false.' }),
  requiredAttributes: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { description: 'User attributes every create and replace must carry, e.g. emails. Default [].', uniqueItems: true, maxItems: 50 }),
  extensionSchemas: Type.Array(ExtensionSchema, { description: 'The tenant\'s own User extension schemas. Default [].', maxItems: 20 }),
};

/** Every setting, as the management API shows a tenant's effective settings. */
export const Settings = Type.Object(settingProperties);

/** A partial update of settings: the keys given replace the current values. */
export const SettingsPatch = Type.Object(
  {
    scimEnabled: Type.Optional(settingProperties.scimEnabled),
    ssoPolicy: Type.Optional(settingProperties.ssoPolicy),
    seatLimit: Type.Optional(settingProperties.seatLimit),
    seatPolicy: Type.Optional(settingProperties.seatPolicy),
    deletePolicy: Type.Optional(settingProperties.deletePolicy),
    adminGroupId: Type.Optional(settingProperties.adminGroupId),
    roleMappings: Type.Optional(settingProperties.roleMappings),
    accessGroupIds: Type.Optional(settingProperties.accessGroupIds),
    autoSync: Type.Optional(settingProperties.autoSync),
    strictAttributes: Type.Optional(settingProperties.strictAttributes),
    requiredAttributes: Type.Optional(settingProperties.requiredAttributes),
    extensionSchemas: Type.Optional(settingProperties.extensionSchemas),
  },
  { additionalProperties: false },
);

export type SettingsPatchJson = Static<typeof SettingsPatch>;

/** The setting names, in documentation order (the CLI validates `--set` keys against them). */
export const SETTING_NAMES = Object.keys(settingProperties) as (keyof typeof settingProperties)[];

/** Settings as the API shows them (fresh mutable copies, as the response schema types them). */
export function settingsJson(settings: TenantSettings): Static<typeof Settings> {
  return {
    ...settings,
    roleMappings: { ...settings.roleMappings },
    accessGroupIds: [...settings.accessGroupIds],
    requiredAttributes: [...settings.requiredAttributes],
    extensionSchemas: settings.extensionSchemas.map((schema) => ({
      ...schema,
      attributes: schema.attributes.map(({ canonicalValues, ...attribute }) => ({ ...attribute, ...(canonicalValues === undefined ? {} : { canonicalValues: [...canonicalValues] }) })),
    })),
  };
}
