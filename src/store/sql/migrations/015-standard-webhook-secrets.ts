import { sql, type Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Webhooks are signed per Standard Webhooks from here on: the HMAC is keyed with the bytes a
 * `whsec_<base64>` secret encodes. Secrets made before were `whsec_` and the base64url of 32
 * random bytes (used as text); this rewrites each into the standard base64 of the same bytes
 * (`-` → `+`, `_` → `/`, `=` padding), so an endpoint keeps its key and a receiver that kept
 * the old text converts it the same way, or rotates the secret (docs/events.md).
 */
export const standardWebhookSecrets: RosterMigration = {
  name: '015-standard-webhook-secrets',
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`update webhook_endpoints
      set secret = 'whsec_' || replace(replace(substr(secret, 7), '-', '+'), '_', '/')
        || case length(substr(secret, 7)) % 4 when 2 then '==' when 3 then '=' else '' end
      where substr(secret, 1, 6) = 'whsec_'
        and secret not like '%+%' and secret not like '%/%' and secret not like '%=%'`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`update webhook_endpoints
      set secret = 'whsec_' || replace(replace(replace(substr(secret, 7), '+', '-'), '/', '_'), '=', '')
      where substr(secret, 1, 6) = 'whsec_'`.execute(db);
  },
};
