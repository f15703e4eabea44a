import { createHash, randomBytes } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../scim/json.js';
import type { SignInMethod } from '../store/member-store.js';
import type { UserRecord } from '../store/records.js';
import type { SsoPolicy } from './settings-schema.js';

/** What a member shows of its SCIM user. */
export interface MemberProfile {
  readonly userName: string;
  readonly email: string | null;
  readonly displayName: string | null;
}

/** The primary email, else the work one, else the first (seed 000 maps emails[type eq "work"]). */
function emailOf(data: JsonObject): string | null {
  const emails = Array.isArray(data.emails) ? data.emails.filter(isJsonObject) : [];
  const pick = emails.find((email) => email.primary === true) ?? emails.find((email) => email.type === 'work') ?? emails[0];
  return typeof pick?.value === 'string' ? pick.value : null;
}

function displayNameOf(data: JsonObject): string | null {
  if (typeof data.displayName === 'string') return data.displayName;
  const name = isJsonObject(data.name) ? data.name : {};
  if (typeof name.formatted === 'string') return name.formatted;
  const parts = [name.givenName, name.familyName].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? parts.join(' ') : null;
}

export function profileOf(user: UserRecord): MemberProfile {
  return { userName: user.userName, email: emailOf(user.data), displayName: displayNameOf(user.data) };
}

export function sameProfile(a: MemberProfile, b: MemberProfile): boolean {
  return a.userName === b.userName && a.email === b.email && a.displayName === b.displayName;
}

/** Seed 000: SAML when SAML is required, OIDC when OIDC is, else a password. */
export function signInMethodFor(ssoPolicy: SsoPolicy): SignInMethod {
  switch (ssoPolicy) {
    case 'saml':
      return 'saml';
    case 'oidc':
      return 'oidc';
    case 'none':
      return 'password';
  }
}

/**
 * The hash of a new random password for a member who signs in with one (seed 000): nobody
 * knows the secret, so the member sets a password through "forgot password". Only the hash is
 * kept, and no read returns it.
 */
export function randomSecretHash(method: SignInMethod): string | null {
  if (method !== 'password') return null;
  return createHash('sha256').update(randomBytes(32)).digest('hex');
}
