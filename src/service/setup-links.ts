import type { SetupLinkRecord } from '../store/console-store.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { Invalid, NotFound } from './errors.js';
import { TouchThrottle, hashSecret, newSecret, sameHash } from './secrets.js';

const LINK_PREFIX = 'rsl_';

/** How long setup links live unless the request says otherwise, and the most they may. */
export interface SetupLinkLimits {
  /** Default lifetime in seconds (72 hours). */
  readonly defaultTtlSeconds: number;
  /** Longest lifetime a request may ask for, in seconds (30 days). */
  readonly maxTtlSeconds: number;
}

export const DEFAULT_SETUP_LINK_LIMITS: SetupLinkLimits = { defaultTtlSeconds: 72 * 3600, maxTtlSeconds: 30 * 24 * 3600 };

/** A new link: the secret is returned once and never stored. */
export interface IssuedSetupLink {
  readonly link: SetupLinkRecord;
  readonly secret: string;
}

/**
 * Setup links: the SaaS team creates one for a tenant and hands it to the customer's IT
 * admin, who opens the console with it and needs no other credential. The link carries 32
 * random bytes that Roster keeps only as SHA-256, so it cannot be forged or read back from
 * the database; it works for one tenant, until it expires or is revoked, and may be opened
 * more than once (an admin comes back to finish the setup).
 */
export class SetupLinkService {
  private readonly touches = new TouchThrottle();

  constructor(
    private readonly store: Store,
    private readonly limits: SetupLinkLimits = DEFAULT_SETUP_LINK_LIMITS,
  ) {}

  /** Issues a link; NotFound for an unknown tenant, Invalid for a lifetime out of range. */
  async create(tenantId: string, options: { readonly expiresInSeconds?: number | undefined; readonly note?: string | undefined } = {}): Promise<IssuedSetupLink> {
    const tenant = await this.store.read.tenants.get(tenantId);
    if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    const ttl = options.expiresInSeconds ?? this.limits.defaultTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < 60 || ttl > this.limits.maxTtlSeconds) {
      throw new Invalid(`A setup link lives from 60 to ${this.limits.maxTtlSeconds} seconds.`);
    }
    const createdAt = now();
    const secret = newSecret(LINK_PREFIX);
    const link: SetupLinkRecord = {
      tenantId,
      id: newId(),
      note: (options.note ?? '').trim(),
      createdAt,
      expiresAt: new Date(Date.parse(createdAt) + ttl * 1000).toISOString(),
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.store.read.setupLinks.insert(link, hashSecret(secret));
    return { link, secret };
  }

  async list(tenantId: string): Promise<readonly SetupLinkRecord[]> {
    const tenant = await this.store.read.tenants.get(tenantId);
    if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    return this.store.read.setupLinks.list(tenantId);
  }

  /** Revokes a link; the console sessions opened with it end at once. */
  async revoke(tenantId: string, id: string): Promise<void> {
    if (!(await this.store.read.setupLinks.revoke(tenantId, id, now()))) throw new NotFound(`Tenant ${tenantId} has no active setup link ${id}.`);
  }

  /** The link a presented secret belongs to, if it is neither revoked nor expired. */
  async redeem(secret: string): Promise<SetupLinkRecord | undefined> {
    if (!secret.startsWith(LINK_PREFIX) || secret.length > 200) return undefined;
    const hash = hashSecret(secret);
    const found = await this.store.read.setupLinks.findByHash(hash);
    if (found === undefined || !sameHash(found.linkHash, hash)) return undefined;
    if (Date.parse(found.link.expiresAt) <= Date.now()) return undefined;
    if (this.touches.due(found.link.id)) await this.store.read.setupLinks.touch(found.link.tenantId, found.link.id, now());
    return found.link;
  }
}
