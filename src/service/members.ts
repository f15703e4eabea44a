import { memberCreatedEvent } from '../policy/member-events.js';
import { randomSecretHash, signInMethodFor } from '../policy/member-profile.js';
import type { PolicyContext } from '../policy/policy-context.js';
import { saveMember } from '../policy/reconcile.js';
import { takeSeat } from '../policy/seats.js';
import type { SeatPolicy, TenantSettings } from '../policy/settings-schema.js';
import { withRoles } from '../policy/assignments.js';
import type { MemberStatus, SignInMethod, TenantMemberRecord } from '../store/member-store.js';
import type { UserRecord } from '../store/records.js';
import type { Store, StoreSession } from '../store/store.js';
import { newId, now } from './clock.js';
import { Conflict, Invalid, NotFound } from './errors.js';
import { userEvent } from '../policy/resource-events.js';
import { PolicyError } from './policy-errors.js';
import { settingsIn } from './tenant-settings.js';

/** Under `adminGroupOnly` (seed 000) nobody is made admin by hand: the admin group is the only source. */
function refuseHandAdmin(settings: TenantSettings, userName: string): void {
  if (!settings.adminGroupOnly) return;
  throw new PolicyError('ADMIN_GROUP_ONLY', `"${userName}" cannot be made admin by hand: the tenant's adminGroupOnly setting makes membership of the admin group (adminGroupId) the only way to be admin.`);
}

/** Seat use of a tenant. */
export interface Seats {
  readonly limit: number | null;
  readonly used: number;
  readonly policy: SeatPolicy;
}

/** A member made by hand in the product (not provisioned by SCIM), such as the tenant's creator. */
export interface NewMember {
  readonly userName: string;
  readonly email?: string | null;
  readonly displayName?: string | null;
  /** Default `admin` for the creator, else `member`. */
  readonly role?: string;
  readonly signInMethod?: SignInMethod;
  readonly creator?: boolean;
}

/** A hand change of a member. */
export interface MemberChange {
  readonly role?: string;
  readonly status?: MemberStatus;
}

/**
 * Members for the management API: list, read, make by hand, and change by hand within what
 * SCIM leaves to people (roles SCIM set and statuses the IdP decides are refused).
 */
export class MemberService {
  constructor(private readonly store: Store) {}

  /** Makes an active member by hand; 409 SEAT_LIMIT_REACHED when no seat is free. */
  async create(tenantId: string, input: NewMember): Promise<TenantMemberRecord> {
    const userName = input.userName.trim();
    if (userName === '') throw new Invalid('A member needs a non-empty userName.');
    return this.store.transaction(async (tx) => {
      await tx.members.lockTenant(tenantId);
      const settings = await settingsIn(tx, tenantId);
      if ((await tx.members.findByIdentifier(tenantId, userName))?.userName.toLowerCase() === userName.toLowerCase()) {
        throw new Conflict(`Tenant ${tenantId} already has a member "${userName}".`);
      }
      if (input.creator === true && (await tx.members.creator(tenantId)) !== undefined) throw new Conflict(`Tenant ${tenantId} has a creator already.`);
      const at = now();
      const context: PolicyContext = { tx, tenantId, settings, at };
      const userId = newId();
      if (!(await takeSeat(context, userId))) throw new PolicyError('SEAT_LIMIT_REACHED', `The seat limit of ${settings.seatLimit ?? 0} is reached.`);
      const method = input.signInMethod ?? signInMethodFor(settings.ssoPolicy);
      if (input.role === 'admin') refuseHandAdmin(settings, userName);
      // Under adminGroupOnly even the creator is admin only through the admin group.
      const role = input.role ?? (input.creator === true && !settings.adminGroupOnly ? 'admin' : 'member');
      const member: TenantMemberRecord = {
        tenantId,
        userId,
        userName,
        email: input.email ?? null,
        displayName: input.displayName ?? null,
        status: 'active',
        role,
        roles: [role],
        handRole: role,
        roleManaged: false,
        accessGroupId: null,
        signInMethod: method,
        // The creator signed up; anyone else made by hand is invited and confirms later.
        confirmed: input.creator === true,
        scimManaged: false,
        formerlyScimManaged: false,
        creator: input.creator === true,
        createdAt: at,
        updatedAt: at,
      };
      await tx.members.insert(member, randomSecretHash(method));
      await tx.events.append(tenantId, [memberCreatedEvent(member)], at);
      return member;
    });
  }

  /**
   * Changes a member's role or status by hand. Refused with ROLE_MANAGED_BY_SCIM when SCIM
   * set the role, and with STATUS_MANAGED_BY_SCIM when the IdP decides the status (a SCIM
   * member while SCIM is on), except giving an inactive member a seat (seed 004: the admin
   * changes the privilege later); that also marks its SCIM user active.
   */
  async update(tenantId: string, userId: string, change: MemberChange): Promise<TenantMemberRecord> {
    return this.store.transaction(async (tx) => {
      // The user's row before the tenant, the order SCIM writes take them in (no deadlock).
      await tx.users.getForUpdate(tenantId, userId);
      await tx.members.lockTenant(tenantId);
      const settings = await settingsIn(tx, tenantId);
      const member = await tx.members.get(tenantId, userId);
      if (member === undefined) throw new NotFound(`Tenant ${tenantId} has no member ${userId}.`);
      const context: PolicyContext = { tx, tenantId, settings, at: now() };
      let next = member;
      if (change.role !== undefined && change.role !== member.role) {
        if (change.role === 'admin') refuseHandAdmin(settings, member.userName);
        if (member.roleManaged) {
          throw new PolicyError('ROLE_MANAGED_BY_SCIM', `The role of "${member.userName}" is managed by SCIM: it comes from the member's IdP groups (adminGroupId/roleMappings).`);
        }
        next = { ...withRoles(next, [change.role], settings), handRole: change.role };
      }
      if (change.status !== undefined && change.status !== member.status) {
        const byIdp = member.scimManaged && settings.scimEnabled;
        if (byIdp && !(member.status === 'inactive' && change.status === 'active')) {
          throw new PolicyError('STATUS_MANAGED_BY_SCIM', `The status of "${member.userName}" follows the IdP while SCIM is enabled; only an inactive member may be given a seat by hand.`);
        }
        if (change.status === 'active' && !(await takeSeat(context, userId))) {
          throw new PolicyError('SEAT_LIMIT_REACHED', `The seat limit of ${settings.seatLimit ?? 0} is reached.`);
        }
        if (byIdp) await this.activateUser(tx, tenantId, userId, context.at);
        next = { ...next, status: change.status };
      }
      return saveMember(context, member, next, 'hand');
    });
  }

  /** A SCIM user made inactive for want of a seat is active once the member has one. */
  private async activateUser(tx: StoreSession, tenantId: string, userId: string, at: string): Promise<void> {
    const user = await tx.users.getForUpdate(tenantId, userId);
    if (user === undefined || user.active || user.deletedAt !== null) return;
    const active: UserRecord = { ...user, active: true, lastModified: at, version: user.version + 1, data: { ...user.data, active: true } };
    await tx.users.update(active);
    await tx.events.append(tenantId, [userEvent('user.reactivated', active)], at);
  }

  async seats(tenantId: string): Promise<Seats> {
    const settings = await settingsIn(this.store.read, tenantId);
    return { limit: settings.seatLimit, used: await this.store.read.members.countActive(tenantId), policy: settings.seatPolicy };
  }
}
