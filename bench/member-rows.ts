import { profileOf, randomSecretHash, signInMethodFor } from '../src/policy/member-profile.js';
import type { TenantMemberRecord } from '../src/store/member-store.js';
import type { UserRecord } from '../src/store/records.js';
import type { TenantView } from '../src/service/tenants.js';

/** A member row and its stored secret hash, as `members.insert` takes them. */
export interface SeedMember {
  readonly member: TenantMemberRecord;
  readonly secretHash: string | null;
}

/**
 * The member row Roster's policy provisions for a newly created SCIM user in a tenant with
 * the default settings (no seat limit, no role or access-group mappings, no hand-made member
 * to link): confirmed, SCIM-managed, role `member`, active or archived as the user is, the
 * sign-in method of the tenant's SSO policy. The seed writes it directly because the policy's
 * own path first looks for a hand-made member by userName, which costs a scan of the
 * tenant's members per user (see docs/benchmarks.md) and would make seeding quadratic.
 */
export function memberRowFor(tenant: TenantView, user: UserRecord): SeedMember {
  const method = signInMethodFor(tenant.settings.ssoPolicy);
  const member: TenantMemberRecord = {
    tenantId: tenant.id,
    userId: user.id,
    ...profileOf(user),
    status: user.active ? 'active' : 'archived',
    role: 'member',
    roles: ['member'],
    handRole: null,
    roleManaged: false,
    accessGroupId: null,
    signInMethod: method,
    confirmed: true,
    scimManaged: true,
    formerlyScimManaged: false,
    creator: false,
    createdAt: user.created,
    updatedAt: user.created,
  };
  return { member, secretHash: randomSecretHash(method) };
}
