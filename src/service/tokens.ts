import type { TokenRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { NotFound } from './errors.js';
import { tokenEvent } from './events.js';
import { PolicyError } from './policy-errors.js';
import { settingsIn } from './tenant-settings.js';
import { TouchThrottle, hashSecret, newSecret, sameHash } from './secrets.js';
import type { Authenticated, TokenCache } from './token-cache.js';

const TOKEN_PREFIX = 'rst_';

/** A new token: the secret is returned once and never stored. */
export interface IssuedToken {
  readonly token: TokenRecord;
  readonly secret: string;
}

export interface TokenOptions {
  readonly name: string;
  /** ISO timestamp after which the token stops working; null for no expiry. */
  readonly expiresAt?: string | null;
}

/** A rotation's result: the new token (its secret shown once) and the old one as it now stands. */
export interface RotatedToken extends IssuedToken {
  readonly previous: TokenRecord;
}

/** The longest an old token may keep working after a rotation: 30 days. */
export const MAX_OVERLAP_HOURS = 720;

/** Bearer tokens: 32 random bytes, shown once, stored as SHA-256, several per tenant. */
export class TokenService {
  private readonly touches = new TouchThrottle();

  constructor(
    private readonly store: Store,
    /** Shared with the services that change a tenant's settings, which forget the tenant. */
    private readonly cache: TokenCache,
  ) {}

  async issue(tenantId: string, options: TokenOptions): Promise<IssuedToken> {
    // Seed 000: re-enabling SCIM comes first, then a new token.
    if (!(await settingsIn(this.store.read, tenantId)).scimEnabled) throw new PolicyError('SCIM_DISABLED', `SCIM is disabled for tenant ${tenantId}; enable it (scimEnabled: true) before issuing a token.`);
    const secret = newSecret(TOKEN_PREFIX);
    const token: TokenRecord = {
      tenantId,
      id: newId(),
      name: options.name,
      createdAt: now(),
      lastUsedAt: null,
      expiresAt: options.expiresAt ?? null,
      revokedAt: null,
    };
    await this.store.transaction(async (tx) => {
      await tx.tokens.insert(token, hashSecret(secret));
      await tx.events.append(tenantId, [tokenEvent('token.created', token)], token.createdAt);
    });
    return { token, secret };
  }

  /**
   * Issues a token to replace `tokenId`, under the same name. The old token keeps working, so
   * the identity provider can be given the new one first: until it is revoked, or for
   * `overlapHours` from now when given (never later than an expiry it already had).
   */
  async rotate(tenantId: string, tokenId: string, options: { overlapHours?: number } = {}): Promise<RotatedToken> {
    return this.store.transaction(async (tx) => {
      if (!(await settingsIn(tx, tenantId)).scimEnabled) throw new PolicyError('SCIM_DISABLED', `SCIM is disabled for tenant ${tenantId}; enable it (scimEnabled: true) before issuing a token.`);
      const at = now();
      const old = (await tx.tokens.list(tenantId)).find((token) => token.id === tokenId && token.revokedAt === null && (token.expiresAt === null || token.expiresAt > at));
      if (old === undefined) throw new NotFound(`Tenant ${tenantId} has no active token ${tokenId}.`);
      const secret = newSecret(TOKEN_PREFIX);
      const token: TokenRecord = { tenantId, id: newId(), name: old.name, createdAt: at, lastUsedAt: null, expiresAt: null, revokedAt: null };
      await tx.tokens.insert(token, hashSecret(secret));
      let previous = old;
      if (options.overlapHours !== undefined) {
        const ends = new Date(Date.parse(at) + options.overlapHours * 3_600_000).toISOString();
        if (old.expiresAt === null || ends < old.expiresAt) {
          await tx.tokens.expire(tenantId, old.id, ends);
          previous = { ...old, expiresAt: ends };
        }
      }
      await tx.events.append(tenantId, [tokenEvent('token.created', token)], at);
      return { token, secret, previous };
    });
  }

  async list(tenantId: string): Promise<readonly TokenRecord[]> {
    const tenant = await this.store.read.tenants.get(tenantId);
    if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    return this.store.read.tokens.list(tenantId);
  }

  async revoke(tenantId: string, tokenId: string): Promise<void> {
    const at = now();
    const revoked = await this.store.transaction(async (tx) => {
      const done = await tx.tokens.revoke(tenantId, tokenId, at);
      if (done) await tx.events.append(tenantId, [tokenEvent('token.revoked', { tenantId, id: tokenId })], at);
      return done;
    });
    if (!revoked) throw new NotFound(`Tenant ${tenantId} has no active token ${tokenId}.`);
    this.cache.forgetTenant(tenantId);
  }

  /**
   * The tenant and token a presented secret belongs to, or undefined when it is unknown,
   * revoked or expired. The stored hash is compared in constant time.
   */
  async authenticate(secret: string): Promise<Authenticated | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
    const hash = hashSecret(secret);
    const found = this.cache.get(hash) ?? (await this.lookUp(hash));
    if (found === undefined) return undefined;
    const { token } = found;
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now()) return undefined;
    if (this.touches.due(token.id)) await this.store.read.tokens.touch(token.tenantId, token.id, now());
    return found;
  }

  /** The token and tenant rows of a hash, remembered for a moment (token-cache.ts). */
  private async lookUp(hash: string): Promise<Authenticated | undefined> {
    const generation = this.cache.generation;
    const found = await this.store.read.tokens.findByHash(hash);
    if (found === undefined || !sameHash(found.tokenHash, hash)) return undefined;
    const tenant = await this.store.read.tenants.get(found.token.tenantId);
    if (tenant === undefined) return undefined;
    const result = { tenant, token: found.token };
    this.cache.set(hash, result, generation);
    return result;
  }
}

