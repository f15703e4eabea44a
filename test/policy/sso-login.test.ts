import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { policyServer, setActive } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`SSO restriction on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('refuses to create a user SCIM did not provision while SCIM is enabled', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ ssoPolicy: 'saml' });
      const decision = await tenant.api('POST', '/sso/login-check', { identifier: 'stranger@example.com', method: 'saml' });
      assert.equal(decision.status, 200, JSON.stringify(decision.body));
      assert.deepEqual({ allowed: decision.body.allowed, action: decision.body.action, reason: decision.body.reason }, { allowed: false, action: 'refuse', reason: 'SCIM_PROVISIONING_REQUIRED' });
    });

    it('says which member a login belongs to, by userName or email, case-insensitively', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('ada.lovelace', { emails: [{ value: 'Ada@Example.com', primary: true }] });
      for (const identifier of ['ADA.LOVELACE', 'ada@example.com']) {
        const decision = await tenant.api('POST', '/sso/login-check', { identifier, method: 'oidc' });
        assert.equal(decision.body.allowed, true);
        assert.equal(decision.body.action, 'signIn');
        assert.equal((decision.body.member as { userId: string }).userId, id);
      }
    });

    it('refuses the login of an archived member', async () => {
      const tenant = await policy.tenant();
      const id = await tenant.createUser('gone@example.com');
      await tenant.scim('PATCH', `/Users/${id}`, setActive(false));
      const decision = await tenant.api('POST', '/sso/login-check', { identifier: 'gone@example.com', method: 'saml' });
      assert.equal(decision.body.reason, 'MEMBER_NOT_ACTIVE');
    });

    it('refuses a method other than the one the tenant requires', async () => {
      const tenant = await policy.tenant();
      await tenant.createUser('ada@example.com');
      await tenant.settings({ ssoPolicy: 'saml' });
      const decision = await tenant.api('POST', '/sso/login-check', { identifier: 'ada@example.com', method: 'oidc' });
      assert.equal(decision.body.reason, 'SSO_METHOD_NOT_ALLOWED');
    });

    it('lets the product create the user while SCIM is disabled', async () => {
      const tenant = await policy.tenant();
      await tenant.settings({ scimEnabled: false });
      const decision = await tenant.api('POST', '/sso/login-check', { identifier: 'new@example.com', method: 'oidc' });
      assert.deepEqual({ allowed: decision.body.allowed, action: decision.body.action }, { allowed: true, action: 'create' });
      const unsupported = await tenant.api('POST', '/sso/login-check', { identifier: 'x', method: 'password' });
      assertApiError(unsupported, 'VALIDATION_FAILED');
      assert.match((unsupported.body.error as { message: string }).message, /must be "saml" or "oidc", not "password"/, 'said in words, not as a schema message');
    });
  });
}
