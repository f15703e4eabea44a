import { api } from './endpoints.js';
import type { Session, Tenant, TenantSettings } from './types.js';

/** A tenant with its effective settings (the API fills in every default). */
export interface TenantContext {
  readonly tenant: Tenant;
  readonly settings: TenantSettings;
}

/** What every tenant page receives. */
export interface TenantPageProps {
  readonly context: TenantContext;
  /** Loads the tenant and its settings again, after a change to them. */
  readonly reload: () => void;
  readonly session: Session;
}

/** Loads a tenant and its settings. */
export async function loadTenant(tenantId: string): Promise<TenantContext> {
  const tenant = await api.tenant(tenantId);
  return { tenant, settings: tenant.settings };
}
