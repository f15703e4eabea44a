import type { TenantSettings } from '../policy/settings-schema.js';
import { settingsOf } from '../policy/settings.js';
import type { TenantRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { Invalid } from './errors.js';
import { tenantCreatedEvent } from './events.js';

/** A tenant as the management API and the CLI show it: every setting, defaults filled in. */
export interface TenantView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly settings: TenantSettings;
}

function viewOf(tenant: TenantRecord): TenantView {
  return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt, settings: settingsOf(tenant.settings) };
}

/** Tenants: one per customer account of the SaaS product. */
export class TenantService {
  constructor(private readonly store: Store) {}

  async create(name: string): Promise<TenantView> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Invalid('A tenant needs a non-empty name.');
    const tenant: TenantRecord = { id: newId(), name: trimmed, createdAt: now(), settings: {} };
    await this.store.transaction(async (tx) => {
      await tx.tenants.insert(tenant);
      await tx.events.append(tenant.id, [tenantCreatedEvent(tenant)], tenant.createdAt);
    });
    return viewOf(tenant);
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Invalid('A tenant needs a non-empty name.');
    await this.store.read.tenants.rename(id, trimmed);
  }

  async get(id: string): Promise<TenantView | undefined> {
    const tenant = await this.store.read.tenants.get(id);
    return tenant === undefined ? undefined : viewOf(tenant);
  }

  async list(): Promise<readonly TenantView[]> {
    return (await this.store.read.tenants.list()).map(viewOf);
  }
}
