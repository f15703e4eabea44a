import type { GroupRecord, UserRecord } from '../store/records.js';
import type { StoreSession } from '../store/store.js';
import type { SeatOutcome } from './seats.js';
import type { TenantSettings } from './settings-schema.js';

/** Membership changes of one group, as the policy sees them. */
export interface MembershipDelta {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The group's displayName changed (the role it gives under `groupsAsRoles`). */
  readonly renamed?: boolean;
}

/** The tenant a policy hook acts for: its id and its settings, parsed (settings.ts). */
export interface PolicyTenant {
  readonly id: string;
  readonly settings: TenantSettings;
}

/** The user record a write stores, and what the write decided about its seat. */
export interface UserWrite {
  readonly record: UserRecord;
  readonly seat: SeatOutcome;
}

/**
 * What the seeds' tenant policies (seats, roles, admin and access groups, sync, sign-in
 * methods) do around each SCIM write. The services call these inside the write's
 * transaction, with the tenant's settings as that transaction read them, so a policy's own
 * writes (member rows, role changes, their events) commit or roll back with the SCIM change.
 * A hook may throw a ScimError to refuse the write.
 */
export interface ProvisioningPolicy {
  /**
   * A user is about to be created (`before` undefined), restored, or changed. Returns the
   * record to store, e.g. made inactive past the seat limit under `createInactive`, and the
   * seat decision, for afterUserWrite.
   */
  beforeUserWrite(tx: StoreSession, tenant: PolicyTenant, before: UserRecord | undefined, after: UserRecord): Promise<UserWrite>;
  /** After a user was created, restored or changed: `written` is what beforeUserWrite returned. */
  afterUserWrite(tx: StoreSession, tenant: PolicyTenant, before: UserRecord | undefined, written: UserWrite): Promise<void>;
  /** After a user was deleted through SCIM (archived, or removed for good). */
  afterUserRemove(tx: StoreSession, tenant: PolicyTenant, before: UserRecord, removedForGood: boolean): Promise<void>;
  /** After members were added to or removed from a group (also on group create and PUT), or it was renamed. */
  afterMembershipChange(tx: StoreSession, tenant: PolicyTenant, group: GroupRecord, delta: MembershipDelta): Promise<void>;
  /** Before a group is deleted; its memberships go with it. */
  beforeGroupRemove(tx: StoreSession, tenant: PolicyTenant, group: GroupRecord): Promise<void>;
}

/** The policy that does nothing: plain SCIM storage. */
export const plainStorage: ProvisioningPolicy = {
  beforeUserWrite: (_tx, _tenant, _before, after) => Promise.resolve({ record: after, seat: 'kept' }),
  afterUserWrite: () => Promise.resolve(),
  afterUserRemove: () => Promise.resolve(),
  afterMembershipChange: () => Promise.resolve(),
  beforeGroupRemove: () => Promise.resolve(),
};
