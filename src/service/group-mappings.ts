import { roleOfGroupNamed } from '../policy/assignments.js';
import type { TenantSettings } from '../policy/settings-schema.js';

/** A SCIM group as the admin sees it when mapping groups to roles and access groups. */
export interface GroupMapping {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
  /** The role its members get (`admin` for the admin group, its name under groupsAsRoles), null when none. */
  readonly role: string | null;
  readonly adminGroup: boolean;
  /** Its place among the access groups (0 = highest priority), null when it is not one. */
  readonly accessGroupPriority: number | null;
}

/** What a group the IdP pushed gives its members under the tenant's settings (seeds 000, 002, 003). */
export function groupMapping(settings: TenantSettings, group: { readonly id: string; readonly displayName: string; readonly externalId: string | null }): GroupMapping {
  const priority = settings.accessGroupIds.indexOf(group.id);
  return {
    id: group.id,
    displayName: group.displayName,
    externalId: group.externalId,
    role: roleOfGroupNamed(settings, group) ?? null,
    adminGroup: settings.adminGroupId === group.id,
    accessGroupPriority: priority === -1 ? null : priority,
  };
}
