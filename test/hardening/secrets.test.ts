// Secrets: SCIM tokens, operator keys, setup links and console sessions are stored
// only as hashes, never reach the database in the clear, and never appear in the request
// log or the provisioning log; passwords IdPs send are redacted from the provisioning log.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { maskSecrets } from '../../src/http/logging.js';
import { createServices, type Services } from '../../src/service/services.js';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sql/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { tempDataDir } from '../support/cli.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Every secret kind Roster issues, made through the services as the API and CLI make them. */
async function issueEverything(services: Services): Promise<{ secrets: Record<string, string>; tokenHash: string }> {
  const tenant = await services.tenants.create('Secretive');
  const token = await services.tokens.issue(tenant.id, { name: 'idp' });
  const operatorKey = await services.operatorKeys.create('ops');
  const link = await services.setupLinks.create(tenant.id);
  const linkSession = await services.consoleSessions.openWithSetupLink(link.secret);
  const operatorSession = await services.consoleSessions.openWithOperatorKey(operatorKey.secret);
  assert.ok(linkSession !== undefined && operatorSession !== undefined);
  // Each authenticates, so that "last used" bookkeeping has run too.
  assert.ok((await services.tokens.authenticate(token.secret)) !== undefined);
  assert.ok((await services.operatorKeys.authenticate(operatorKey.secret)) !== undefined);
  assert.ok((await services.consoleSessions.authenticate(linkSession.secret)) !== undefined);
  return {
    secrets: {
      token: token.secret,
      operatorKey: operatorKey.secret,
      setupLink: link.secret,
      linkSession: linkSession.secret,
      operatorSession: operatorSession.secret,
      csrf: services.consoleSessions.csrfToken(linkSession.secret),
    },
    tokenHash: sha256(token.secret),
  };
}

function assertAbsent(haystack: string, secrets: Record<string, string>, where: string): void {
  for (const [kind, secret] of Object.entries(secrets)) assert.ok(!haystack.includes(secret), `the ${kind} secret is in ${where}`);
}

describe('secrets at rest', () => {
  it('SQLite keeps only SHA-256 hashes of every secret', async () => {
    const dir = tempDataDir();
    const filename = join(dir, 'roster.db');
    const store = openSqliteStore({ filename });
    await store.migrate();
    const { secrets, tokenHash } = await issueEverything(createServices(store));
    await store.close();
    const db = new Database(filename, { readonly: true });
    try {
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
      const dump = JSON.stringify(tables.map(({ name }) => db.prepare(`select * from "${name}"`).all()));
      assert.ok(dump.includes(tokenHash), 'the dump holds the token hash (so it is the right database)');
      assertAbsent(dump, secrets, 'the SQLite database');
    } finally {
      db.close();
    }
  });

  const postgres = testEngines().some((engine) => engine.name === 'postgres');
  it('PostgreSQL keeps only SHA-256 hashes of every secret', { skip: postgres ? false : 'PostgreSQL is not available' }, async () => {
    const url = await createTestDatabase();
    const store = openPostgresStore({ connectionString: url, poolSize: 2 });
    await store.migrate();
    const { secrets, tokenHash } = await issueEverything(createServices(store));
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public'");
      let dump = '';
      for (const { tablename } of rows) dump += JSON.stringify((await client.query(`select * from ${pg.escapeIdentifier(tablename)}`)).rows);
      assert.ok(dump.includes(tokenHash));
      assertAbsent(dump, secrets, 'the PostgreSQL database');
    } finally {
      await client.end();
    }
  });
});

/**
 * The store wrapped so that every argument of every call (through sessions and transactions
 * too) is recorded as JSON: what the database is ever sent.
 */
function recordingStore(inner: Store, sent: string[]): Store {
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property) {
        const value: unknown = Reflect.get(object, property, object);
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            sent.push(JSON.stringify(args, (_key, item: unknown) => (typeof item === 'function' ? '[function]' : item)) ?? '');
            // A transaction's work gets a recording session as well.
            const wrapped = args.map((arg) => (typeof arg === 'function' ? (...inner: unknown[]) => (arg as (...a: unknown[]) => unknown)(...inner.map((x) => (typeof x === 'object' && x !== null ? wrap(x) : x))) : arg));
            const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, wrapped);
            return result;
          };
        }
        return typeof value === 'object' && value !== null ? wrap(value) : value;
      },
    });
  return wrap(inner);
}

