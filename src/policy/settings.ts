import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { isJsonObject, type JsonObject, type JsonValue } from '../scim/json.js';
import { DEFAULT_SETTINGS, Settings, SettingsPatch, type TenantSettings } from './settings-schema.js';

// Settings are read on every SCIM request, so their checks are compiled once: an interpreted
// check of the whole schema costs some 60 µs, a compiled one well under one.
const storedSettings = Compile(SettingsPatch);
const compiledChecks = new Map<TSchema, (value: unknown) => boolean>();

function check(schema: TSchema, value: unknown): boolean {
  let compiled = compiledChecks.get(schema);
  if (compiled === undefined) {
    const validator = Compile(schema);
    compiled = (candidate) => validator.Check(candidate);
    compiledChecks.set(schema, compiled);
  }
  return compiled(value);
}

/** The stored value when its schema accepts it, else the default. */
function checked<T extends TSchema>(schema: T, value: JsonValue | undefined, fallback: Static<T>): Static<T> {
  return check(schema, value) ? (value as Static<T>) : fallback;
}

/** A list keeping the elements its schema accepts, so that one bad element drops alone. */
function checkedItems<T extends TSchema>(schema: T, value: JsonValue | undefined, fallback: Static<T>): Static<T> {
  if (!Array.isArray(value)) return fallback;
  const items = value.filter((item) => check(schema, [item]));
  return checked(schema, items, fallback);
}

/** A map keeping the entries its schema accepts. */
function checkedEntries<T extends TSchema>(schema: T, value: JsonValue | undefined, fallback: Static<T>): Static<T> {
  if (!isJsonObject(value)) return fallback;
  const entries = Object.fromEntries(Object.entries(value).filter(([key, item]) => check(schema, { [key]: item })));
  return checked(schema, entries, fallback);
}

/**
 * The settings a tenant's stored JSON says: each key its schema (settings-schema.ts) accepts,
 * each missing or malformed key at its default. Stored settings were validated when written;
 * reading stays lenient so that values an older version wrote, or a hand-edited row, never
 * break SCIM. Called where a tenant enters a request (SCIM authentication, the management
 * services, and a SCIM write's own transaction), never in between.
 */
export function settingsOf(stored: JsonObject): TenantSettings {
  // The usual case: every stored key is a valid setting.
  if (storedSettings.Check(stored)) return { ...DEFAULT_SETTINGS, ...stored };
  const schema = Settings.properties;
  return {
    scimEnabled: checked(schema.scimEnabled, stored.scimEnabled, DEFAULT_SETTINGS.scimEnabled),
    groupsEnabled: checked(schema.groupsEnabled, stored.groupsEnabled, DEFAULT_SETTINGS.groupsEnabled),
    ssoPolicy: checked(schema.ssoPolicy, stored.ssoPolicy, DEFAULT_SETTINGS.ssoPolicy),
    seatLimit: checked(schema.seatLimit, stored.seatLimit, DEFAULT_SETTINGS.seatLimit),
    seatPolicy: checked(schema.seatPolicy, stored.seatPolicy, DEFAULT_SETTINGS.seatPolicy),
    deletePolicy: checked(schema.deletePolicy, stored.deletePolicy, DEFAULT_SETTINGS.deletePolicy),
    adminGroupId: checked(schema.adminGroupId, stored.adminGroupId, DEFAULT_SETTINGS.adminGroupId),
    roleMappings: checkedEntries(schema.roleMappings, stored.roleMappings, DEFAULT_SETTINGS.roleMappings),
    groupsAsRoles: checked(schema.groupsAsRoles, stored.groupsAsRoles, DEFAULT_SETTINGS.groupsAsRoles),
    roleOrder: checkedItems(schema.roleOrder, stored.roleOrder, DEFAULT_SETTINGS.roleOrder),
    adminGroupOnly: checked(schema.adminGroupOnly, stored.adminGroupOnly, DEFAULT_SETTINGS.adminGroupOnly),
    accessGroupIds: checkedItems(schema.accessGroupIds, stored.accessGroupIds, DEFAULT_SETTINGS.accessGroupIds),
    autoSync: checked(schema.autoSync, stored.autoSync, DEFAULT_SETTINGS.autoSync),
    strictAttributes: checked(schema.strictAttributes, stored.strictAttributes, DEFAULT_SETTINGS.strictAttributes),
    requiredAttributes: checkedItems(schema.requiredAttributes, stored.requiredAttributes, DEFAULT_SETTINGS.requiredAttributes),
    extensionSchemas: checkedItems(schema.extensionSchemas, stored.extensionSchemas, DEFAULT_SETTINGS.extensionSchemas),
    inactiveAttribute: checked(schema.inactiveAttribute, stored.inactiveAttribute, DEFAULT_SETTINGS.inactiveAttribute),
    metricsClass: checked(schema.metricsClass, stored.metricsClass, DEFAULT_SETTINGS.metricsClass),
    identityProvider: checked(schema.identityProvider, stored.identityProvider, DEFAULT_SETTINGS.identityProvider),
  };
}

/** The role a group gives, if any: the admin group gives `admin`, else its role mapping. */
export function roleOfGroup(settings: TenantSettings, groupId: string): string | undefined {
  if (settings.adminGroupId === groupId) return 'admin';
  return Object.hasOwn(settings.roleMappings, groupId) ? settings.roleMappings[groupId] : undefined;
}

/** Whether any group gives a role: then SCIM manages the roles of the members it assigns. */
export function rolesMapped(settings: TenantSettings): boolean {
  return settings.adminGroupId !== null || Object.keys(settings.roleMappings).length > 0 || settings.groupsAsRoles;
}

/** Whether membership of the group decides roles or access groups (every group does under `groupsAsRoles`). */
export function groupAssigns(settings: TenantSettings, groupId: string): boolean {
  return settings.groupsAsRoles || settings.adminGroupId === groupId || Object.hasOwn(settings.roleMappings, groupId) || settings.accessGroupIds.includes(groupId);
}
