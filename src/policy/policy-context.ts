import type { StoreSession } from '../store/store.js';
import type { TenantSettings } from './settings-schema.js';

/** Where a policy runs: one tenant with its settings, one transaction, one instant. */
export interface PolicyContext {
  readonly tx: StoreSession;
  readonly tenantId: string;
  readonly settings: TenantSettings;
  readonly at: string;
}
