import type { TenantRecord, TokenRecord } from '../store/records.js';

/** What authenticating a token found: the token and its tenant. */
export interface Authenticated {
  readonly tenant: TenantRecord;
  readonly token: TokenRecord;
}

/**
 * How long another process may go on accepting a token after it was revoked, or after its
 * tenant's SCIM was disabled (docs/operations.md, "Token cache"). The process that made the
 * change forgets at once.
 */
export const TOKEN_CACHE_MS = 1000;

/** Entries kept at most; past it the cache starts again empty (a flood of distinct tokens). */
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly found: Authenticated;
  readonly until: number;
}

/**
 * Token hash → token and tenant for a short time, so that a SCIM request does not read the
 * token and the tenant rows every time. Every change to a tenant's tokens or settings made in
 * this process calls `forgetTenant` after it commits; a lookup that started before such a
 * change does not fill the cache (the generation moved on), so a stale read cannot outlive it.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private generationCount = 0;

  constructor(
    private readonly ttlMs = TOKEN_CACHE_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Changes with every forget: a lookup passes the value it started with to `set`. */
  get generation(): number {
    return this.generationCount;
  }

  get(tokenHash: string): Authenticated | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry === undefined) return undefined;
    if (entry.until > this.clock()) return entry.found;
    this.entries.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, found: Authenticated, generation: number): void {
    if (generation !== this.generationCount || this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(tokenHash, { found, until: this.clock() + this.ttlMs });
  }

  /** Drops every entry of the tenant: a token revoked, its settings changed. */
  forgetTenant(tenantId: string): void {
    this.generationCount += 1;
    for (const [hash, entry] of this.entries) if (entry.found.tenant.id === tenantId) this.entries.delete(hash);
  }
}
