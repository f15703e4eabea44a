import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

/** How a user is shown as a member (and as a manager): displayName, else userName. */
export function userDisplay(displayName: unknown, userName: string): string {
  return typeof displayName === 'string' ? displayName : userName;
}

/**
 * Keeps the display copied into a member's membership rows (migration 014) equal to the
 * member's current one. Uses the (tenant_id, member_id) index and writes only rows that
 * differ, so an update that does not rename costs one index lookup.
 */
export async function updateMembershipDisplays(db: Kysely<Database>, tenantId: string, id: string, display: string): Promise<void> {
  await db
    .updateTable('group_members')
    .set({ member_display: display })
    .where('tenant_id', '=', tenantId)
    .where('member_id', '=', id)
    .where((eb) => eb.or([eb('member_display', 'is', null), eb('member_display', '<>', display)]))
    .execute();
}
