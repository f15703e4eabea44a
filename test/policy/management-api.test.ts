import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS } from '../../src/policy/settings-schema.js';
import { assertApiError } from '../support/admin-client.js';
import { runCli, tempDataDir } from '../support/cli.js';
import { testEngines } from '../support/engines.js';
import { policyServer } from './policy-client.js';

for (const engine of testEngines()) {
  describe(`management API for the policies on ${engine.name}`, () => {
    const policy = policyServer(engine);

    it('reads every setting with its default and changes them with PATCH /api/v1/tenants/{id}', async () => {
      const tenant = await policy.tenant();
      assert.deepEqual((await tenant.api('GET', '')).body.settings, DEFAULT_SETTINGS);
      const patched = await tenant.api('PATCH', '', { name: 'Renamed', settings: { seatLimit: 25, seatPolicy: 'createInactive', deletePolicy: 'hard', ssoPolicy: 'oidc' } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.equal(patched.body.name, 'Renamed');
      assert.deepEqual(patched.body.settings, { ...DEFAULT_SETTINGS, seatLimit: 25, seatPolicy: 'createInactive', deletePolicy: 'hard', ssoPolicy: 'oidc' });
      const unlimited = await tenant.api('PATCH', '', { settings: { seatLimit: null } });
      assert.equal((unlimited.body.settings as { seatLimit: number | null }).seatLimit, null);
    });

    it('validates settings against their JSON Schema with 400 VALIDATION_FAILED', async () => {
      const tenant = await policy.tenant();
      for (const settings of [{ seatLimit: -1 }, { seatPolicy: 'maybe' }, { ssoPolicy: 'kerberos' }, { colour: 'red' }, { autoSync: 'yes' }, { accessGroupIds: ['a', 'a'] }]) {
        assertApiError(await tenant.api('PATCH', '', { settings }), 'VALIDATION_FAILED');
      }
      assertApiError(await policy.admin('PATCH', '/tenants/no-such-tenant', { settings: { seatLimit: 1 } }), 'NOT_FOUND');
    });

    it('labels a tenant\'s SCIM request metrics with its metricsClass setting, a short slug', async () => {
      const tenant = await policy.tenant();
      const set = await tenant.api('PATCH', '', { settings: { metricsClass: 'enterprise' } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal((set.body.settings as { metricsClass: unknown }).metricsClass, 'enterprise');
      assert.equal((await tenant.scim('GET', '/Groups?count=1')).status, 200);
      const metrics = await policy.server.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /roster_scim_requests_total\{operation="GET \/Groups",status="200",tenant_class="enterprise"\} 1/);
      // Labels stay few and never carry an id: anything but a short lower-case slug is refused.
      for (const metricsClass of ['Enterprise', 'plan one', 'x'.repeat(33), '-free', tenant.id]) {
        assertApiError(await tenant.api('PATCH', '', { settings: { metricsClass } }), 'VALIDATION_FAILED');
      }
      const unset = await tenant.api('PATCH', '', { settings: { metricsClass: null } });
      assert.equal((unset.body.settings as { metricsClass: unknown }).metricsClass, null);
    });

    it('reads a hand-edited settings row leniently: a malformed key falls back to its default, a bad list element drops alone', async () => {
      const tenant = await policy.tenant();
      const groupId = await tenant.createGroup('Admins');
      await policy.server.store.read.tenants.updateSettings(tenant.id, {
        seatLimit: 'ten',
        ssoPolicy: 'kerberos',
        autoSync: 'no',
        deletePolicy: 'hard',
        roleMappings: { [groupId]: 'editor', other: 42 },
        accessGroupIds: [groupId, 7],
        metricsClass: 'Not A Slug',
      });
      const settings = (await tenant.api('GET', '')).body.settings as Record<string, unknown>;
      assert.deepEqual(settings, { ...DEFAULT_SETTINGS, deletePolicy: 'hard', roleMappings: { [groupId]: 'editor' }, accessGroupIds: [groupId] });
      // SCIM keeps working, under the settings as read.
      const userId = await tenant.createUser('lenient@example.com');
      assert.equal((await tenant.scim('GET', '/Groups?count=1')).status, 200);
      const metrics = await policy.server.app.inject({ method: 'GET', url: '/metrics' });
      assert.doesNotMatch(metrics.body, /tenant_class="Not A Slug"/);
      assert.equal((await tenant.scim('DELETE', `/Users/${userId}`)).status, 204);
      assert.equal(await policy.server.store.read.users.get(tenant.id, userId), undefined, 'deletePolicy hard applies');
    });

    it('documents the policy routes and the settings schema in the OpenAPI document', async () => {
      const document = await policy.admin('GET', '/openapi.json', undefined, '');
      const paths = Object.keys(document.body.paths as Record<string, unknown>);
      for (const path of ['members', 'members/{userId}', 'groups', 'pending-changes', 'sync', 'sso/login-check', 'scim']) {
        assert.ok(paths.includes(`/api/v1/tenants/{tenantId}/${path}`), `${path} is documented`);
      }
      const text = JSON.stringify(document.body);
      for (const setting of Object.keys(DEFAULT_SETTINGS)) assert.ok(text.includes(`"${setting}"`), `${setting} is documented`);
    });
  });
}

describe('roster tenant update', () => {
  it('sets settings from the command line, JSON values parsed, validated like the API', () => {
    const dir = tempDataDir();
    const created = runCli(['tenant', 'create', '--name', 'Acme', '--json'], dir);
    assert.equal(created.status, 0, created.stderr);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const updated = runCli(['tenant', 'update', id, '--set', 'seatLimit=10', '--set', 'seatPolicy=createInactive', '--set', 'autoSync=false', '--set', 'requiredAttributes=["emails"]', '--json'], dir);
    assert.equal(updated.status, 0, updated.stderr);
    const settings = JSON.parse(updated.stdout) as Record<string, unknown>;
    assert.equal(settings.seatLimit, 10);
    assert.equal(settings.seatPolicy, 'createInactive');
    assert.equal(settings.autoSync, false);
    assert.deepEqual(settings.requiredAttributes, ['emails']);
    const shown = runCli(['tenant', 'show', id], dir);
    assert.match(shown.stdout, /^seatLimit: 10$/m);
    const refused = runCli(['tenant', 'update', id, '--set', 'seatLimit=many'], dir);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /seatLimit/);
    const unknown = runCli(['tenant', 'update', id, '--set', 'colour=red'], dir);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /colour: is not a setting/);
    assert.equal(runCli(['tenant', 'update', id], dir).status, 2, 'nothing to update is a usage error');
  });
});