for (const engine of testEngines()) {
  describe(`secrets in use on ${engine.name}`, () => {
    it('never sends a secret to the database: lookups are by hash, and the hash is compared in constant time', async () => {
      const sent: string[] = [];
      const inner = await engine.open();
      try {
        const services = createServices(recordingStore(inner, sent));
        const { secrets, tokenHash } = await issueEverything(services);
        // Wrong secrets of the right shape are looked up by hash too, and fail.
        assert.equal(await services.tokens.authenticate(`${secrets.token!.slice(0, -2)}xx`), undefined);
        assert.equal(await services.operatorKeys.authenticate(`${secrets.operatorKey!.slice(0, -2)}xx`), undefined);
        const all = sent.join('\n');
        assert.ok(all.includes(tokenHash), 'the recorder saw the token lookups');
        assertAbsent(all, secrets, 'a store call');
      } finally {
        await inner.close();
      }
    });
  });

  describe(`secrets and logs on ${engine.name}`, () => {
    let server: TestServer;
    const lines: string[] = [];
    let secrets: Record<string, string>;
    before(async () => {
      server = await startServer(engine, { logLevel: 'trace', logDestination: { write: (line) => void lines.push(line) } });
      const link = await server.services.setupLinks.create(server.tenantId);
      const operatorKey = (await server.services.operatorKeys.create('ops')).secret;
      secrets = { token: server.token, setupLink: link.secret, operatorKey };
    });
    after(() => server.close());

    it('keeps tokens, keys, setup links, session cookies and CSRF tokens out of the request log', async () => {
      const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
        server.app.inject({ method, url, headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
      // SCIM with the token, a wrong token, and (as a careless IdP might) the token in the query string.
      await server.request('GET', '/Users');
      await server.request('GET', '/Users', undefined, { authorization: `Bearer ${server.token}x` });
      await server.request('GET', `/Users?access_token=${server.token}`);
      await server.request('POST', '/Users', userBody('secretive@example.com', { password: 'Hunter2-plaintext' }));
      // The management API with the operator key; the console's sign-in with the setup link.
      await inject('GET', '/api/v1/tenants', { authorization: `Bearer ${secrets.operatorKey!}` });
      const signIn = await inject('POST', '/api/v1/console/sessions', { origin: 'https://roster.test' }, { setupToken: secrets.setupLink });
      assert.equal(signIn.statusCode, 201, signIn.body);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
      const session = cookie.split('=')[1] ?? '';
      const csrf = (JSON.parse(signIn.body) as { csrfToken: string }).csrfToken;
      secrets = { ...secrets, session, csrf };
      await inject('GET', '/api/v1/console/session', { cookie });
      await inject('DELETE', '/api/v1/console/session', { cookie, 'x-csrf-token': csrf, origin: 'https://roster.test' });
      // A setup link pasted into a console URL's query (it belongs in the fragment).
      await inject('GET', `/admin/?token=${secrets.setupLink!}`, {});
      await server.app.close();
      const log = lines.join('');
      assert.ok(lines.length > 10 && log.includes('"url"'), 'requests were logged');
      assertAbsent(log, secrets, 'the request log');
      assert.ok(!log.includes('Hunter2-plaintext'), 'a password is in the request log');
      assert.match(log, /rst_\[redacted\]/, 'the token in a query string is masked, not dropped');
    });

    it('masks secret-shaped strings', () => {
      assert.equal(maskSecrets('/x?t=rst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&u=1'), '/x?t=rst_[redacted]&u=1');
      assert.equal(maskSecrets('whsec_abcdefghijklmnopqrstuvwxyz012345 rsl_abcdefghijklmnopqrstuvwxyz'), 'whsec_[redacted] rsl_[redacted]');
      assert.equal(maskSecrets('first_name_is_not_a_secret'), 'first_name_is_not_a_secret');
      // Standard Webhooks secrets are standard base64: + and / must not end the masked run.
      assert.equal(maskSecrets('s=whsec_ab+/cdefghijklmnopqrstuvwxyz0123456789ABCDEFG= end'), 's=whsec_[redacted] end');
      assert.equal(maskSecrets('?s=whsec_ab%2Bcdefghijklmnopqrstuvwxyz0123456789ABCD%2Fg%3D&x=1'), '?s=whsec_[redacted]&x=1');
    });
  });

  describe(`the provisioning log and secrets on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    it('redacts passwords and never keeps the token, also when an IdP puts it in the query string', async () => {
      const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
      const created = await server.request('POST', '/Users', userBody('logged@example.com', { password: 'Create-Secret-1' }));
      assert.equal(created.status, 201);
      const id = String(created.body.id);
      await server.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'password', value: 'Patch-Secret-2' }] });
      await server.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { password: 'Patch-Secret-3' } }] });
      await server.request('PUT', `/Users/${id}`, userBody('logged@example.com', { password: 'Put-Secret-4' }));
      await server.request('POST', '/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [{ method: 'POST', path: '/Users', bulkId: 'b', data: userBody('bulk-logged@example.com', { password: 'Bulk-Secret-5' }) }],
      });
      await server.request('GET', `/Users?access_token=${server.token}`);
      const operatorKey = (await server.services.operatorKeys.create('ops')).secret;
      // The log rows are completed after each response: give the recorder a moment.
      let text = '';
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const log = await server.app.inject({ method: 'GET', url: `/api/v1/tenants/${server.tenantId}/provisioning-log?limit=100`, headers: { authorization: `Bearer ${operatorKey}` } });
        assert.equal(log.statusCode, 200, log.body);
        text = log.body;
        if ((JSON.parse(text) as { entries: unknown[] }).entries.length >= 6) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.match(text, /REDACTED/);
      for (const secret of ['Create-Secret-1', 'Patch-Secret-2', 'Patch-Secret-3', 'Put-Secret-4', 'Bulk-Secret-5', server.token]) {
        assert.ok(!text.includes(secret), `the provisioning log holds ${secret.slice(0, 12)}…`);
      }
    });
  });
}
