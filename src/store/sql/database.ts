import type { MemberRolesTable, MembersTable, PendingChangesTable, UndeclaredAttributesTable } from './member-tables.js';

/**
 * Table shapes as Kysely sees them. Columns are the same on both engines except `settings`,
 * `data` and `payload`, which are TEXT on SQLite and JSONB on PostgreSQL (read back through
 * `decodeJson`). Timestamps are ISO-8601 UTC strings with milliseconds, so that they sort
 * and compare as text on both engines. Flags are integers 0/1 on both.
 */
export interface Database {
  tenants: TenantsTable;
  api_tokens: ApiTokensTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  events: EventsTable;
  event_positions: EventPositionsTable;
  event_horizons: EventHorizonsTable;
  erasures: ErasuresTable;
  operator_keys: OperatorKeysTable;
  members: MembersTable;
  member_roles: MemberRolesTable;
  pending_changes: PendingChangesTable;
  undeclared_attributes: UndeclaredAttributesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_cursors: WebhookCursorsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  provisioning_log: ProvisioningLogTable;
  provisioning_log_resources: ProvisioningLogResourcesTable;
  refused_requests: RefusedRequestsTable;
  setup_links: SetupLinksTable;
  console_sessions: ConsoleSessionsTable;
}

export interface OperatorKeysTable {
  id: string;
  name: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
  settings: unknown;
  event_seq: number;
  /** The tenant's last event position_key (PostgreSQL; migration 016). */
  event_position: number;
  /** The product's organisation id (unique). */
  external_id: string | null;
  /** Set when the tenant was deleted: gone for every API while its rows are purged. */
  deleted_at: string | null;
  /** Set once a deleted tenant's rows are all purged (the row and its tenant.deleted event stay). */
  purged_at: string | null;
}

export interface ApiTokensTable {
  tenant_id: string;
  id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface UsersTable {
  tenant_id: string;
  id: string;
  user_name: string;
  /** userName folded for case-insensitive uniqueness and lookups. */
  user_name_key: string;
  /** displayName and name.* folded, one per line, for the substring index (query/substring-index.ts). */
  name_key: string | null;
  external_id: string | null;
  active: number;
  deleted_at: string | null;
  created_at: string;
  last_modified: string;
  version: number;
  data: unknown;
}

export interface GroupsTable {
  tenant_id: string;
  id: string;
  display_name: string;
  display_name_key: string;
  external_id: string | null;
  created_at: string;
  last_modified: string;
  version: number;
  data: unknown;
}

export interface GroupMembersTable {
  tenant_id: string;
  group_id: string;
  member_id: string;
  member_type: string;
  /** The member's display when the row was written or the member last renamed (migration 014). */
  member_display: string | null;
}

export interface EventsTable {
  tenant_id: string;
  seq: number;
  id: string;
  type: string;
  resource_type: string;
  resource_id: string;
  occurred_at: string;
  payload: unknown;
  /** The global feed's order: (position_key, tenant_id, seq) (migration 016). */
  position_key: number;
}

/** The last event retention pruned, per tenant (migration 019). */
export interface EventHorizonsTable {
  tenant_id: string;
  seq: number;
  position_key: number;
}

/** Erasure work left to the background, with its progress (migration 019). */
export interface ErasuresTable {
  tenant_id: string;
  id: string;
  created_at: string;
  up_to_seq: number;
  /** JSON array of the user's identifiers; null for every user. */
  terms: string | null;
  event_seq: number;
  log_started_at: string;
  log_id: string;
}

/** SQLite's global event counter (one row). */
export interface EventPositionsTable {
  id: number;
  value: number;
}

export interface SetupLinksTable {
  tenant_id: string;
  id: string;
  link_hash: string;
  note: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface ConsoleSessionsTable {
  id: string;
  session_hash: string;
  tenant_id: string | null;
  setup_link_id: string | null;
  operator_key_id: string | null;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface WebhookEndpointsTable {
  id: string;
  /** NULL for a global endpoint (every tenant). */
  tenant_id: string | null;
  url: string;
  secret: string;
  event_types: unknown;
  description: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookCursorsTable {
  endpoint_id: string;
  tenant_id: string;
  last_seq: number;
}

export interface WebhookDeliveriesTable {
  tenant_id: string;
  id: string;
  endpoint_id: string;
  event_seq: number;
  event_type: string;
  resource_key: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProvisioningLogTable {
  tenant_id: string;
  id: string;
  started_at: string;
  finished_at: string | null;
  token_id: string | null;
  token_name: string | null;
  method: string;
  path: string;
  status: number | null;
  duration_ms: number | null;
  user_agent: string | null;
  resources: unknown;
  events: number;
  scim_type: string | null;
  error_detail: string | null;
  request_body: string | null;
  /** Migration 022: undeclared attribute paths the write carried (a JSON list); null when none. */
  undeclared: unknown;
}

export interface RefusedRequestsTable {
  tenant_id: string;
  minute: string;
  count: number;
  last_at: string;
  last_status: number;
  last_user_agent: string | null;
}

export interface ProvisioningLogResourcesTable {
  tenant_id: string;
  resource_id: string;
  started_at: string;
  log_id: string;
}

/** Reads a JSON column: SQLite returns text, PostgreSQL's driver returns parsed JSONB. */
export function decodeJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
