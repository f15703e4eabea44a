import type { SchemaRegistry } from '../schema/registry.js';
import type { TenantRecord } from '../store/records.js';

/** Who a SCIM request acts for: the tenant its token belongs to and that tenant's schemas. */
export interface ScimContext {
  readonly tenant: TenantRecord;
  readonly registry: SchemaRegistry;
}
