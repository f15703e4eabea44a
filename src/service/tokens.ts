import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TenantRecord, TokenRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { NotFound } from './errors.js';

const TOKEN_PREFIX = 'rst_';
/** last_used_at is written at most this often per token, to keep reads free of writes. */
const TOUCH_INTERVAL_MS = 60_000;

/** A new token: the secret is returned once and never stored. */
export interface IssuedToken {
  readonly token: TokenRecord;
  readonly secret: string;
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface TokenOptions {
  readonly name: string;
  /** ISO timestamp after which the token stops working; null for no expiry. */
  readonly expiresAt?: string | null;
}

/** Bearer tokens: 32 random bytes, shown once, stored as SHA-256, several per tenant. */
export class TokenService {
  private readonly touchedAt = new Map<string, number>();

  constructor(private readonly store: Store) {}

  async issue(tenantId: string, options: TokenOptions): Promise<IssuedToken> {
    const tenant = await this.store.read.tenants.get(tenantId);
    if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
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
      await tx.tokens.insert(token, hashToken(secret));
      await tx.events.append(tenantId, [{ type: 'token.created', resourceType: 'Token', resourceId: token.id, payload: { name: token.name } }], token.createdAt);
    });
    return { token, secret };
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
      if (done) await tx.events.append(tenantId, [{ type: 'token.revoked', resourceType: 'Token', resourceId: tokenId, payload: {} }], at);
      return done;
    });
    if (!revoked) throw new NotFound(`Tenant ${tenantId} has no active token ${tokenId}.`);
  }

  /**
   * The tenant and token a presented secret belongs to, or undefined when it is unknown,
   * revoked or expired. The stored hash is compared in constant time.
   */
  async authenticate(secret: string): Promise<{ tenant: TenantRecord; token: TokenRecord } | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
    const hash = hashToken(secret);
    const found = await this.store.read.tokens.findByHash(hash);
    if (found === undefined || !sameHash(found.tokenHash, hash)) return undefined;
    const { token } = found;
    if (token.expiresAt !== null && Date.parse(token.expiresAt) <= Date.now()) return undefined;
    const tenant = await this.store.read.tenants.get(token.tenantId);
    if (tenant === undefined) return undefined;
    const last = this.touchedAt.get(token.id) ?? 0;
    if (Date.now() - last > TOUCH_INTERVAL_MS) {
      this.touchedAt.set(token.id, Date.now());
      await this.store.read.tokens.touch(token.tenantId, token.id, now());
    }
    return { tenant, token };
  }
}

