// Webhook delivery by real `roster serve` processes: one killed with SIGKILL mid-delivery and
// restarted (SQLite), and two sharing one PostgreSQL database.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createServices } from '../../src/service/services.js';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sql/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { tempDataDir } from '../support/cli.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

// Read by the `roster serve` children (they inherit this environment): fast polls, short
// leases and retries, small batches, so a kill lands in the middle of the work.
process.env.ROSTER_WEBHOOK_POLL_MS = '20';
process.env.ROSTER_WEBHOOK_LEASE_MS = '1000';
process.env.ROSTER_WEBHOOK_RETRY_BASE_MS = '50';
process.env.ROSTER_WEBHOOK_RETRY_MAX_MS = '200';
process.env.ROSTER_WEBHOOK_BATCH = '2';

const ENTRY = join(import.meta.dirname, '../support/cli-entry.ts');

/** A tenant with a token and a webhook endpoint pointing at `receiver`. */
async function prepare(store: Store, receiver: Receiver): Promise<{ tenantId: string; token: string }> {
  await store.migrate();
  const services = createServices(store);
  const tenant = await services.tenants.create('Webhooks');
  const { secret } = await services.tokens.issue(tenant.id, { name: 'idp' });
  await services.webhooks.create({ url: receiver.url, tenantId: tenant.id, eventTypes: ['user.created'] });
  return { tenantId: tenant.id, token: secret };
}

function originOf(banner: string): string {
  const health = /Health:\s+(\S+)/.exec(banner)?.[1];
  assert.ok(health !== undefined, banner);
  return health.replace(/\/healthz$/, '');
}

/** Creates `count` users, all at once (so that they are in before many deliveries are out). */
async function createUsers(origins: readonly string[], tenantId: string, token: string, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await fetch(`${origins[i % origins.length]}/scim/v2/${tenantId}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ userName: `user${i}@example.com` }),
      });
      assert.equal(response.status, 201);
      return ((await response.json()) as { id: string }).id;
    }),
  );
}

/** Distinct user ids the receiver got a user.created for. */
function deliveredUsers(receiver: Receiver): Set<string> {
  return new Set(receiver.received.map((got) => got.event.resource.id));
}

async function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

describe('webhook delivery across a SIGKILL', () => {
  it('delivers every event after a process killed mid-delivery restarts (at least once, none lost)', { timeout: 150_000 }, async () => {
    const receiver = await startReceiver();
    receiver.delayMs = 300;
    const dataDir = tempDataDir();
    const setup = openSqliteStore({ filename: join(dataDir, 'roster.db') });
    const { tenantId, token } = await prepare(setup, receiver);
    await setup.close();
    const sqlite = { ROSTER_DATA_DIR: dataDir, DATABASE_URL: '' };
    const first = await serve(sqlite);
    let second: ChildProcessWithoutNullStreams | undefined;
    try {
      const ids = await createUsers([first.origin], tenantId, token, 20);
      await waitFor(() => receiver.received.length >= 4, 15_000, 'the first deliveries');
      await stop(first.child, 'SIGKILL');
      const beforeRestart = deliveredUsers(receiver).size;
      assert.ok(beforeRestart < ids.length, `killed in the middle (${beforeRestart} of ${ids.length} delivered)`);

      receiver.delayMs = 0;
      second = (await serve(sqlite)).child;
      await waitFor(() => deliveredUsers(receiver).size === ids.length, 30_000, 'every event after the restart');
      assert.deepEqual([...deliveredUsers(receiver)].sort(), [...ids].sort());
    } finally {
      await stop(first.child, 'SIGKILL');
      if (second !== undefined) await stop(second, 'SIGTERM');
      await receiver.close();
    }
  });
});

const postgres = testEngines().some((engine) => engine.name === 'postgres');

/** `roster serve` with `env` over this process's; resolves with its origin once it listens. */
function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcessWithoutNullStreams; origin: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'serve', '--port', '0'], { env: { ...process.env, ROSTER_LOG_LEVEL: 'silent', ...env } });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`roster serve did not start: ${out}`));
    }, 60_000); // as test/store/concurrency.test.ts: a loaded machine starts tsx slowly
    const read = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('Health:')) {
        clearTimeout(timer);
        resolve({ child, origin: originOf(out) });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`roster serve exited with ${String(code)}: ${out}`));
    });
  });
}

describe('two Roster processes on one PostgreSQL database', { skip: postgres ? false : 'PostgreSQL is not available' }, () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  let store: Store | undefined;
  after(async () => {
    await Promise.all(children.map((child) => stop(child, 'SIGTERM')));
    await store?.close();
  });

  it('deliver each event once between them', { timeout: 120_000 }, async () => {
    const receiver = await startReceiver();
    try {
      const databaseUrl = await createTestDatabase();
      store = openPostgresStore({ connectionString: databaseUrl, poolSize: 2 });
      const { tenantId, token } = await prepare(store, receiver);
            // A lease as long as in production: only a lease that runs out (a dead or frozen
      // process) lets another process send a delivery again.
      const env = { DATABASE_URL: databaseUrl, ROSTER_PG_POOL_SIZE: '4', ROSTER_WEBHOOK_LEASE_MS: '60000' };
      const rosters = await Promise.all([serve(env), serve(env)]);
      children.push(...rosters.map((roster) => roster.child));
      const ids = await createUsers(rosters.map((roster) => roster.origin), tenantId, token, 30);
      await waitFor(() => deliveredUsers(receiver).size === ids.length, 30_000, 'every event');
      // A little longer: a second send of anything would show up now.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const counts = new Map<string, number>();
      for (const got of receiver.received) counts.set(got.event.id, (counts.get(got.event.id) ?? 0) + 1);
      assert.deepEqual([...counts.values()].filter((count) => count > 1), [], 'no event sent twice');
      assert.equal(counts.size, ids.length);
    } finally {
      await receiver.close();
    }
  });
});
