import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, type TestServer } from '../support/scim-client.js';
import { consoleRequest, secretOf, signIn } from './console-client.js';

for (const engine of testEngines()) {
  describe(`setup links and console sessions (${engine.name})`, () => {
    let server: TestServer;
    let admin: AdminApi;
    let otherTenant: string;

    before(async () => {
      server = await startServer(engine);
      admin = await adminClient(server);
      otherTenant = (await server.addTenant('Globex')).tenantId;
    });
    after(() => server.close());

    const newLink = async (tenantId = server.tenantId, body: Record<string, unknown> = {}) => {
      const response = await admin('POST', `/tenants/${tenantId}/setup-links`, body);
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };

    it('creates a setup link whose URL opens the console with the secret in the fragment', async () => {
      const link = await newLink(server.tenantId, { note: 'for Ada in IT' });
      assert.match(String(link.url), /^https:\/\/roster\.test\/admin\/setup#token=rsl_[A-Za-z0-9_-]{43}$/);
      assert.equal(link.note, 'for Ada in IT');
      assert.equal(Date.parse(String(link.expiresAt)) - Date.parse(String(link.createdAt)), 72 * 3600 * 1000);
      const listed = await admin('GET', `/tenants/${server.tenantId}/setup-links`);
      const links = listed.body.setupLinks as Record<string, unknown>[];
      assert.ok(links.some((l) => l.id === link.id));
      assert.ok(links.every((l) => !('url' in l) && !('token' in l)), 'the secret is never listed again');
    });

    it('stores only a hash of the link secret', async () => {
      const link = await newLink();
      const stored = await server.store.read.setupLinks.findByHash(secretOf(link.url));
      assert.equal(stored, undefined, 'the secret itself is not a stored value');
    });

    it('opens a session for its tenant only: another tenant reads as 404', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      assert.equal(login.status, 201);
      const own = await consoleRequest(server, login, 'GET', `/tenants/${server.tenantId}`);
      assert.equal(own.status, 200);
      const other = await consoleRequest(server, login, 'GET', `/tenants/${otherTenant}`);
      assert.equal(other.status, 404);
      assert.equal((other.body.error as Record<string, unknown>).code, 'NOT_FOUND');
      const otherTokens = await consoleRequest(server, login, 'GET', `/tenants/${otherTenant}/tokens`);
      assert.equal(otherTokens.status, 404);
      const issue = await consoleRequest(server, login, 'POST', `/tenants/${otherTenant}/tokens`, { name: 'sneaky' });
      assert.equal(issue.status, 404);
      assert.equal((await server.services.tokens.list(otherTenant)).some((t) => t.name === 'sneaky'), false);
      const list = await consoleRequest(server, login, 'GET', '/tenants');
      assert.equal(list.status, 404, 'the list of every tenant is not for a setup link');
    });

    it('refuses setup link management to a setup link session', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      const response = await consoleRequest(server, login, 'POST', `/tenants/${server.tenantId}/setup-links`, {});
      assert.equal(response.status, 403);
      assert.equal((response.body.error as Record<string, unknown>).code, 'FORBIDDEN');
    });

    it('lets an operator session see every tenant', async () => {
      const { secret } = await server.services.operatorKeys.create('console');
      const login = await signIn(server, { operatorKey: secret });
      assert.equal(login.status, 201);
      assert.equal((await consoleRequest(server, login, 'GET', '/tenants')).status, 200);
      assert.equal((await consoleRequest(server, login, 'GET', `/tenants/${otherTenant}`)).status, 200);
      assert.equal((await consoleRequest(server, login, 'POST', `/tenants/${otherTenant}/setup-links`, {})).status, 201);
    });

    it('refuses a link past its expiry, and ends its sessions', async (t) => {
      const link = await newLink(server.tenantId, { expiresInSeconds: 60 });
      const secret = secretOf(link.url);
      const login = await signIn(server, { setupToken: secret });
      assert.equal((await consoleRequest(server, login, 'GET', `/tenants/${server.tenantId}`)).status, 200);
      t.mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
      try {
        const again = await signIn(server, { setupToken: secret });
        assert.equal(again.status, 401);
        assert.equal((await consoleRequest(server, login, 'GET', `/tenants/${server.tenantId}`)).status, 401);
      } finally {
        t.mock.timers.reset();
      }
    });

    it('lets a setup link session change its tenant\'s policies but not its seat limit, metrics class or name', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      const policy = await consoleRequest(server, login, 'PATCH', `/tenants/${server.tenantId}`, { settings: { strictAttributes: true } });
      assert.equal(policy.status, 200, JSON.stringify(policy.body));
      const seats = await consoleRequest(server, login, 'PATCH', `/tenants/${server.tenantId}`, { settings: { seatLimit: 1000 } });
      assert.equal(seats.status, 403);
      assert.equal((seats.body.error as Record<string, unknown>).code, 'FORBIDDEN');
      const metricsClass = await consoleRequest(server, login, 'PATCH', `/tenants/${server.tenantId}`, { settings: { metricsClass: 'enterprise' } });
      assert.equal(metricsClass.status, 403, 'the metrics class is the plan too');
      assert.equal((metricsClass.body.error as Record<string, unknown>).code, 'FORBIDDEN');
      const rename = await consoleRequest(server, login, 'PATCH', `/tenants/${server.tenantId}`, { name: 'Mine now' });
      assert.equal(rename.status, 403);
      assert.equal((await server.services.tenants.get(server.tenantId))?.name, 'Acme');
    });

    it('refuses a lifetime beyond 30 days', async () => {
      const response = await admin('POST', `/tenants/${server.tenantId}/setup-links`, { expiresInSeconds: 31 * 24 * 3600 });
      assert.equal(response.status, 400);
      assert.equal((response.body.error as Record<string, unknown>).code, 'INVALID');
    });

    it('ends the sessions of a revoked link at once, and refuses the link', async () => {
      const link = await newLink();
      const secret = secretOf(link.url);
      const login = await signIn(server, { setupToken: secret });
      assert.equal((await consoleRequest(server, login, 'GET', `/tenants/${server.tenantId}`)).status, 200);
      assert.equal((await admin('DELETE', `/tenants/${server.tenantId}/setup-links/${String(link.id)}`)).status, 204);
      assert.equal((await consoleRequest(server, login, 'GET', `/tenants/${server.tenantId}`)).status, 401);
      assert.equal((await signIn(server, { setupToken: secret })).status, 401);
      assert.equal((await admin('DELETE', `/tenants/${server.tenantId}/setup-links/${String(link.id)}`)).status, 404);
    });

    it('does not revoke one tenant\'s link through another tenant', async () => {
      const link = await newLink();
      assert.equal((await admin('DELETE', `/tenants/${otherTenant}/setup-links/${String(link.id)}`)).status, 404);
      assert.equal((await signIn(server, { setupToken: secretOf(link.url) })).status, 201);
    });

    it('refuses a made-up link and a bad operator key with 401', async () => {
      assert.equal((await signIn(server, { setupToken: 'rsl_' + 'A'.repeat(43) })).status, 401);
      assert.equal((await signIn(server, { operatorKey: 'rok_nope' })).status, 401);
    });

    it('refuses a state change without the CSRF token', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      const without = await consoleRequest(server, { cookie: login.cookie, csrfToken: '' }, 'POST', `/tenants/${server.tenantId}/tokens`, { name: 'okta' });
      assert.equal(without.status, 403);
      assert.equal((without.body.error as Record<string, unknown>).code, 'CSRF_REJECTED');
      const wrong = await consoleRequest(server, { cookie: login.cookie, csrfToken: 'x'.repeat(43) }, 'POST', `/tenants/${server.tenantId}/tokens`, { name: 'okta' });
      assert.equal(wrong.status, 403);
      assert.equal((await server.services.tokens.list(server.tenantId)).some((t) => t.name === 'okta'), false);
      const withToken = await consoleRequest(server, login, 'POST', `/tenants/${server.tenantId}/tokens`, { name: 'okta' });
      assert.equal(withToken.status, 201);
    });

    it('refuses a state change from another origin even with the token', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      const response = await consoleRequest(server, login, 'POST', `/tenants/${server.tenantId}/tokens`, { name: 'x' }, { origin: 'https://evil.example' });
      assert.equal(response.status, 403);
      const signInElsewhere = await server.app.inject({ method: 'POST', url: '/api/v1/console/sessions', headers: { origin: 'https://evil.example' }, payload: { setupToken: secretOf((await newLink()).url) } });
      assert.equal(signInElsewhere.statusCode, 403);
    });

    it('reads without a CSRF token (reads change nothing)', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      assert.equal((await consoleRequest(server, { cookie: login.cookie, csrfToken: '' }, 'GET', `/tenants/${server.tenantId}/tokens`)).status, 200);
    });

    it('sets the session cookie HttpOnly, SameSite=Strict, Secure on an https public URL, scoped to the API', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      const flags = login.setCookie.split(';').map((part) => part.trim());
      assert.match(flags[0] ?? '', /^roster_console=rcs_/);
      assert.ok(flags.includes('HttpOnly'));
      assert.ok(flags.includes('SameSite=Strict'));
      assert.ok(flags.includes('Secure'));
      assert.ok(flags.includes('Path=/api/v1'));
      assert.ok(flags.some((f) => /^Max-Age=\d+$/.test(f)));
    });

    it('returns the session and its CSRF token, and signs out', async () => {
      const login = await signIn(server, { setupToken: secretOf((await newLink()).url) });
      const session = await consoleRequest(server, { cookie: login.cookie, csrfToken: '' }, 'GET', '/console/session');
      assert.equal(session.status, 200);
      assert.equal(session.body.kind, 'tenant');
      assert.equal(session.body.tenantId, server.tenantId);
      assert.equal(session.body.csrfToken, login.csrfToken);
      assert.equal((await consoleRequest(server, { cookie: login.cookie, csrfToken: '' }, 'DELETE', '/console/session')).status, 403, 'sign-out is a state change too');
      assert.equal((await consoleRequest(server, login, 'DELETE', '/console/session')).status, 204);
      assert.equal((await consoleRequest(server, login, 'GET', '/console/session')).status, 401);
    });

    it('ends operator sessions when their key is revoked', async () => {
      const { key, secret } = await server.services.operatorKeys.create('short-lived');
      const login = await signIn(server, { operatorKey: secret });
      assert.equal((await consoleRequest(server, login, 'GET', '/tenants')).status, 200);
      await server.services.operatorKeys.revoke(key.id);
      assert.equal((await consoleRequest(server, login, 'GET', '/tenants')).status, 401);
    });
  });
}
