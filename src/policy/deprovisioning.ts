import type { JsonObject } from '../scim/json.js';

/**
 * What a SCIM DELETE of a user does (seeds 000, 002, 004): `archive` keeps the user and its
 * data, hidden from SCIM reads and restorable by a POST of the same userName or externalId;
 * `hard` removes it for good. Tenant setting `deletePolicy`, default `archive`.
 */
export type DeletePolicy = 'archive' | 'hard';

export function deletePolicyOf(settings: JsonObject): DeletePolicy {
  return settings.deletePolicy === 'hard' ? 'hard' : 'archive';
}
