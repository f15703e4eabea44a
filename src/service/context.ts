import type { PolicyTenant } from '../policy/provisioning-policy.js';
import type { ResourceLimits } from '../limits.js';
import type { SchemaRegistry } from '../schema/registry.js';

/**
 * Who a SCIM request acts for: the tenant its token belongs to, with the settings parsed once
 * as the request authenticated, and that tenant's schemas. The settings shape how the request
 * is read (strictAttributes, requiredAttributes, extension schemas); a write reads them again
 * inside its transaction for what decides the write (resource-writes.ts).
 */
export interface ScimContext {
  readonly tenant: PolicyTenant;
  readonly registry: SchemaRegistry;
  /** Sizes a write is held to; DEFAULT_LIMITS.resource when absent. */
  readonly limits?: ResourceLimits;
}
