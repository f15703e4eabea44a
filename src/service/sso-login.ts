import type { TenantMemberRecord } from '../store/member-store.js';
import type { Store } from '../store/store.js';
import { settingsIn } from './tenant-settings.js';

/** Why a login is refused. */
export type LoginRefusal = 'SCIM_PROVISIONING_REQUIRED' | 'MEMBER_NOT_ACTIVE' | 'SSO_METHOD_NOT_ALLOWED';

/** The answer to "may this SSO login go ahead, and as whom?". */
export type LoginDecision =
  | { readonly allowed: true; readonly action: 'signIn'; readonly member: TenantMemberRecord }
  | { readonly allowed: true; readonly action: 'create' }
  | { readonly allowed: false; readonly action: 'refuse'; readonly reason: LoginRefusal; readonly message: string; readonly member?: TenantMemberRecord };

/**
 * The decision for the product's SSO login (seed 000): while SCIM is enabled, an SSO login
 * may not create a user SCIM did not provision; otherwise the answer says which member the
 * login belongs to, or that the product may create one (just-in-time provisioning).
 */
export class SsoLoginService {
  constructor(private readonly store: Store) {}

  async check(tenantId: string, identifier: string, method: 'saml' | 'oidc'): Promise<LoginDecision> {
    const settings = await settingsIn(this.store.read, tenantId);
    const member = await this.store.read.members.findByIdentifier(tenantId, identifier.trim());
    if (settings.ssoPolicy !== 'none' && settings.ssoPolicy !== method) {
      return { allowed: false, action: 'refuse', reason: 'SSO_METHOD_NOT_ALLOWED', message: `The tenant requires ${settings.ssoPolicy.toUpperCase()} sign-in.`, ...(member === undefined ? {} : { member }) };
    }
    if (member !== undefined) {
      if (member.status !== 'active') return { allowed: false, action: 'refuse', reason: 'MEMBER_NOT_ACTIVE', message: `The member is ${member.status}.`, member };
      return { allowed: true, action: 'signIn', member };
    }
    if (settings.scimEnabled) {
      return { allowed: false, action: 'refuse', reason: 'SCIM_PROVISIONING_REQUIRED', message: 'SCIM is enabled: users must be provisioned by the identity provider before they sign in.' };
    }
    return { allowed: true, action: 'create' };
  }
}
