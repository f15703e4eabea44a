import type { TokenCache } from './token-cache.js';
import type { JsonObject } from '../scim/json.js';
import type { TenantSettings } from '../policy/settings-schema.js';
import { settingsOf } from '../policy/settings.js';
import type { TenantRecord } from '../store/records.js';
import { UniqueViolation, type Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { Conflict, Invalid, NotFound } from './errors.js';
import { tenantEvent } from './events.js';

/** A tenant as the management API and the CLI show it: every setting, defaults filled in. */
export interface TenantView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** The product's own id for the tenant (its organisation id), or null. */
  readonly externalId: string | null;
  readonly settings: TenantSettings;
}

export interface NewTenantOptions {
  readonly externalId?: string | null;
  /** The initial SCIM state; absent: the settings' default (on). */
  readonly scimEnabled?: boolean;
}

function viewOf(tenant: TenantRecord): TenantView {
  return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt, externalId: tenant.externalId ?? null, settings: settingsOf(tenant.settings) };
}

function checkedExternalId(externalId: string | null | undefined): string | null {
  if (externalId === undefined || externalId === null) return null;
  if (externalId.trim() === '') throw new Invalid('A tenant\'s externalId is absent or non-empty.');
  return externalId;
}

async function uniqueExternalId<T>(externalId: string | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueViolation) throw new Conflict(`Another tenant has the externalId "${externalId ?? ''}".`);
    throw error;
  }
}

/** Tenants: one per customer account of the SaaS product. */
export class TenantService {
  constructor(
    private readonly store: Store,
    private readonly tokenCache: TokenCache,
  ) {}

  async create(name: string, options: NewTenantOptions = {}): Promise<TenantView> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Invalid('A tenant needs a non-empty name.');
    const externalId = checkedExternalId(options.externalId);
    // A tenant created with SCIM off has nothing to tear down: the setting is simply stored.
    const settings: JsonObject = options.scimEnabled === undefined ? {} : { scimEnabled: options.scimEnabled };
    const tenant: TenantRecord = { id: newId(), name: trimmed, createdAt: now(), settings, externalId };
    await uniqueExternalId(externalId, () =>
      this.store.transaction(async (tx) => {
        await tx.tenants.insert(tenant);
        await tx.events.append(tenant.id, [tenantEvent('tenant.created', tenant)], tenant.createdAt);
      }),
    );
    return viewOf(tenant);
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Invalid('A tenant needs a non-empty name.');
    await this.store.read.tenants.rename(id, trimmed);
  }

  /** Sets (or, with null, clears) the product's id for the tenant. */
  async setExternalId(id: string, externalId: string | null): Promise<void> {
    const checked = checkedExternalId(externalId);
    await uniqueExternalId(checked, () => this.store.read.tenants.setExternalId(id, checked));
  }

  async get(id: string): Promise<TenantView | undefined> {
    const tenant = await this.store.read.tenants.get(id);
    return tenant === undefined ? undefined : viewOf(tenant);
  }

  async list(filter: { readonly externalId?: string } = {}): Promise<readonly TenantView[]> {
    return (await this.store.read.tenants.list(filter)).map(viewOf);
  }

  /**
   * Deletes a tenant: from this commit on it is gone for every API (its SCIM tokens stop
   * working, the management API answers 404) and its externalId is free; `tenant.deleted`
   * is its last event. Its rows are removed afterwards by `purgeDeleted`.
   */
  async delete(id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const tenant = await tx.tenants.get(id);
      if (tenant === undefined || !(await tx.tenants.markDeleted(id, now()))) throw new NotFound(`Tenant ${id} does not exist.`);
      await tx.events.append(id, [tenantEvent('tenant.deleted', tenant)], now());
    });
    // Its tokens stop at once in this process; other processes' caches hold a row up to their bound.
    this.tokenCache.forgetTenant(id);
  }

  /**
   * Removes deleted tenants' rows, `batchSize` rows per transaction, yielding between
   * batches so that no transaction holds SQLite's single writer for long. Reports progress
   * per tenant through `progress`; returns the number of rows removed.
   */
  async purgeDeleted(batchSize = 500, progress: (tenantId: string, removed: number, done: boolean) => void = () => undefined): Promise<number> {
    let total = 0;
    for (const tenantId of await this.store.read.tenants.awaitingPurge()) {
      let removed = 0;
      for (;;) {
        const batch = await this.store.transaction((tx) => tx.tenants.purgeBatch(tenantId, batchSize, now()));
        removed += batch;
        progress(tenantId, removed, batch === 0);
        if (batch === 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      total += removed;
    }
    return total;
  }
}
