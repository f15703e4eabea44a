/** Table shapes of migration 005 (members and pending changes), as Kysely sees them. */
export interface MembersTable {
  tenant_id: string;
  user_id: string;
  user_name: string;
  /** userName folded for case-insensitive lookups. */
  user_name_key: string;
  email: string | null;
  email_key: string | null;
  display_name: string | null;
  status: string;
  role: string;
  role_managed: number;
  /** The ranked roles as JSON text (migration 020); null reads as `[role]`. */
  roles: string | null;
  /** The role set by hand (migration 020), kept beside the roles groups give. */
  hand_role: string | null;
  access_group_id: string | null;
  sign_in_method: string;
  secret_hash: string | null;
  confirmed: number;
  scim_managed: number;
  /** Migration 023: came from SCIM before the SCIM setup was deleted. */
  formerly_scim_managed: number;
  creator: number;
  created_at: string;
  updated_at: string;
}

/** Migration 022: each role a member holds (`members.roles` as rows, for the list by role). */
export interface MemberRolesTable {
  tenant_id: string;
  role: string;
  member_id: string;
}

export interface PendingChangesTable {
  tenant_id: string;
  seq: number;
  user_id: string;
  kind: string;
  detail: unknown;
  created_at: string;
}

/** Migration 023: attributes IdPs sent that the tenant's schemas do not declare. */
export interface UndeclaredAttributesTable {
  tenant_id: string;
  path: string;
  count: number;
  first_seen_at: string;
  last_seen_at: string;
  last_user_id: string | null;
}
