import { deleteScimSetup } from '../policy/scim-setup.js';
import { settingsOf } from '../policy/settings.js';
import type { TokenCache } from './token-cache.js';
import type { Store } from '../store/store.js';
import { newId, now } from './clock.js';
import { NotFound } from './errors.js';
import { PolicyError } from './policy-errors.js';

/** Deleting a tenant's SCIM setup (seed 002), once the IdP has deprovisioned its users. */
export class ScimSetupService {
  constructor(
    private readonly store: Store,
    /** Forgets the tenant's tokens once the deletion commits. */
    private readonly tokenCache: TokenCache,
  ) {}

  /** Refused with SCIM_MEMBERS_ACTIVE while SCIM-provisioned members are active. */
  async deleteSetup(tenantId: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.members.lockTenant(tenantId);
      const tenant = await tx.tenants.get(tenantId);
      if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
      const active = await tx.members.countActiveScimManaged(tenantId);
      if (active > 0) {
        throw new PolicyError('SCIM_MEMBERS_ACTIVE', `${active} SCIM-provisioned member${active === 1 ? ' is' : 's are'} still active; deprovision them in the identity provider before deleting the SCIM setup.`);
      }
      const at = now();
      const settings = await deleteScimSetup({ tx, tenantId, settings: settingsOf(tenant.settings), at }, tenant.settings);
      await tx.tenants.updateSettings(tenantId, settings);
      // The users' events and the SCIM requests' log entries are erased in the background
      // (ErasureWorker): committed here, so that nothing skips it.
      await tx.retention.addErasure(tenantId, newId(), at);
    });
    this.tokenCache.forgetTenant(tenantId);
  }
}
