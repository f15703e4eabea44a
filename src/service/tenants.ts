import type { TenantRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { Invalid } from './errors.js';
import { tenantCreatedEvent } from './events.js';

/** Tenants: one per customer account of the SaaS product. */
export class TenantService {
  constructor(private readonly store: Store) {}

  async create(name: string): Promise<TenantRecord> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Invalid('A tenant needs a non-empty name.');
    const tenant: TenantRecord = { id: newId(), name: trimmed, createdAt: now(), settings: {} };
    await this.store.transaction(async (tx) => {
      await tx.tenants.insert(tenant);
      await tx.events.append(tenant.id, [tenantCreatedEvent(tenant)], tenant.createdAt);
    });
    return tenant;
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Invalid('A tenant needs a non-empty name.');
    await this.store.read.tenants.rename(id, trimmed);
  }

  get(id: string): Promise<TenantRecord | undefined> {
    return this.store.read.tenants.get(id);
  }

  list(): Promise<readonly TenantRecord[]> {
    return this.store.read.tenants.list();
  }
}
