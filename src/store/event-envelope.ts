import type { JsonObject } from '../scim/json.js';

/**
 * The envelope of every outbox payload, shared by the SCIM services' events
 * (policy/resource-events.ts, service/events.ts) and the provisioning policies' (policy/member-events.ts).
 */

/**
 * The version of the payload shapes (docs/events.md). A change that removes or renames
 * a field, or changes its meaning, raises it; added fields do not.
 */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * Every payload starts with the schema version and the tenant, so that a payload copied out
 * of its envelope (into a queue, a log) still says what it is and whose.
 */
export function eventPayload(tenantId: string, data: JsonObject): JsonObject {
  return { schemaVersion: EVENT_SCHEMA_VERSION, tenantId, ...data };
}
