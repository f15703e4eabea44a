import { parseAttributePath } from '../schema/attribute-path.js';
import { userResourceType } from '../schema/registry.js';
import { isJsonObject, type JsonValue } from '../scim/json.js';
import type { UserRecord } from '../store/records.js';
import { registryFor } from './extension-schemas.js';
import type { TenantSettings } from './settings-schema.js';

/**
 * Seed 004's `privilege`: the tenant may name a User attribute (setting `inactiveAttribute`)
 * whose value `inactive` keeps the member inactive, without a seat, whatever `active` says.
 * A user is active for its member only when `active` is not false and that attribute does
 * not say `inactive`.
 */

function says(value: JsonValue | undefined): boolean {
  if (Array.isArray(value)) return value.some(says);
  return typeof value === 'string' && value.trim().toLowerCase() === 'inactive';
}

/** Whether the tenant's `inactiveAttribute` of the user says `inactive`. */
export function heldInactive(settings: TenantSettings, user: UserRecord): boolean {
  if (settings.inactiveAttribute === null) return false;
  const path = parseAttributePath(settings.inactiveAttribute);
  const resolved = path === undefined ? undefined : registryFor(settings).resolve(userResourceType, path);
  if (resolved === undefined) return false;
  const holder = resolved.inExtension && resolved.schema !== undefined ? user.data[resolved.schema] : user.data;
  const value = isJsonObject(holder) ? holder[resolved.attribute.name] : undefined;
  if (resolved.subAttribute === undefined) return says(value);
  const name = resolved.subAttribute.name;
  const items = Array.isArray(value) ? value : [value];
  return items.some((item) => isJsonObject(item) && says(item[name]));
}

/** Whether the user asks for an active member: active, and not held inactive by the tenant's attribute. */
export function wantsActive(settings: TenantSettings, user: UserRecord): boolean {
  return user.active && user.deletedAt === null && !heldInactive(settings, user);
}
