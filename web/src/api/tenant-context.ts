import { api } from './endpoints.js';
import type { Tenant, TenantSettings } from './types.js';

/** A tenant with its effective settings (the API fills in every default). */
export interface TenantContext {
  readonly tenant: Tenant;
  readonly settings: TenantSettings;
}

/** Loads a tenant and its settings. */
export async function loadTenant(tenantId: string): Promise<TenantContext> {
  const tenant = await api.tenant(tenantId);
  return { tenant, settings: tenant.settings };
}
