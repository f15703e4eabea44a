import { isJsonObject, type JsonObject, type JsonValue } from '../scim/json.js';
import { Value } from 'typebox/value';
import type { DeletePolicy } from './deprovisioning.js';
import { ExtensionSchema } from './settings-schema.js';

/** What SSO the tenant requires (seed 000): it decides a provisioned member's sign-in method. */
export type SsoPolicy = 'none' | 'saml' | 'oidc';

/** What provisioning past the seat limit does (seeds 000 and 004). */
export type SeatPolicy = 'reject' | 'createInactive';

/** The scalar types a tenant's own extension attribute may have. */
export type ExtensionAttributeType = 'string' | 'boolean' | 'integer' | 'decimal' | 'dateTime' | 'reference' | 'binary';

/** One attribute of a tenant's extension schema. */
export interface ExtensionAttributeSetting {
  readonly name: string;
  readonly type: ExtensionAttributeType;
  readonly multiValued?: boolean;
  readonly description?: string;
  readonly caseExact?: boolean;
  /** When given, values must be one of these (compared as caseExact says). */
  readonly canonicalValues?: readonly string[];
}

/** A tenant's own User extension schema, Okta-style `urn:ietf:params:scim:schemas:extension:<name>:2.0:User`. */
export interface ExtensionSchemaSetting {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly attributes: readonly ExtensionAttributeSetting[];
}

/**
 * A tenant's provisioning policies, every one with a default (docs/policies.md). Stored in
 * the tenant's `settings` JSON; only the keys set by hand are stored.
 */
export interface TenantSettings {
  readonly scimEnabled: boolean;
  readonly ssoPolicy: SsoPolicy;
  /** Null: unlimited. */
  readonly seatLimit: number | null;
  readonly seatPolicy: SeatPolicy;
  readonly deletePolicy: DeletePolicy;
  /** The SCIM group whose members are admins (seed 000). */
  readonly adminGroupId: string | null;
  /** SCIM group id → role (seed 002). */
  readonly roleMappings: Readonly<Record<string, string>>;
  /** The SCIM groups that are access groups, in priority order (seed 003). */
  readonly accessGroupIds: readonly string[];
  readonly autoSync: boolean;
  readonly strictAttributes: boolean;
  readonly requiredAttributes: readonly string[];
  readonly extensionSchemas: readonly ExtensionSchemaSetting[];
}

export const DEFAULT_SETTINGS: TenantSettings = {
  scimEnabled: true,
  ssoPolicy: 'none',
  seatLimit: null,
  seatPolicy: 'reject',
  deletePolicy: 'archive',
  adminGroupId: null,
  roleMappings: {},
  accessGroupIds: [],
  autoSync: true,
  strictAttributes: false,
  requiredAttributes: [],
  extensionSchemas: [],
};

function oneOf<T extends string>(value: JsonValue | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.find((candidate) => candidate === value) ?? fallback;
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function stringRecord(value: JsonValue | undefined): Record<string, string> {
  if (!isJsonObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/**
 * The settings a tenant's stored JSON says, each missing or malformed key at its default.
 * Stored settings were validated when written (settings-schema.ts); reading stays lenient so
 * that a hand-edited row never breaks SCIM.
 */
export function settingsOf(stored: JsonObject): TenantSettings {
  const seatLimit = stored.seatLimit;
  return {
    scimEnabled: stored.scimEnabled !== false,
    ssoPolicy: oneOf(stored.ssoPolicy, ['none', 'saml', 'oidc'], DEFAULT_SETTINGS.ssoPolicy),
    seatLimit: typeof seatLimit === 'number' && Number.isInteger(seatLimit) && seatLimit >= 0 ? seatLimit : null,
    seatPolicy: oneOf(stored.seatPolicy, ['reject', 'createInactive'], DEFAULT_SETTINGS.seatPolicy),
    deletePolicy: oneOf(stored.deletePolicy, ['archive', 'hard'], DEFAULT_SETTINGS.deletePolicy),
    adminGroupId: typeof stored.adminGroupId === 'string' ? stored.adminGroupId : null,
    roleMappings: stringRecord(stored.roleMappings),
    accessGroupIds: strings(stored.accessGroupIds),
    autoSync: stored.autoSync !== false,
    strictAttributes: stored.strictAttributes === true,
    requiredAttributes: strings(stored.requiredAttributes),
    extensionSchemas: Array.isArray(stored.extensionSchemas) ? stored.extensionSchemas.filter((item) => Value.Check(ExtensionSchema, item)) : [],
  };
}

/** The role a group gives, if any: the admin group gives `admin`, else its role mapping. */
export function roleOfGroup(settings: TenantSettings, groupId: string): string | undefined {
  if (settings.adminGroupId === groupId) return 'admin';
  return Object.hasOwn(settings.roleMappings, groupId) ? settings.roleMappings[groupId] : undefined;
}

/** Whether any group gives a role: then SCIM manages the roles of the members it assigns. */
export function rolesMapped(settings: TenantSettings): boolean {
  return settings.adminGroupId !== null || Object.keys(settings.roleMappings).length > 0;
}

/** Groups whose membership decides roles or access groups. */
export function assigningGroups(settings: TenantSettings): ReadonlySet<string> {
  return new Set([...(settings.adminGroupId === null ? [] : [settings.adminGroupId]), ...Object.keys(settings.roleMappings), ...settings.accessGroupIds]);
}
