// Migration 015: secrets made before Standard Webhooks (whsec_ + base64url, used as text) become
// whsec_ + standard base64 of the same bytes, which Standard Webhooks libraries key the HMAC with.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { standardWebhookSecrets } from '../../src/store/sql/migrations/015-standard-webhook-secrets.js';
import { testEngines } from '../support/engines.js';
import { startServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`migration 015 on ${engine.name}`, () => {
    it('re-encodes every existing secret as standard base64 of the same key bytes, and leaves new ones alone', async () => {
      const server = await startServer(engine);
      try {
        const db = (server.store as unknown as { db: Kysely<unknown> }).db;
        const { endpoint: current, secret: currentSecret } = await server.services.webhooks.create({ url: 'https://hooks.example/new' });
        // Endpoints as the build before wrote them: 32 random bytes in base64url, some with - and _.
        const keys = Array.from({ length: 8 }, () => randomBytes(32));
        const older = await Promise.all(keys.map((_, index) => server.services.webhooks.create({ url: `https://hooks.example/${index}` })));
        const context = { jsonType: engine.name === 'postgres' ? 'jsonb' : 'text' } as const;
        await standardWebhookSecrets.down(db, context);
        for (const [index, { endpoint }] of older.entries()) {
          await sql`update webhook_endpoints set secret = ${`whsec_${keys[index]?.toString('base64url') ?? ''}`} where id = ${endpoint.id}`.execute(db);
        }
        await standardWebhookSecrets.up(db, context);
        for (const [index, { endpoint }] of older.entries()) {
          const secret = (await server.store.read.webhooks.getSecret(endpoint.id)) ?? '';
          assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
          assert.deepEqual(Buffer.from(secret.slice(6), 'base64'), keys[index], 'the same key');
          const at = new Date('2030-01-01T00:00:00Z');
          assert.equal(new Webhook(secret).sign('evt', at, '{}'), new Webhook(Buffer.from(keys[index] ?? []), { format: 'raw' }).sign('evt', at, '{}'));
        }
        assert.equal(await server.store.read.webhooks.getSecret(current.id), currentSecret, 'a secret in the standard form survives down and up');
      } finally {
        await server.close();
      }
    });
  });
}
