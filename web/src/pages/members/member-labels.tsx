import type { Member, MemberStatus } from '../../api/types.js';

const STATUS_BADGE: Readonly<Record<MemberStatus, string>> = { active: 'badge-ok', inactive: 'badge-warn', archived: 'badge-muted' };

export const SIGN_IN: Readonly<Record<Member['signInMethod'], string>> = { saml: 'SAML SSO', oidc: 'OIDC SSO', password: 'Password' };

export function StatusBadge({ status }: { status: MemberStatus }) {
  return <span className={`badge ${STATUS_BADGE[status]}`}>{status}</span>;
}

/** Where a member comes from: the IdP (SCIM, or formerly, before the SCIM setup was deleted), the account's creator, or an admin by hand. */
export function sourceOf(member: Member): string {
  return member.managedByScim ? 'SCIM' : member.creator ? 'Account creator' : member.formerlyManagedByScim ? 'Formerly provisioned (SCIM)' : 'Added by hand';
}
