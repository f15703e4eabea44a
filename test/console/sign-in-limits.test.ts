import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describePublicUrl } from '../../src/cli/serve-banner.js';
import { loadConfig } from '../../src/config.js';
import { MAX_SESSIONS_PER_CREDENTIAL } from '../../src/service/console-sessions.js';
import { SIGN_IN_FAILURES_PER_WINDOW, SignInThrottle } from '../../src/service/sign-in-throttle.js';
import { adminClient, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, type TestServer } from '../support/scim-client.js';
import { consoleRequest, secretOf, signIn } from './console-client.js';

async function signInFrom(server: TestServer, credential: Record<string, string>, address: string, headers: Record<string, string> = {}) {
  const response = await server.app.inject({ method: 'POST', url: '/api/v1/console/sessions', payload: credential, remoteAddress: address, headers });
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) as Record<string, unknown> };
}

describe('sign-in throttle', () => {
  it('refuses an address after the failures of a window, until the window ends', () => {
    let clock = 0;
    const throttle = new SignInThrottle(3, 60_000, () => clock);
    for (let i = 0; i < 3; i += 1) {
      assert.equal(throttle.retryAfter('a'), undefined);
      throttle.failed('a');
    }
    assert.equal(throttle.retryAfter('a'), 60);
    assert.equal(throttle.retryAfter('b'), undefined, 'another address is not held back');
    clock = 59_001;
    assert.equal(throttle.retryAfter('a'), 1);
    clock = 60_000;
    assert.equal(throttle.retryAfter('a'), undefined, 'a new window');
  });
});

describe('ROSTER_PUBLIC_URL and ROSTER_TRUST_PROXY at start-up', () => {
  it('warns loudly when ROSTER_PUBLIC_URL is not set, and not when it is', () => {
    assert.match(describePublicUrl(undefined).join('\n'), /WARNING: ROSTER_PUBLIC_URL is not set[\s\S]*not marked Secure/);
    assert.deepEqual(describePublicUrl('https://roster.example.com'), []);
  });

  it('reads ROSTER_TRUST_PROXY as true, a number of hops or addresses, and refuses anything else', () => {
    const trust = (value: string | undefined) => loadConfig({}, value === undefined ? {} : { ROSTER_TRUST_PROXY: value }).trustProxy;
    assert.equal(trust(undefined), undefined);
    assert.equal(trust('false'), undefined);
    assert.equal(trust('true'), true);
    assert.equal(trust('2'), 2);
    assert.equal(trust('10.0.0.0/8, 127.0.0.1'), '10.0.0.0/8, 127.0.0.1');
    assert.throws(() => trust('everyone'), /Invalid ROSTER_TRUST_PROXY "everyone"/);
  });
});

for (const engine of testEngines()) {
  describe(`console sign-in limits and caching (${engine.name})`, () => {
    let server: TestServer;
    let admin: AdminApi;
    let operatorKey: string;

    before(async () => {
      server = await startServer(engine);
      admin = await adminClient(server);
      operatorKey = (await server.services.operatorKeys.create('limits')).secret;
    });
    after(() => server.close());

    it('throttles failed sign-ins per client address with 429, Retry-After and an error body', async () => {
      const address = '203.0.113.7';
      for (let i = 0; i < SIGN_IN_FAILURES_PER_WINDOW; i += 1) {
        assert.equal((await signInFrom(server, { operatorKey: `rok_wrong${i}` }, address)).status, 401);
      }
      const refused = await signInFrom(server, { operatorKey }, address);
      assert.equal(refused.status, 429, 'even a good key is not checked from a throttled address');
      assert.match(String(refused.headers['retry-after']), /^\d+$/);
      assert.equal((refused.body.error as { code: string }).code, 'TOO_MANY_SIGN_INS');
      assert.match((refused.body.error as { message: string }).message, /Too many failed sign-ins/);
      assert.equal((await signInFrom(server, { operatorKey }, '203.0.113.8')).status, 201, 'other addresses sign in');
    });

    it('bounds the sessions one setup link holds: the oldest end as new ones open', async () => {
      const link = await admin('POST', `/tenants/${server.tenantId}/setup-links`, {});
      const setupToken = secretOf(link.body.url);
      const logins = [];
      for (let i = 0; i < MAX_SESSIONS_PER_CREDENTIAL + 2; i += 1) {
        const login = await signIn(server, { setupToken });
        assert.equal(login.status, 201);
        logins.push(login);
      }
      const statuses = [];
      for (const login of logins) statuses.push((await consoleRequest(server, login, 'GET', '/console/session')).status);
      assert.deepEqual(statuses, [401, 401, ...Array<number>(MAX_SESSIONS_PER_CREDENTIAL).fill(200)]);
    });

    it('ends the browser\'s previous session when a setup link replaces it', async () => {
      const operator = await signIn(server, { operatorKey });
      assert.equal(operator.status, 201);
      const link = await admin('POST', `/tenants/${server.tenantId}/setup-links`, {});
      const replaced = await server.app.inject({ method: 'POST', url: '/api/v1/console/sessions', payload: { setupToken: secretOf(link.body.url) }, headers: { cookie: operator.cookie } });
      assert.equal(replaced.statusCode, 201);
      assert.equal((await consoleRequest(server, operator, 'GET', '/console/session')).status, 401, 'the operator session ended');
    });

    it('answers management API reads with Cache-Control: no-store', async () => {
      const hook = await admin('POST', '/webhooks', { url: 'https://receiver.example.com/hook', tenantId: server.tenantId });
      const paths = ['/tenants', `/tenants/${server.tenantId}`, `/tenants/${server.tenantId}/tokens`, `/tenants/${server.tenantId}/setup-links`, `/tenants/${server.tenantId}/provisioning-log`, '/webhooks'];
      if (hook.status === 201) paths.push(`/webhooks/${String(hook.body.id)}`);
      for (const path of paths) {
        const response = await admin('GET', path);
        assert.equal(response.status, 200, path);
        assert.equal(response.headers['cache-control'], 'no-store', path);
      }
      const missing = await admin('GET', '/tenants/nope/tokens');
      assert.equal(missing.status, 404);
      assert.equal(missing.headers['cache-control'], 'no-store', 'error answers too');
    });
  });
}

describe('client addresses behind a proxy', () => {
  const engine = testEngines()[0];
  let trusting: TestServer;
  before(async () => {
    if (engine === undefined) throw new Error('no engine');
    trusting = await startServer(engine, { trustProxy: '127.0.0.1' });
  });
  after(() => trusting.close());

  it('throttles by X-Forwarded-For when ROSTER_TRUST_PROXY trusts the proxy', async () => {
    for (let i = 0; i < SIGN_IN_FAILURES_PER_WINDOW; i += 1) {
      await signInFrom(trusting, { operatorKey: 'rok_wrong' }, '127.0.0.1', { 'x-forwarded-for': '198.51.100.1' });
    }
    assert.equal((await signInFrom(trusting, { operatorKey: 'rok_wrong' }, '127.0.0.1', { 'x-forwarded-for': '198.51.100.1' })).status, 429);
    assert.equal((await signInFrom(trusting, { operatorKey: 'rok_wrong' }, '127.0.0.1', { 'x-forwarded-for': '198.51.100.2' })).status, 401, 'another client behind the same proxy');
    assert.equal((await signInFrom(trusting, { operatorKey: 'rok_wrong' }, '192.0.2.9', { 'x-forwarded-for': '198.51.100.1' })).status, 401, 'an untrusted peer\'s header is ignored');
  });
});
