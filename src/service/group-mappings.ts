import { baseRegistry } from '../schema/registry.js';
import { roleOfGroup } from '../policy/settings.js';
import type { Store } from '../store/store.js';
import { settingsIn } from './tenant-settings.js';

/** A SCIM group as the admin sees it when mapping groups to roles and access groups. */
export interface GroupMapping {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
  /** The role its members get (`admin` for the admin group), null when none. */
  readonly role: string | null;
  readonly adminGroup: boolean;
  /** Its place among the access groups (0 = highest priority), null when it is not one. */
  readonly accessGroupPriority: number | null;
}

/** The groups the IdP pushed (seeds 000, 002, 003), with what each gives its members. */
export class GroupMappingService {
  constructor(private readonly store: Store) {}

  async list(tenantId: string, offset: number, limit: number): Promise<{ groups: GroupMapping[]; total: number }> {
    const settings = await settingsIn(this.store.read, tenantId);
    const page = await this.store.read.groups.list(tenantId, { registry: baseRegistry, offset, limit });
    const groups = page.rows.map((group) => {
      const priority = settings.accessGroupIds.indexOf(group.id);
      return {
        id: group.id,
        displayName: group.displayName,
        externalId: group.externalId,
        role: roleOfGroup(settings, group.id) ?? null,
        adminGroup: settings.adminGroupId === group.id,
        accessGroupPriority: priority === -1 ? null : priority,
      };
    });
    return { groups, total: page.total };
  }
}
