import { Type, type Static } from 'typebox';

/**
 * Tenant settings, defined once: this JSON Schema is what the management API validates PATCH
 * bodies with (and shows in the OpenAPI document), what the CLI validates `--set` values with,
 * what reading stored settings checks each key against (settings.ts), and, as `Static<…>`, the
 * `TenantSettings` type the server and the console use. Checks that need the tenant's data
 * (group ids exist, attribute paths resolve) happen in the service.
 *
 * The console imports this module's types only (`import type`): keep it free of anything but
 * TypeBox.
 */

const ATTRIBUTE_NAME = '^[A-Za-z][A-Za-z0-9_-]*$';
/** Okta-style extension URNs: `urn:ietf:params:scim:schemas:extension:<name>:2.0:User`. */
const EXTENSION_URN = '^urn:ietf:params:scim:schemas:extension:[A-Za-z0-9][A-Za-z0-9._-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)*:2\\.0:User$';
/** A metrics label value: short, so that labels stay few and never carry an id. */
const METRICS_CLASS = '^[a-z0-9][a-z0-9_-]{0,31}$';

const GroupId = Type.String({ minLength: 1, maxLength: 200 });
const Role = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });

const ExtensionAttribute = Type.Object(
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
    /** When given, values must be one of these (compared as caseExact says). */
    canonicalValues: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 100, uniqueItems: true })),
  },
  { additionalProperties: false },
);

/** A tenant's own User extension schema, Okta-style `urn:ietf:params:scim:schemas:extension:<name>:2.0:User`. */
const ExtensionSchema = Type.Object(
  {
    id: Type.String({ pattern: EXTENSION_URN, maxLength: 300 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    attributes: Type.Array(ExtensionAttribute, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

/** Every setting, in documentation order (docs/policies.md). */
const settingProperties = {
  scimEnabled: Type.Boolean({ description: 'SCIM on; off deletes tokens, SCIM groups and memberships, clears externalIds (seed 000). Default true.' }),
  groupsEnabled: Type.Boolean({ description: 'Accept SCIM /Groups (default true); false answers every /Groups request 501, for products that take only Users (seed 004).' }),
  ssoPolicy: Type.Union([Type.Literal('none'), Type.Literal('saml'), Type.Literal('oidc')], { description: 'SSO the tenant requires: a provisioned member\'s sign-in method. Default none.' }),
  // Null first: Fastify's Ajv coerces types, and would turn null into 0 for an integer branch tried first.
  seatLimit: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 10_000_000 })], { description: 'Seats for active members; null is unlimited (default).' }),
  seatPolicy: Type.Union([Type.Literal('reject'), Type.Literal('createInactive')], { description: 'Past the seat limit: 409 (reject, default) or stored inactive.' }),
  deletePolicy: Type.Union([Type.Literal('archive'), Type.Literal('hard')], { description: 'What SCIM DELETE does to a user: archive (default) keeps it, hidden and restorable; hard removes it for good.' }),
  adminGroupId: Type.Union([Type.Null(), GroupId], { description: 'The SCIM group whose members are admins. Default null.' }),
  roleMappings: Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Role, { description: 'SCIM group id → role. Default {}.', maxProperties: 200 }),
  groupsAsRoles: Type.Boolean({ description: 'Every pushed group gives its members a role named as the group (seed 002), beside roleMappings. Default false.' }),
  roleOrder: Type.Array(Role, { description: 'The ranking of roles after admin: a member\'s role is the first of its roles in this order (unlisted roles follow alphabetically). Default [].', uniqueItems: true, maxItems: 200 }),
  adminGroupOnly: Type.Boolean({ description: 'The admin group is the only source of admin rights (seed 000): admin by hand or by another group is refused or removed. Default false.' }),
  accessGroupIds: Type.Array(GroupId, { description: 'SCIM groups that are access groups, highest priority first. Default [].', uniqueItems: true, maxItems: 200 }),
  autoSync: Type.Boolean({ description: 'Apply member changes at once (default true); false queues them until sync.' }),
  strictAttributes: Type.Boolean({ description: 'Reject unknown attributes with 400 instead of ignoring them. Default false.' }),
  requiredAttributes: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { description: 'User attributes every create and replace must carry, e.g. emails. Default [].', uniqueItems: true, maxItems: 50 }),
  extensionSchemas: Type.Array(ExtensionSchema, { description: 'The tenant\'s own User extension schemas. Default [].', maxItems: 20 }),
  inactiveAttribute: Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 300 })], {
    description: 'A User attribute path (e.g. an extension\'s privilege) whose value "inactive" keeps the member inactive, without a seat (seed 004). Default null.',
  }),
  metricsClass: Type.Union([Type.Null(), Type.String({ pattern: METRICS_CLASS })], {
    description: 'The tenant_class label of the tenant\'s SCIM request metrics (e.g. a plan: free, enterprise): lower-case letters, digits, - and _, at most 32. Default null (shown as default).',
  }),
  identityProvider: Type.Union([Type.Null(), Type.Literal('entra'), Type.Literal('okta'), Type.Literal('onelogin'), Type.Literal('jumpcloud'), Type.Literal('google'), Type.Literal('other')], {
    description: 'The identity provider whose setup guide the console shows every admin of the tenant: entra, okta, onelogin, jumpcloud, google or other. Default null (the console guesses from the last caller).',
  }),
};

/** Every setting, as the management API shows a tenant's effective settings. */
export const Settings = Type.Object(settingProperties);

/** A partial update of settings: the keys given replace the current values. */
export const SettingsPatch = Type.Partial(Settings, { additionalProperties: false });

/** A tenant's provisioning policies, every one with a default (docs/policies.md). */
export type TenantSettings = Static<typeof Settings>;
export type SettingsPatchJson = Static<typeof SettingsPatch>;

/** What SSO the tenant requires (seed 000): it decides a provisioned member's sign-in method. */
export type SsoPolicy = TenantSettings['ssoPolicy'];
/** What provisioning past the seat limit does (seeds 000 and 004). */
export type SeatPolicy = TenantSettings['seatPolicy'];
/** What a SCIM DELETE of a user does (seeds 000, 002, 004). */
export type DeletePolicy = TenantSettings['deletePolicy'];
export type ExtensionSchemaSetting = Static<typeof ExtensionSchema>;
export type ExtensionAttributeSetting = Static<typeof ExtensionAttribute>;

/**
 * The settings of a tenant that set none: the one place defaults are declared. Stored
 * settings hold only the keys set by hand; every other key reads as this.
 */
export const DEFAULT_SETTINGS: Readonly<TenantSettings> = Object.freeze({
  scimEnabled: true,
  groupsEnabled: true,
  ssoPolicy: 'none',
  seatLimit: null,
  seatPolicy: 'reject',
  deletePolicy: 'archive',
  adminGroupId: null,
  roleMappings: {},
  groupsAsRoles: false,
  roleOrder: [],
  adminGroupOnly: false,
  accessGroupIds: [],
  autoSync: true,
  strictAttributes: false,
  requiredAttributes: [],
  extensionSchemas: [],
  inactiveAttribute: null,
  metricsClass: null,
  identityProvider: null,
});

/** The setting names, in documentation order (the CLI prints settings in this order). */
export const SETTING_NAMES = Object.keys(settingProperties) as (keyof TenantSettings)[];
