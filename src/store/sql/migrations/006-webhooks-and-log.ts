import { sql, type Kysely } from 'kysely';
import type { MigrationContext, RosterMigration } from './types.js';

/**
 * Webhook endpoints, their per-tenant cursors over the outbox, the deliveries (with the
 * dead-letter list), and the provisioning log of SCIM requests.
 *
 * `webhook_endpoints` and `webhook_cursors` are operator configuration (an endpoint may be
 * global, for every tenant), like `operator_keys`; the rest leads every key with tenant_id.
 */
export const webhooksAndLog: RosterMigration = {
  name: '006-webhooks-and-log',
  async up(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // NULL: a global endpoint that receives the events of every tenant.
      .addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('event_types', jsonType, (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    // How far the fan-out has read a tenant's outbox for an endpoint.
    await db.schema
      .createTable('webhook_cursors')
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_cursors_pk', ['endpoint_id', 'tenant_id'])
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
      .addColumn('event_seq', 'bigint', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      // resource_type:resource_id; deliveries of one key go out in event order.
      .addColumn('resource_key', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_deliveries_pk', ['tenant_id', 'id'])
      .execute();
    // One delivery per endpoint and event: the fan-out may safely run twice.
    await db.schema
      .createIndex('webhook_deliveries_event')
      .on('webhook_deliveries')
      .columns(['tenant_id', 'endpoint_id', 'event_seq'])
      .unique()
      .execute();
    // The ordering check: an earlier pending delivery of the same resource holds a later one back.
    await db.schema
      .createIndex('webhook_deliveries_resource')
      .on('webhook_deliveries')
      .columns(['tenant_id', 'endpoint_id', 'resource_key', 'event_seq'])
      .where(sql.ref('state'), '=', 'pending')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['next_attempt_at'])
      .where(sql.ref('state'), '=', 'pending')
      .execute();
    // Listing an endpoint's deliveries (the dead-letter list); redelivery by id; pruning.
    await db.schema.createIndex('webhook_deliveries_endpoint_state').on('webhook_deliveries').columns(['endpoint_id', 'state', 'updated_at']).execute();
    await db.schema.createIndex('webhook_deliveries_id').on('webhook_deliveries').column('id').execute();
    await db.schema.createIndex('webhook_deliveries_tenant_state').on('webhook_deliveries').columns(['tenant_id', 'state', 'updated_at']).execute();

    await db.schema
      .createTable('provisioning_log')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('token_id', 'text')
      .addColumn('token_name', 'text')
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      // NULL while a write has committed but its response is not yet recorded.
      .addColumn('status', 'integer')
      .addColumn('duration_ms', 'double precision')
      .addColumn('user_agent', 'text')
      .addColumn('resources', jsonType, (c) => c.notNull())
      .addColumn('events', 'integer', (c) => c.notNull())
      .addColumn('scim_type', 'text')
      .addColumn('error_detail', 'text')
      .addColumn('request_body', 'text')
      .addPrimaryKeyConstraint('provisioning_log_pk', ['tenant_id', 'id'])
      .execute();
    await db.schema.createIndex('provisioning_log_started').on('provisioning_log').columns(['tenant_id', 'started_at', 'id']).execute();

    // Which requests touched which resource, for the log's search by resource.
    await db.schema
      .createTable('provisioning_log_resources')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('log_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('provisioning_log_resources_pk', ['tenant_id', 'resource_id', 'started_at', 'log_id'])
      .addForeignKeyConstraint('provisioning_log_resources_log', ['tenant_id', 'log_id'], 'provisioning_log', ['tenant_id', 'id'], (c) => c.onDelete('cascade'))
      .execute();
    await db.schema.createIndex('provisioning_log_resources_log').on('provisioning_log_resources').columns(['tenant_id', 'log_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['provisioning_log_resources', 'provisioning_log', 'webhook_deliveries', 'webhook_cursors', 'webhook_endpoints']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
